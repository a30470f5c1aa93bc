/* Draft ZMQ_BUSY_POLL (after libzmq's test_busy_poll): the option is
 * accepted as an int and stored, and a socket with it set binds and
 * carries traffic as usual. */
#include "testutil.h"

static void test_busy_poll(void)
{
    void *ctx = zmq_ctx_new();
    void *dealer = tu_socket(ctx, ZMQ_DEALER);
    tu_set_int(dealer, ZMQ_BUSY_POLL, 1);
    EQ_INT(tu_get_int(dealer, ZMQ_BUSY_POLL), 1);
    /* Only an int is accepted. */
    char small = 1;
    FAILS(zmq_setsockopt(dealer, ZMQ_BUSY_POLL, &small, 1), EINVAL);
    char ep[256];
    tu_bind(dealer, "tcp://127.0.0.1:*", ep, sizeof ep);
    void *peer = tu_socket(ctx, ZMQ_DEALER);
    tu_set_int(peer, ZMQ_BUSY_POLL, 1);
    OK(zmq_connect(peer, ep));
    tu_send_str(peer, "busy", 0);
    tu_recv_str(dealer, "busy");
    OK(zmq_close(peer));
    OK(zmq_close(dealer));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(30);
    RUN(test_busy_poll);
    return tu_done();
}
