/* remote_thr <connect-to> <message-size> <message-count> [<enable_curve>]
 * PUSH side of the throughput test: connects and sends message-count
 * messages of message-size bytes, each a fresh zmq_msg_init_size message
 * (as libzmq's remote_thr), then lingers until all are delivered. */
#include "perf.h"

int main(int argc, char *argv[])
{
    if (argc != 4 && argc != 5) {
        printf("usage: remote_thr <connect-to> <message-size> "
               "<message-count> [<enable_curve>]\n");
        return 1;
    }
    const char *connect_to = argv[1];
    size_t size = (size_t) atoi(argv[2]);
    unsigned long count = (unsigned long) atol(argv[3]);
    int curve = argc == 5 && atoi(argv[4]);

    void *ctx = zmq_init(1);
    CHECK_PTR(ctx, "zmq_init");
    void *s = zmq_socket(ctx, ZMQ_PUSH);
    CHECK_PTR(s, "zmq_socket");
    if (curve) {
        CHECK(zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, PERF_CLIENT_SECRET, 40));
        CHECK(zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, PERF_CLIENT_PUBLIC, 40));
        CHECK(zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, PERF_SERVER_PUBLIC, 40));
    }
    CHECK(zmq_connect(s, connect_to));

    for (unsigned long i = 0; i < count; i++) {
        zmq_msg_t m;
        CHECK(zmq_msg_init_size(&m, size));
        CHECK(zmq_sendmsg(s, &m, 0));
        CHECK(zmq_msg_close(&m));
    }
    CHECK(zmq_close(s));
    CHECK(zmq_ctx_term(ctx));
    return 0;
}
