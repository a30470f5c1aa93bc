/* PAIR over inproc, tcp and ipc: both directions, multipart, one peer
 * only (modelled on libzmq's test_pair_inproc/tcp/ipc scenarios). */
#include "testutil.h"

static void *ctx;

static void bounce(void *a, void *b)
{
    tu_send_str(a, "hello", ZMQ_SNDMORE);
    tu_send_str(a, "", ZMQ_SNDMORE);
    tu_send_str(a, "world", 0);
    tu_recv_str(b, "hello");
    CHECK(tu_get_int(b, ZMQ_RCVMORE) == 1);
    tu_recv_str(b, "");
    CHECK(tu_get_int(b, ZMQ_RCVMORE) == 1);
    tu_recv_str(b, "world");
    CHECK(tu_get_int(b, ZMQ_RCVMORE) == 0);
    tu_send_str(b, "back", 0);
    tu_recv_str(a, "back");
}

static void pair_over(const char *bind_ep)
{
    char ep[256];
    void *a = tu_socket(ctx, ZMQ_PAIR), *b = tu_socket(ctx, ZMQ_PAIR);
    tu_bind(a, bind_ep, ep, sizeof ep);
    OK(zmq_connect(b, ep));
    bounce(a, b);
    OK(zmq_close(a));
    OK(zmq_close(b));
}

static void test_inproc(void) { pair_over("inproc://pair"); }
static void test_tcp(void) { pair_over("tcp://127.0.0.1:*"); }
static void test_ipc(void)
{
    char ep[256];
    pair_over(tu_ipc_endpoint(ep, sizeof ep, "pair.sock"));
}
static void test_ipc_abstract(void)
{
    char ep[64];
    snprintf(ep, sizeof ep, "ipc://@gozmq-pair-%d", (int) getpid());
    pair_over(ep);
}

static void test_tcp_ipv6(void)
{
    char ep[256];
    void *a = tu_socket(ctx, ZMQ_PAIR), *b = tu_socket(ctx, ZMQ_PAIR);
    tu_set_int(a, ZMQ_IPV6, 1);
    tu_set_int(b, ZMQ_IPV6, 1);
    if (zmq_bind(a, "tcp://[::1]:*") != 0) {
        /* No IPv6 loopback on this machine: nothing to test. */
        CHECK(zmq_errno() == EADDRNOTAVAIL || zmq_errno() == ENODEV || zmq_errno() == EAFNOSUPPORT);
    } else {
        size_t len = sizeof ep;
        OK(zmq_getsockopt(a, ZMQ_LAST_ENDPOINT, ep, &len));
        CHECK(strncmp(ep, "tcp://[::1]:", 12) == 0);
        OK(zmq_connect(b, ep));
        bounce(a, b);
    }
    OK(zmq_close(a));
    OK(zmq_close(b));
}

static void test_inproc_connect_before_bind(void)
{
    void *a = tu_socket(ctx, ZMQ_PAIR), *b = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_connect(b, "inproc://later"));
    tu_send_str(b, "early", 0);
    OK(zmq_bind(a, "inproc://later"));
    tu_recv_str(a, "early");
    bounce(a, b);
    OK(zmq_close(a));
    OK(zmq_close(b));
}

/* A second peer of a PAIR socket is not served: it never receives. */
static void test_second_peer_ignored(void)
{
    void *a = tu_socket(ctx, ZMQ_PAIR), *b = tu_socket(ctx, ZMQ_PAIR), *c = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_bind(a, "inproc://only-one"));
    OK(zmq_connect(b, "inproc://only-one"));
    tu_wait_connected(b, a);
    OK(zmq_connect(c, "inproc://only-one"));
    tu_send_str(a, "for b", 0);
    tu_recv_str(b, "for b");
    char buf[8];
    FAILS(zmq_recv(c, buf, sizeof buf, ZMQ_DONTWAIT), EAGAIN);
    OK(zmq_close(a));
    OK(zmq_close(b));
    OK(zmq_close(c));
}

int main(void)
{
    tu_start(60);
    ctx = zmq_ctx_new();
    RUN(test_inproc);
    RUN(test_tcp);
    RUN(test_ipc);
    RUN(test_ipc_abstract);
    RUN(test_tcp_ipv6);
    RUN(test_inproc_connect_before_bind);
    RUN(test_second_peer_ignored);
    OK(zmq_ctx_term(ctx));
    return tu_done();
}
