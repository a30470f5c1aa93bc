/* inproc_thr <message-size> <message-count>
 * Throughput over inproc: a second thread PUSHes message-count messages
 * to this thread's PULL, in one context (as libzmq's inproc_thr). */
#include "perf.h"

static size_t size;
static unsigned long count;

static void worker(void *ctx)
{
    void *s = zmq_socket(ctx, ZMQ_PUSH);
    CHECK_PTR(s, "zmq_socket");
    CHECK(zmq_connect(s, "inproc://thr_test"));
    for (unsigned long i = 0; i < count; i++) {
        zmq_msg_t m;
        CHECK(zmq_msg_init_size(&m, size));
        CHECK(zmq_sendmsg(s, &m, 0));
        CHECK(zmq_msg_close(&m));
    }
    CHECK(zmq_close(s));
}

int main(int argc, char *argv[])
{
    if (argc != 3) {
        printf("usage: inproc_thr <message-size> <message-count>\n");
        return 1;
    }
    size = (size_t) atoi(argv[1]);
    count = (unsigned long) atol(argv[2]);

    void *ctx = zmq_init(1);
    CHECK_PTR(ctx, "zmq_init");
    void *s = zmq_socket(ctx, ZMQ_PULL);
    CHECK_PTR(s, "zmq_socket");
    CHECK(zmq_bind(s, "inproc://thr_test"));
    void *thread = zmq_threadstart(worker, ctx);
    CHECK_PTR(thread, "zmq_threadstart");

    zmq_msg_t m;
    CHECK(zmq_msg_init(&m));
    CHECK(zmq_recvmsg(s, &m, 0));
    expect_size(&m, size);
    void *watch = zmq_stopwatch_start();
    for (unsigned long i = 1; i < count; i++) {
        CHECK(zmq_recvmsg(s, &m, 0));
        expect_size(&m, size);
    }
    unsigned long us = zmq_stopwatch_stop(watch);
    CHECK(zmq_msg_close(&m));
    zmq_threadclose(thread);
    print_thr(size, count, us);
    CHECK(zmq_close(s));
    CHECK(zmq_ctx_term(ctx));
    return 0;
}
