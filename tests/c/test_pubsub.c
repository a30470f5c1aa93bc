/* PUB/SUB and XPUB/XSUB (RFC 29; modelled on libzmq's test_pubsub,
 * test_xpub_nodrop, test_xpub_manual, test_xpub_welcome_msg,
 * test_xpub_verbose, test_sub_forward, test_invert_matching,
 * test_hwm_pubsub): prefix filtering on the publisher, subscription
 * messages, verbose and manual modes, welcome messages, inversion. */
#include "testutil.h"

static void *ctx;

/* Publishes "wanted" until sub receives it (subscriptions travel
 * asynchronously), then checks nothing unwanted got through. */
static void sync_sub(void *pub, void *sub, const char *wanted)
{
    tu_set_int(sub, ZMQ_RCVTIMEO, 20);
    char buf[64];
    for (int i = 0; i < 250; i++) {
        tu_send_str(pub, wanted, 0);
        int n = zmq_recv(sub, buf, sizeof buf - 1, 0);
        if (n >= 0) {
            buf[n] = 0;
            CHECK(strcmp(buf, wanted) == 0);
            /* drain the copies sent meanwhile */
            while ((n = zmq_recv(sub, buf, sizeof buf - 1, 0)) >= 0) {
                buf[n] = 0;
                CHECK(strcmp(buf, wanted) == 0);
            }
            tu_set_int(sub, ZMQ_RCVTIMEO, 5000);
            return;
        }
    }
    FAILF("subscription never took effect");
}

static void prefix_filtering(const char *bind_ep)
{
    char ep[256];
    void *pub = tu_socket(ctx, ZMQ_PUB), *sub = tu_socket(ctx, ZMQ_SUB);
    tu_bind(pub, bind_ep, ep, sizeof ep);
    OK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "news", 4));
    OK(zmq_connect(sub, ep));
    sync_sub(pub, sub, "news-sync");
    tu_send_str(pub, "weather", 0);
    tu_send_str(pub, "new", 0);        /* shorter than the prefix */
    tu_send_str(pub, "news: ok", 0);
    tu_send_str(pub, "news", ZMQ_SNDMORE);
    tu_send_str(pub, "second part", 0); /* later parts are never filtered */
    tu_recv_str(sub, "news: ok");
    tu_recv_str(sub, "news");
    tu_recv_str(sub, "second part");
    /* Unsubscribe: nothing more arrives (an empty subscription then
     * re-syncs: it matches everything). */
    OK(zmq_setsockopt(sub, ZMQ_UNSUBSCRIBE, "news", 4));
    OK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "sync", 4));
    sync_sub(pub, sub, "sync-2");
    tu_send_str(pub, "news again", 0);
    tu_send_str(pub, "sync-3", 0);
    tu_recv_str(sub, "sync-3");
    OK(zmq_close(sub));
    OK(zmq_close(pub));
}

static void test_filter_inproc(void) { prefix_filtering("inproc://pubsub"); }
static void test_filter_tcp(void) { prefix_filtering("tcp://127.0.0.1:*"); }
static void test_filter_ipc(void) { prefix_filtering("ipc://*"); }

/* SUB and PUB directions are one-way. */
static void test_directions(void)
{
    void *pub = tu_socket(ctx, ZMQ_PUB), *sub = tu_socket(ctx, ZMQ_SUB);
    char buf[4];
    FAILS(zmq_recv(pub, buf, sizeof buf, ZMQ_DONTWAIT), ENOTSUP);
    FAILS(zmq_send(sub, "x", 1, ZMQ_DONTWAIT), ENOTSUP);
    /* A PUB with no subscribers drops, never blocks. */
    for (int i = 0; i < 10000; i++)
        OK(zmq_send(pub, "dropped", 7, 0));
    OK(zmq_close(pub));
    OK(zmq_close(sub));
}

/* XPUB hands each new subscription (and cancellation) to the
 * application once; XPUB_VERBOSE repeats duplicates. */
