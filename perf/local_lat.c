/* local_lat <bind-to> <message-size> <roundtrip-count>
 * REP side of the latency test: echoes roundtrip-count messages. */
#include "perf.h"

int main(int argc, char *argv[])
{
    if (argc != 4) {
        printf("usage: local_lat <bind-to> <message-size> <roundtrip-count>\n");
        return 1;
    }
    const char *bind_to = argv[1];
    size_t size = (size_t) atoi(argv[2]);
    unsigned long rts = (unsigned long) atol(argv[3]);

    void *ctx = zmq_init(1);
    CHECK_PTR(ctx, "zmq_init");
    void *s = zmq_socket(ctx, ZMQ_REP);
    CHECK_PTR(s, "zmq_socket");
    CHECK(zmq_bind(s, bind_to));

    zmq_msg_t m;
    CHECK(zmq_msg_init(&m));
    for (unsigned long i = 0; i < rts; i++) {
        CHECK(zmq_recvmsg(s, &m, 0));
        expect_size(&m, size);
        CHECK(zmq_sendmsg(s, &m, 0));
    }
    CHECK(zmq_msg_close(&m));
    CHECK(zmq_close(s));
    CHECK(zmq_ctx_term(ctx));
    return 0;
}
