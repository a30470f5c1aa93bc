/* ZMQ_BINDTODEVICE on tcp (modelled on libzmq's
 * test_pair_tcp_cap_net_admin): PAIR sockets whose connections are bound
 * to the loopback device "lo" talk both ways, the option reads back, and a
 * device that does not exist makes bind fail cleanly instead of binding
 * everywhere. SO_BINDTODEVICE needs CAP_NET_RAW: as in libzmq's test, the
 * device scenarios need root; without it they check that the call fails
 * with a clean error rather than crashing or hanging. */
#include "testutil.h"

static void *ctx;

static void bounce(void *a, void *b)
{
    tu_send_str(a, "over lo", ZMQ_SNDMORE);
    tu_send_str(a, "two", 0);
    tu_recv_str(b, "over lo");
    CHECK(tu_get_int(b, ZMQ_RCVMORE) == 1);
    tu_recv_str(b, "two");
    tu_send_str(b, "back", 0);
    tu_recv_str(a, "back");
}

static void test_pair_bound_to_lo(void)
{
    char ep[256], dev[64];
    size_t len = sizeof dev;
    void *a = tu_socket(ctx, ZMQ_PAIR), *b = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_setsockopt(a, ZMQ_BINDTODEVICE, "lo", 2));
    OK(zmq_setsockopt(b, ZMQ_BINDTODEVICE, "lo", 2));
    OK(zmq_getsockopt(a, ZMQ_BINDTODEVICE, dev, &len));
    CHECK(len == 3 && strcmp(dev, "lo") == 0);
    if (geteuid() != 0) {
        int rc = zmq_bind(a, "tcp://127.0.0.1:*");
        CHECK(rc == 0 || errno == EPERM || errno == EACCES);
    } else {
        tu_bind(a, "tcp://127.0.0.1:*", ep, sizeof ep);
        OK(zmq_connect(b, ep));
        bounce(a, b);
    }
    OK(zmq_close(a));
    OK(zmq_close(b));
}

static void test_unknown_device(void)
{
    void *a = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_setsockopt(a, ZMQ_BINDTODEVICE, "gozmq-nodev0", 12));
    /* No such interface: the listening socket cannot be bound to it. */
    int rc = zmq_bind(a, "tcp://127.0.0.1:*");
    CHECK(rc == -1);
    CHECK(errno == ENODEV || errno == EPERM || errno == EACCES);
    OK(zmq_close(a));
}

int main(void)
{
    tu_start(30);
    ctx = zmq_ctx_new();
    RUN(test_pair_bound_to_lo);
    RUN(test_unknown_device);
    OK(zmq_ctx_term(ctx));
    return tu_done();
}