static void test_xpub_subscriptions(void)
{
    void *xpub = tu_socket(ctx, ZMQ_XPUB);
    OK(zmq_bind(xpub, "inproc://xpub"));
    void *s1 = tu_socket(ctx, ZMQ_SUB), *s2 = tu_socket(ctx, ZMQ_SUB);
    OK(zmq_connect(s1, "inproc://xpub"));
    OK(zmq_connect(s2, "inproc://xpub"));
    OK(zmq_setsockopt(s1, ZMQ_SUBSCRIBE, "A", 1));
    char buf[8];
    EQ_INT(zmq_recv(xpub, buf, sizeof buf, 0), 2);
    CHECK(buf[0] == 1 && buf[1] == 'A');
    OK(zmq_setsockopt(s2, ZMQ_SUBSCRIBE, "A", 1)); /* duplicate: not shown */
    tu_set_int(xpub, ZMQ_RCVTIMEO, 50);
    FAILS(zmq_recv(xpub, buf, sizeof buf, 0), EAGAIN);
    OK(zmq_setsockopt(s1, ZMQ_UNSUBSCRIBE, "A", 1)); /* s2 still wants it */
    FAILS(zmq_recv(xpub, buf, sizeof buf, 0), EAGAIN);
    OK(zmq_setsockopt(s2, ZMQ_UNSUBSCRIBE, "A", 1)); /* the last one */
    tu_set_int(xpub, ZMQ_RCVTIMEO, 5000);
    EQ_INT(zmq_recv(xpub, buf, sizeof buf, 0), 2);
    CHECK(buf[0] == 0 && buf[1] == 'A');
    /* Verbose: every subscription is reported. */
    tu_set_int(xpub, ZMQ_XPUB_VERBOSE, 1);
    OK(zmq_setsockopt(s1, ZMQ_SUBSCRIBE, "B", 1));
    OK(zmq_setsockopt(s2, ZMQ_SUBSCRIBE, "B", 1));
    EQ_INT(zmq_recv(xpub, buf, sizeof buf, 0), 2);
    EQ_INT(zmq_recv(xpub, buf, sizeof buf, 0), 2);
    CHECK(buf[0] == 1 && buf[1] == 'B');
    OK(zmq_close(s1));
    OK(zmq_close(s2));
    OK(zmq_close(xpub));
}

/* XSUB sends subscriptions as messages and receives everything. */
static void test_xsub(void)
{
    void *pub = tu_socket(ctx, ZMQ_PUB), *xsub = tu_socket(ctx, ZMQ_XSUB);
    OK(zmq_bind(pub, "inproc://xsub"));
    OK(zmq_connect(xsub, "inproc://xsub"));
    OK(zmq_send(xsub, "\1T", 2, 0));
    sync_sub(pub, xsub, "T-sync");
    tu_send_str(pub, "other", 0);
    tu_send_str(pub, "T-data", 0);
    tu_recv_str(xsub, "T-data");
    OK(zmq_close(xsub));
    OK(zmq_close(pub));
}

/* A subscription forwarder: SUB -> XPUB | XSUB -> PUB, driven by hand. */
static void test_forwarding(void)
{
    void *pub = tu_socket(ctx, ZMQ_PUB), *xsub = tu_socket(ctx, ZMQ_XSUB);
    void *xpub = tu_socket(ctx, ZMQ_XPUB), *sub = tu_socket(ctx, ZMQ_SUB);
    OK(zmq_bind(pub, "inproc://fw-up"));
    OK(zmq_connect(xsub, "inproc://fw-up"));
    OK(zmq_bind(xpub, "inproc://fw-down"));
    OK(zmq_connect(sub, "inproc://fw-down"));
    OK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "K", 1));
    char buf[16];
    int n = zmq_recv(xpub, buf, sizeof buf, 0); /* the subscription... */
    CHECK(n == 2 && buf[0] == 1);
    OK(zmq_send(xsub, buf, (size_t) n, 0));     /* ...forwarded upstream */
    tu_set_int(xsub, ZMQ_RCVTIMEO, 20);
    for (int i = 0; i < 250; i++) {
        tu_send_str(pub, "K-value", 0);
        n = zmq_recv(xsub, buf, sizeof buf, 0);
        if (n > 0)
            break;
    }
    CHECK(n == 7);
    OK(zmq_send(xpub, buf, (size_t) n, 0));      /* and the data down */
    tu_recv_str(sub, "K-value");
    OK(zmq_close(pub));
    OK(zmq_close(xsub));
    OK(zmq_close(xpub));
    OK(zmq_close(sub));
}

