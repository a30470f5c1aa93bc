/* local_thr <bind-to> <message-size> <message-count> [<enable_curve>]
 * PULL side of the throughput test: binds, receives message-count
 * messages of message-size bytes, and reports the rate from the first
 * message to the last (as libzmq's local_thr). */
#include "perf.h"

int main(int argc, char *argv[])
{
    if (argc != 4 && argc != 5) {
        printf("usage: local_thr <bind-to> <message-size> <message-count> "
               "[<enable_curve>]\n");
        return 1;
    }
    const char *bind_to = argv[1];
    size_t size = (size_t) atoi(argv[2]);
    unsigned long count = (unsigned long) atol(argv[3]);
    int curve = argc == 5 && atoi(argv[4]);

    void *ctx = zmq_init(1);
    CHECK_PTR(ctx, "zmq_init");
    void *s = zmq_socket(ctx, ZMQ_PULL);
    CHECK_PTR(s, "zmq_socket");
    if (curve) {
        set_int(s, ZMQ_CURVE_SERVER, 1);
        CHECK(zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, PERF_SERVER_SECRET, 40));
    }
    CHECK(zmq_bind(s, bind_to));

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
    print_thr(size, count, us);
    CHECK(zmq_close(s));
    CHECK(zmq_ctx_term(ctx));
    return 0;
}
