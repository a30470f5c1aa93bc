/* remote_lat <connect-to> <message-size> <roundtrip-count>
 * REQ side of the latency test: sends a message, waits for the echo,
 * roundtrip-count times, and reports half the mean round trip. */
#include "perf.h"

int main(int argc, char *argv[])
{
    if (argc != 4) {
        printf("usage: remote_lat <connect-to> <message-size> "
               "<roundtrip-count>\n");
        return 1;
    }
    const char *connect_to = argv[1];
    size_t size = (size_t) atoi(argv[2]);
    unsigned long rts = (unsigned long) atol(argv[3]);

    void *ctx = zmq_init(1);
    CHECK_PTR(ctx, "zmq_init");
    void *s = zmq_socket(ctx, ZMQ_REQ);
    CHECK_PTR(s, "zmq_socket");
    CHECK(zmq_connect(s, connect_to));

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
    print_lat(size, rts, us);
    CHECK(zmq_close(s));
    CHECK(zmq_ctx_term(ctx));
    return 0;
}