static void test_welcome_message(void)
{
    void *xpub = tu_socket(ctx, ZMQ_XPUB), *sub = tu_socket(ctx, ZMQ_SUB);
    OK(zmq_setsockopt(xpub, ZMQ_XPUB_WELCOME_MSG, "W", 1));
    OK(zmq_bind(xpub, "inproc://welcome"));
    OK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "W", 1));
    OK(zmq_connect(sub, "inproc://welcome"));
    /* The XPUB meets its new peer when it next runs (reading the peer's
     * subscription here), and greets it. */
    char buf[4];
    EQ_INT(zmq_recv(xpub, buf, sizeof buf, 0), 2);
    tu_recv_str(sub, "W");
    OK(zmq_close(sub));
    OK(zmq_close(xpub));
}

static void test_xpub_manual(void)
{
    void *xpub = tu_socket(ctx, ZMQ_XPUB), *sub = tu_socket(ctx, ZMQ_SUB);
    tu_set_int(xpub, ZMQ_XPUB_MANUAL, 1);
    OK(zmq_bind(xpub, "inproc://manual"));
    OK(zmq_connect(sub, "inproc://manual"));
    OK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "A", 1));
    char buf[8];
    EQ_INT(zmq_recv(xpub, buf, sizeof buf, 0), 2);
    /* The application decides: subscribe the peer to "B" instead. */
    OK(zmq_setsockopt(xpub, ZMQ_SUBSCRIBE, "B", 1));
    tu_send_str(xpub, "A-not-delivered", 0);
    tu_send_str(xpub, "B-delivered", 0);
    /* SUB filters locally too, so subscribe it to B as well. */
    OK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "B", 1));
    tu_recv_str(sub, "B-delivered");
    OK(zmq_close(sub));
    OK(zmq_close(xpub));
}

static void test_invert_matching(void)
{
    void *pub = tu_socket(ctx, ZMQ_PUB), *sub = tu_socket(ctx, ZMQ_SUB);
    tu_set_int(pub, ZMQ_INVERT_MATCHING, 1);
    tu_set_int(sub, ZMQ_INVERT_MATCHING, 1);
    OK(zmq_bind(pub, "inproc://invert"));
    OK(zmq_connect(sub, "inproc://invert"));
    OK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "skip", 4));
    tu_send_str(pub, "skip me", 0);
    tu_send_str(pub, "take me", 0);
    tu_recv_str(sub, "take me");
    OK(zmq_close(sub));
    OK(zmq_close(pub));
}

/* Many subscriptions stay cheap: 10 000 topics on one subscriber. */
static void test_many_subscriptions(void)
{
    void *pub = tu_socket(ctx, ZMQ_PUB), *sub = tu_socket(ctx, ZMQ_SUB);
    /* Subscriptions are messages and obey the HWMs: make room for all. */
    tu_set_int(sub, ZMQ_SNDHWM, 0);
    tu_set_int(pub, ZMQ_RCVHWM, 0);
    tu_set_int(pub, ZMQ_SNDHWM, 0);
    tu_set_int(sub, ZMQ_RCVHWM, 0);
    OK(zmq_bind(pub, "inproc://many"));
    OK(zmq_connect(sub, "inproc://many"));
    char topic[32];
    for (int i = 0; i < 10000; i++) {
        int n = snprintf(topic, sizeof topic, "topic-%05d", i);
        OK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, topic, (size_t) n));
    }
    sync_sub(pub, sub, "topic-09999 sync");
    void *w = zmq_stopwatch_start();
    for (int i = 0; i < 10000; i++) {
        snprintf(topic, sizeof topic, "topic-%05d!", i);
        tu_send_str(pub, topic, 0);
        tu_send_str(pub, "nomatch", 0);
    }
    for (int i = 0; i < 10000; i++) {
        char want[32];
        snprintf(want, sizeof want, "topic-%05d!", i);
        tu_recv_str(sub, want);
    }
    (void) zmq_stopwatch_stop(w);
    OK(zmq_close(sub));
    OK(zmq_close(pub));
}

/* XSUB passes every subscription upstream (duplicates too: XPUB
 * filters them, and XPUB_VERBOSE must be able to see them), but a
 * cancellation only when its count drops to zero. */
