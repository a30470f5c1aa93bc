/* inproc_lat <message-size> <roundtrip-count>
 * Latency over inproc: this thread's REQ and a second thread's REP
 * bounce one message roundtrip-count times (as libzmq's inproc_lat). */
#include "perf.h"

static size_t size;
static unsigned long rts;

static void worker(void *ctx)
{
    void *s = zmq_socket(ctx, ZMQ_REP);
    CHECK_PTR(s, "zmq_socket");
    CHECK(zmq_connect(s, "inproc://lat_test"));
    zmq_msg_t m;
    CHECK(zmq_msg_init(&m));
    for (unsigned long i = 0; i < rts; i++) {
        CHECK(zmq_recvmsg(s, &m, 0));
        CHECK(zmq_sendmsg(s, &m, 0));
    }
    CHECK(zmq_msg_close(&m));
    CHECK(zmq_close(s));
}

int main(int argc, char *argv[])
{
    if (argc != 3) {
        printf("usage: inproc_lat <message-size> <roundtrip-count>\n");
        return 1;
    }
    size = (size_t) atoi(argv[1]);
    rts = (unsigned long) atol(argv[2]);

    void *ctx = zmq_init(1);
    CHECK_PTR(ctx, "zmq_init");
    void *s = zmq_socket(ctx, ZMQ_REQ);
    CHECK_PTR(s, "zmq_socket");
    CHECK(zmq_bind(s, "inproc://lat_test"));
    void *thread = zmq_threadstart(worker, ctx);
    CHECK_PTR(thread, "zmq_threadstart");

    zmq_msg_t m;
    CHECK(zmq_msg_init_size(&m, size));
    void *watch = zmq_stopwatch_start();
    for (unsigned long i = 0; i < rts; i++) {
        CHECK(zmq_sendmsg(s, &m, 0));
        CHECK(zmq_recvmsg(s, &m, 0));
        expect_size(&m, size);
    }
    unsigned long us = zmq_stopwatch_stop(watch);
    CHECK(zmq_msg_close(&m));
    zmq_threadclose(thread);
    print_lat(size, rts, us);
    CHECK(zmq_close(s));
    CHECK(zmq_ctx_term(ctx));
    return 0;
}
