/* Draft ZMQ_XPUB_MANUAL_LAST_VALUE (after libzmq's
 * test_xpub_manual_last_value): manual subscriptions, as with
 * XPUB_MANUAL, plus: the first message after a manual subscription goes
 * only to the subscriber whose request was read last (last value
 * caching without duplicates). Cancellations of a departing peer's
 * subscriptions are reported, one per subscription. */
#include "testutil.h"

static void recv_bytes(void *s, const char *want, int len)
{
    char buf[64];
    EQ_INT(zmq_recv(s, buf, sizeof buf, 0), len);
    CHECK(memcmp(buf, want, (size_t) len) == 0);
}

static void nothing(void *s)
{
    char buf[64];
    FAILS(zmq_recv(s, buf, sizeof buf, ZMQ_DONTWAIT), EAGAIN);
}

/* The subscriber asks for A; the XPUB subscribes it to B instead. */
static void test_basic(void)
{
    void *ctx = zmq_ctx_new();
    void *pub = tu_socket(ctx, ZMQ_XPUB);
    tu_set_int(pub, ZMQ_XPUB_MANUAL_LAST_VALUE, 1);
    OK(zmq_bind(pub, "inproc://mlv-basic"));
    void *sub = tu_socket(ctx, ZMQ_XSUB);
    OK(zmq_connect(sub, "inproc://mlv-basic"));
    OK(zmq_send(sub, "\1A", 2, 0));
    recv_bytes(pub, "\1A", 2);
    OK(zmq_setsockopt(pub, ZMQ_SUBSCRIBE, "B", 1));
    tu_send_str(pub, "A", 0);
    tu_send_str(pub, "B", 0);
    tu_recv_str(sub, "B");
    nothing(sub);
    OK(zmq_close(sub));
    OK(zmq_close(pub));
    OK(zmq_ctx_term(ctx));
}

/* Two subscribers to the same topic: each manual subscription's first
 * message goes to that subscriber only; later ones go to both. */
static void test_last_value(void)
{
    void *ctx = zmq_ctx_new();
    void *pub = tu_socket(ctx, ZMQ_XPUB);
    tu_set_int(pub, ZMQ_SNDHWM, 2000);
    tu_set_int(pub, ZMQ_XPUB_MANUAL_LAST_VALUE, 1);
    OK(zmq_bind(pub, "inproc://mlv"));
    void *sub1 = tu_socket(ctx, ZMQ_SUB), *sub2 = tu_socket(ctx, ZMQ_SUB);
    OK(zmq_connect(sub1, "inproc://mlv"));
    OK(zmq_connect(sub2, "inproc://mlv"));

    OK(zmq_setsockopt(sub1, ZMQ_SUBSCRIBE, "A", 1));
    recv_bytes(pub, "\1A", 2);
    OK(zmq_setsockopt(pub, ZMQ_SUBSCRIBE, "A", 1));
    tu_send_str(pub, "A1", 0); /* the last value, for sub1 */
    tu_recv_str(sub1, "A1");

    OK(zmq_setsockopt(sub2, ZMQ_SUBSCRIBE, "A", 1));
    recv_bytes(pub, "\1A", 2);
    OK(zmq_setsockopt(pub, ZMQ_SUBSCRIBE, "A", 1));
    tu_send_str(pub, "A2", 0); /* the last value, for sub2 only */
    tu_recv_str(sub2, "A2");
    nothing(sub1);

    tu_send_str(pub, "A3", 0); /* an update, for everyone */
    tu_recv_str(sub1, "A3");
    tu_recv_str(sub2, "A3");
    OK(zmq_close(sub1));
    OK(zmq_close(sub2));
    OK(zmq_close(pub));
    OK(zmq_ctx_term(ctx));
}

/* Manual unsubscription, and the cancellation the XPUB reports for each
 * subscription of a subscriber that goes away (over tcp). */
static void test_unsubscribe(void)
{
    void *ctx = zmq_ctx_new();
    void *pub = tu_socket(ctx, ZMQ_XPUB);
    tu_set_int(pub, ZMQ_XPUB_MANUAL_LAST_VALUE, 1);
    char ep[256];
    tu_bind(pub, "tcp://127.0.0.1:*", ep, sizeof ep);
    void *sub = tu_socket(ctx, ZMQ_XSUB);
    OK(zmq_connect(sub, ep));
    OK(zmq_send(sub, "\1A", 2, 0));
    OK(zmq_send(sub, "\1B", 2, 0));
    recv_bytes(pub, "\1A", 2);
    OK(zmq_setsockopt(pub, ZMQ_SUBSCRIBE, "XA", 2));
    recv_bytes(pub, "\1B", 2);
    OK(zmq_setsockopt(pub, ZMQ_SUBSCRIBE, "XB", 2));
    OK(zmq_send(sub, "\0A", 2, 0));
    recv_bytes(pub, "\0A", 2);
    OK(zmq_setsockopt(pub, ZMQ_UNSUBSCRIBE, "XA", 2));
    tu_send_str(pub, "XA", 0);
    tu_send_str(pub, "XB", 0);
    tu_recv_str(sub, "XB");
    nothing(sub);
    OK(zmq_close(sub));
    recv_bytes(pub, "\0B", 2); /* B was still subscribed */
    OK(zmq_setsockopt(pub, ZMQ_UNSUBSCRIBE, "XB", 2));
    nothing(pub);

    /* A new subscriber starts clean. */
    sub = tu_socket(ctx, ZMQ_XSUB);
    OK(zmq_connect(sub, ep));
    OK(zmq_send(sub, "\1B", 2, 0));
    recv_bytes(pub, "\1B", 2);
    OK(zmq_setsockopt(pub, ZMQ_SUBSCRIBE, "XB", 2));
    tu_send_str(pub, "XA", 0);
    tu_send_str(pub, "XB", 0);
    tu_recv_str(sub, "XB");
    tu_set_int(sub, ZMQ_RCVTIMEO, 100);
    char buf[8];
    FAILS(zmq_recv(sub, buf, sizeof buf, 0), EAGAIN);
    OK(zmq_close(sub));
    OK(zmq_close(pub));
    OK(zmq_ctx_term(ctx));
}

/* The option takes a non-negative int, on XPUB only. */
static void test_option(void)
{
    void *ctx = zmq_ctx_new();
    void *pub = tu_socket(ctx, ZMQ_XPUB), *push = tu_socket(ctx, ZMQ_PUSH);
    int bad = -1;
    FAILS(zmq_setsockopt(pub, ZMQ_XPUB_MANUAL_LAST_VALUE, &bad, sizeof bad), EINVAL);
    FAILS(zmq_setsockopt(pub, ZMQ_XPUB_MANUAL_LAST_VALUE, "x", 1), EINVAL);
    int on = 1;
    FAILS(zmq_setsockopt(push, ZMQ_XPUB_MANUAL_LAST_VALUE, &on, sizeof on), EINVAL);
    OK(zmq_close(push));
    OK(zmq_close(pub));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(60);
    RUN(test_basic);
    RUN(test_last_value);
    RUN(test_unsubscribe);
    RUN(test_option);
    return tu_done();
}
