/* A PUSH socket that sends N numbered messages and a final "END".
 * Usage: hello_push <endpoint> <bind|connect> [count] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s endpoint bind|connect [count]\n", argv[0]);
        return 2;
    }
    int count = argc > 3 ? atoi(argv[3]) : 5;
    void *ctx = zmq_ctx_new();
    void *push = zmq_socket(ctx, ZMQ_PUSH);
    int rc = strcmp(argv[2], "bind") == 0 ? zmq_bind(push, argv[1]) : zmq_connect(push, argv[1]);
    if (rc != 0) {
        fprintf(stderr, "hello_push: %s: %s\n", argv[1], zmq_strerror(zmq_errno()));
        return 1;
    }
    char buf[64];
    for (int i = 0; i < count; i++) {
        int n = snprintf(buf, sizeof buf, "hello %d", i);
        zmq_send(push, buf, (size_t) n, 0);
    }
    zmq_send(push, "END", 3, 0);
    int major, minor, patch;
    zmq_version(&major, &minor, &patch);
    printf("hello_push: sent %d messages (library reports %d.%d.%d)\n", count, major, minor, patch);
    zmq_close(push); /* LINGER -1: close waits in zmq_ctx_term until sent */
    zmq_ctx_term(ctx);
    return 0;
}