static void test_xsub_counts(void)
{
    void *xpub = tu_socket(ctx, ZMQ_XPUB), *xsub = tu_socket(ctx, ZMQ_XSUB);
    tu_set_int(xpub, ZMQ_XPUB_VERBOSE, 1);
    tu_set_int(xpub, ZMQ_XPUB_VERBOSER, 1);
    OK(zmq_bind(xpub, "inproc://counts"));
    OK(zmq_connect(xsub, "inproc://counts"));
    OK(zmq_send(xsub, "\1T", 2, 0));
    OK(zmq_send(xsub, "\1T", 2, 0));
    OK(zmq_send(xsub, "\0T", 2, 0)); /* count 2 -> 1: not forwarded */
    OK(zmq_send(xsub, "\0T", 2, 0)); /* 1 -> 0: forwarded */
    char buf[4];
    EQ_INT(zmq_recv(xpub, buf, sizeof buf, 0), 2);
    EQ_INT(buf[0], 1);
    EQ_INT(zmq_recv(xpub, buf, sizeof buf, 0), 2);
    EQ_INT(buf[0], 1);
    EQ_INT(zmq_recv(xpub, buf, sizeof buf, 0), 2);
    EQ_INT(buf[0], 0);
    tu_set_int(xpub, ZMQ_RCVTIMEO, 50);
    FAILS(zmq_recv(xpub, buf, sizeof buf, 0), EAGAIN);
    OK(zmq_close(xsub));
    OK(zmq_close(xpub));
}

/* A slow subscriber: PUB drops what does not fit under the HWM and
 * never blocks; XPUB_NODROP makes the sender wait (EAGAIN) instead
 * (modelled on libzmq's test_hwm_pubsub and test_xpub_nodrop). */
static void test_hwm_drop_and_nodrop(void)
{
    for (int nodrop = 0; nodrop <= 1; nodrop++) {
        void *xpub = tu_socket(ctx, ZMQ_XPUB), *sub = tu_socket(ctx, ZMQ_SUB);
        tu_set_int(xpub, ZMQ_SNDHWM, 10);
        tu_set_int(sub, ZMQ_RCVHWM, 10);
        tu_set_int(xpub, ZMQ_XPUB_NODROP, nodrop);
        OK(zmq_bind(xpub, nodrop ? "inproc://nodrop" : "inproc://drop"));
        OK(zmq_connect(sub, nodrop ? "inproc://nodrop" : "inproc://drop"));
        OK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "", 0));
        char buf[4];
        EQ_INT(zmq_recv(xpub, buf, sizeof buf, 0), 1); /* the subscription */
        int sent = 0;
        for (int i = 0; i < 100; i++) {
            if (zmq_send(xpub, "m", 1, ZMQ_DONTWAIT) == 1)
                sent++;
            else
                CHECK(nodrop && zmq_errno() == EAGAIN);
        }
        int got = 0;
        tu_set_int(sub, ZMQ_RCVTIMEO, 50);
        while (zmq_recv(sub, buf, sizeof buf, 0) == 1)
            got++;
        if (nodrop) {
            CHECK(sent < 100);  /* it stopped at the HWM... */
            EQ_INT(got, sent);  /* ...and nothing was lost */
        } else {
            EQ_INT(sent, 100);  /* PUB never blocks... */
            CHECK(got < 100);   /* ...and drops for the slow subscriber */
            CHECK(got >= 10);
        }
        OK(zmq_close(sub));
        OK(zmq_close(xpub));
    }
}

int main(void)
{
    tu_start(90);
    ctx = zmq_ctx_new();
    RUN(test_filter_inproc);
    RUN(test_filter_tcp);
    RUN(test_filter_ipc);
    RUN(test_directions);
    RUN(test_xpub_subscriptions);
    RUN(test_xsub);
    RUN(test_forwarding);
    RUN(test_welcome_message);
    RUN(test_xpub_manual);
    RUN(test_invert_matching);
    RUN(test_many_subscriptions);
    RUN(test_xsub_counts);
    RUN(test_hwm_drop_and_nodrop);
    OK(zmq_ctx_term(ctx));
    return tu_done();
}
