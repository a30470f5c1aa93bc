/* Long subscription topics through XPUB (modelled on libzmq's
 * test_xpub_topic): a 245-byte topic makes a 255-byte SUBSCRIBE command
 * (the largest short frame), longer ones need the long frame form; XPUB
 * must report each, and its cancellation, byte for byte. Topics of 246 to
 * 255 bytes are in test_xpub_topic_gozmq: Debian's libzmq 4.3.4 sends
 * their commands with a short size byte (libzmq fixed that in 4.3.5). */
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
    static const size_t sizes[] = {0, 1, 244, 245, 256, 290, 1000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        subscribe_cancel(xpub, sub, sizes[i]);
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
    run(tu_ipc_endpoint(ep, sizeof ep, "xpub-topic"));
}

int main(void)
{
    tu_start(30);
    RUN(test_tcp);
    RUN(test_ipc);
    return tu_done();
}
