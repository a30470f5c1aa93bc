/* backlog_mem <connect-to-bind-to> <message-size> <message-count>
 * Memory under a backlog (gozmq's addition to libzmq's set): in one
 * process a PUSH sends message-count messages to a PULL bound at the
 * endpoint, both with HWM 0, before a single one is received; then all
 * are received. Prints the process's peak resident set size, which
 * holds the whole backlog at its high point. */
#include <sys/resource.h>

#include "perf.h"

int main(int argc, char *argv[])
{
    if (argc != 4) {
        printf("usage: backlog_mem <endpoint> <message-size> <message-count>\n");
        return 1;
    }
    size_t size = (size_t) atoi(argv[2]);
    unsigned long count = (unsigned long) atol(argv[3]);
    void *ctx = zmq_ctx_new();
    CHECK_PTR(ctx, "zmq_ctx_new");
    void *pull = zmq_socket(ctx, ZMQ_PULL);
    void *push = zmq_socket(ctx, ZMQ_PUSH);
    CHECK_PTR(pull && push, "zmq_socket");
    set_int(pull, ZMQ_RCVHWM, 0);
    set_int(push, ZMQ_SNDHWM, 0);
    CHECK(zmq_bind(pull, argv[1]));
    char ep[256];
    size_t len = sizeof ep;
    CHECK(zmq_getsockopt(pull, ZMQ_LAST_ENDPOINT, ep, &len));
    CHECK(zmq_connect(push, ep));
    zmq_msg_t m;
    for (unsigned long i = 0; i < count; i++) {
        CHECK(zmq_msg_init_size(&m, size));
        memset(zmq_msg_data(&m), 'B', size);
        CHECK(zmq_msg_send(&m, push, 0));
    }
    CHECK(zmq_msg_init(&m));
    for (unsigned long i = 0; i < count; i++) {
        CHECK(zmq_msg_recv(&m, pull, 0));
        expect_size(&m, size);
    }
    CHECK(zmq_msg_close(&m));
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("message size: %d [B]\n", (int) size);
    printf("message count: %d\n", (int) count);
    printf("peak rss: %ld [KiB]\n", ru.ru_maxrss);
    CHECK(zmq_close(push));
    CHECK(zmq_close(pull));
    CHECK(zmq_ctx_term(ctx));
    return 0;
}
