/* A PULL socket that prints messages until it receives "END".
 * Usage: hello_pull <endpoint> <bind|connect> */
#include <stdio.h>
#include <string.h>
#include <zmq.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s endpoint bind|connect\n", argv[0]);
        return 2;
    }
    void *ctx = zmq_ctx_new();
    void *pull = zmq_socket(ctx, ZMQ_PULL);
    int timeout = 10000;
    zmq_setsockopt(pull, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    int rc = strcmp(argv[2], "bind") == 0 ? zmq_bind(pull, argv[1]) : zmq_connect(pull, argv[1]);
    if (rc != 0) {
        fprintf(stderr, "hello_pull: %s: %s\n", argv[1], zmq_strerror(zmq_errno()));
        return 1;
    }
    int got = 0;
    for (;;) {
        char buf[256];
        int n = zmq_recv(pull, buf, sizeof buf - 1, 0);
        if (n < 0) {
            fprintf(stderr, "hello_pull: recv: %s\n", zmq_strerror(zmq_errno()));
            return 1;
        }
        buf[n < (int) sizeof buf - 1 ? n : (int) sizeof buf - 1] = 0;
        if (strcmp(buf, "END") == 0)
            break;
        printf("hello_pull: %s\n", buf);
        got++;
    }
    printf("hello_pull: received %d messages\n", got);
    zmq_close(pull);
    zmq_ctx_term(ctx);
    return 0;
}
