/* The part of libzmq's test_xpub_topic that Debian's libzmq 4.3.4 fails:
 * topics of 246 to 255 bytes make SUBSCRIBE/CANCEL commands of 256 to 265
 * bytes, which need the long frame form; 4.3.4 sends them with a short
 * size byte and the XPUB sees garbage (fixed in libzmq 4.3.5, whose
 * behaviour gozmq follows). Same checks as test_xpub_topic. */
#include "testutil.h"

static void make_topic(char *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        t[i] = (char) ('A' + i % 16);
}

static void subscribe_cancel(void *xpub, void *sub, size_t n)
{
    char topic[1100], buf[1110];
    make_topic(topic, n);
    OK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, topic, n));
    int rc = zmq_recv(xpub, buf, sizeof buf, 0);
    EQ_INT(rc, (long) n + 1);
    EQ_INT(buf[0], 1);
    CHECK(memcmp(buf + 1, topic, n) == 0);
    OK(zmq_setsockopt(sub, ZMQ_UNSUBSCRIBE, topic, n));
    rc = zmq_recv(xpub, buf, sizeof buf, 0);
    EQ_INT(rc, (long) n + 1);
    EQ_INT(buf[0], 0);
    CHECK(memcmp(buf + 1, topic, n) == 0);
}

static void run(const char *bind_ep)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    void *xpub = tu_socket(ctx, ZMQ_XPUB);
    tu_bind(xpub, bind_ep, ep, sizeof ep);
    void *sub = tu_socket(ctx, ZMQ_SUB);
    OK(zmq_connect(sub, ep));
    for (size_t n = 246; n <= 255; n++)
        subscribe_cancel(xpub, sub, n);
    OK(zmq_close(sub));
    OK(zmq_close(xpub));
    OK(zmq_ctx_term(ctx));
}

static void test_tcp(void)
{
    run("tcp://127.0.0.1:*");
}

static void test_ipc(void)
{
    char ep[256];
    run(tu_ipc_endpoint(ep, sizeof ep, "xpub-topic-long"));
}

int main(void)
{
    tu_start(30);
    RUN(test_tcp);
    RUN(test_ipc);
    return tu_done();
}
