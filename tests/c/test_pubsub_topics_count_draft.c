/* Draft ZMQ_TOPICS_COUNT (after libzmq's test_pubsub_topics_count): the
 * number of distinct subscribed prefixes, on the SUB (what it asked for)
 * and on the PUB (what it received), as subscriptions come and go. The
 * PUB learns of them asynchronously, so its count is polled (bounded). */
#include "testutil.h"

/* Polls sock's ZMQ_TOPICS_COUNT until it equals want (at most 5 s). */
static void expect_count(void *sock, int want)
{
    int got = -1;
    for (int i = 0; i < 500; i++) {
        got = tu_get_int(sock, ZMQ_TOPICS_COUNT);
        if (got == want)
            return;
        zmq_poll(NULL, 0, 10); /* bounded retry, not a synchronisation */
    }
    FAILF("ZMQ_TOPICS_COUNT is %d, want %d", got, want);
}

/* Receives one part and checks its bytes. */
static void recv_bytes(void *s, const char *want, int len)
{
    char buf[64];
    EQ_INT(zmq_recv(s, buf, sizeof buf, 0), len);
    CHECK(memcmp(buf, want, (size_t) len) == 0);
}

static void sub(void *s, int opt, const char *topic)
{
    OK(zmq_setsockopt(s, opt, topic, strlen(topic)));
}

static void run(const char *bind_ep, int nested)
{
    void *ctx = zmq_ctx_new();
    void *pub = tu_socket(ctx, ZMQ_PUB), *sub_s = tu_socket(ctx, ZMQ_SUB);
    char ep[256];
    tu_bind(pub, bind_ep, ep, sizeof ep);
    OK(zmq_connect(sub_s, ep));
    EQ_INT(tu_get_int(sub_s, ZMQ_TOPICS_COUNT), 0);
    if (!nested) {
        sub(sub_s, ZMQ_SUBSCRIBE, "topicprefix1");
        sub(sub_s, ZMQ_SUBSCRIBE, "topicprefix2");
        sub(sub_s, ZMQ_SUBSCRIBE, "topicprefix3");
        expect_count(sub_s, 3);
        expect_count(pub, 3);
        sub(sub_s, ZMQ_UNSUBSCRIBE, "topicprefix3");
        expect_count(sub_s, 2);
        expect_count(pub, 2);
        sub(sub_s, ZMQ_UNSUBSCRIBE, "topicprefix1");
        sub(sub_s, ZMQ_UNSUBSCRIBE, "topicprefix2");
        expect_count(sub_s, 0);
        expect_count(pub, 0);
    } else {
        /* Nested prefixes count separately; a repeated one counts once. */
        sub(sub_s, ZMQ_SUBSCRIBE, "a");
        sub(sub_s, ZMQ_SUBSCRIBE, "ab");
        sub(sub_s, ZMQ_SUBSCRIBE, "abc");
        sub(sub_s, ZMQ_SUBSCRIBE, "abc");
        expect_count(sub_s, 3);
        expect_count(pub, 3);
        sub(sub_s, ZMQ_SUBSCRIBE, "xyz");
        sub(sub_s, ZMQ_SUBSCRIBE, "xy");
        sub(sub_s, ZMQ_SUBSCRIBE, "x");
        expect_count(sub_s, 6);
        expect_count(pub, 6);
        /* A second subscriber to the same prefixes adds no topics. */
        void *sub2 = tu_socket(ctx, ZMQ_SUB);
        OK(zmq_connect(sub2, ep));
        sub(sub2, ZMQ_SUBSCRIBE, "a");
        sub(sub2, ZMQ_SUBSCRIBE, "new");
        expect_count(pub, 7);
        OK(zmq_close(sub2)); /* its own topic goes with it */
        expect_count(pub, 6);
    }
    OK(zmq_close(sub_s));
    OK(zmq_close(pub));
    OK(zmq_ctx_term(ctx));
}

static void test_independent_inproc(void) { run("inproc://topics", 0); }
static void test_nested_inproc(void) { run("inproc://topics", 1); }
static void test_independent_tcp(void) { run("tcp://127.0.0.1:*", 0); }
static void test_nested_tcp(void) { run("tcp://127.0.0.1:*", 1); }

/* XPUB and XSUB report it too; XSUB counts what it sent upstream. */
static void test_xpub_xsub(void)
{
    void *ctx = zmq_ctx_new();
    void *xpub = tu_socket(ctx, ZMQ_XPUB), *xsub = tu_socket(ctx, ZMQ_XSUB);
    OK(zmq_bind(xpub, "inproc://xtopics"));
    OK(zmq_connect(xsub, "inproc://xtopics"));
    OK(zmq_send(xsub, "\1A", 2, 0));
    OK(zmq_send(xsub, "\1B", 2, 0));
    recv_bytes(xpub, "\1A", 2);
    recv_bytes(xpub, "\1B", 2);
    EQ_INT(tu_get_int(xpub, ZMQ_TOPICS_COUNT), 2);
    EQ_INT(tu_get_int(xsub, ZMQ_TOPICS_COUNT), 2);
    OK(zmq_send(xsub, "\0A", 2, 0));
    recv_bytes(xpub, "\0A", 2);
    EQ_INT(tu_get_int(xpub, ZMQ_TOPICS_COUNT), 1);
    EQ_INT(tu_get_int(xsub, ZMQ_TOPICS_COUNT), 1);
    /* Not a settable option, and not on other socket types. */
    int v = 1;
    FAILS(zmq_setsockopt(xpub, ZMQ_TOPICS_COUNT, &v, sizeof v), EINVAL);
    void *push = tu_socket(ctx, ZMQ_PUSH);
    size_t len = sizeof v;
    FAILS(zmq_getsockopt(push, ZMQ_TOPICS_COUNT, &v, &len), EINVAL);
    OK(zmq_close(push));
    OK(zmq_close(xsub));
    OK(zmq_close(xpub));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(60);
    RUN(test_independent_inproc);
    RUN(test_nested_inproc);
    RUN(test_independent_tcp);
    RUN(test_nested_tcp);
    RUN(test_xpub_xsub);
    return tu_done();
}
