/* zmq_send/zmq_recv details: truncation, zero-length parts, send_const,
 * sendmsg/recvmsg aliases, sendiov/recviov, DONTWAIT (modelled on libzmq's
 * test_msg_flags, test_iov, test_send_const scenarios). */
#include <sys/uio.h>
#include "testutil.h"

static void *ctx, *a, *b;

static void test_truncation(void)
{
    tu_send_str(a, "0123456789", 0);
    char buf[4];
    /* The return value is the full size; only len bytes are copied. */
    EQ_INT(zmq_recv(b, buf, sizeof buf, 0), 10);
    CHECK(memcmp(buf, "0123", 4) == 0);
    /* A zero-length buffer is allowed. */
    tu_send_str(a, "xyz", 0);
    EQ_INT(zmq_recv(b, NULL, 0, 0), 3);
}

static void test_empty_parts(void)
{
    EQ_INT(zmq_send(a, NULL, 0, ZMQ_SNDMORE), 0);
    EQ_INT(zmq_send(a, "", 0, 0), 0);
    char buf[4];
    EQ_INT(zmq_recv(b, buf, sizeof buf, 0), 0);
    EQ_INT(tu_get_int(b, ZMQ_RCVMORE), 1);
    EQ_INT(zmq_recv(b, buf, sizeof buf, 0), 0);
    EQ_INT(tu_get_int(b, ZMQ_RCVMORE), 0);
}

static void test_send_const(void)
{
    static const char text[] = "constant body that is longer than forty bytes, so not inline";
    EQ_INT(zmq_send_const(a, text, sizeof text, 0), (int) sizeof text);
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    EQ_INT(zmq_msg_recv(&m, b, 0), (int) sizeof text);
    CHECK(memcmp(zmq_msg_data(&m), text, sizeof text) == 0);
    OK(zmq_msg_close(&m));
}

static void test_sendmsg_aliases(void)
{
    zmq_msg_t m;
    OK(zmq_msg_init_size(&m, 2));
    memcpy(zmq_msg_data(&m), "hi", 2);
    EQ_INT(zmq_sendmsg(a, &m, 0), 2);
    OK(zmq_msg_close(&m));
    OK(zmq_msg_init(&m));
    EQ_INT(zmq_recvmsg(b, &m, 0), 2);
    CHECK(memcmp(zmq_msg_data(&m), "hi", 2) == 0);
    OK(zmq_msg_close(&m));
}

static void test_iov(void)
{
    char p1[] = "first", p2[] = "second", p3[] = "third";
    struct iovec out[3] = {{p1, 5}, {p2, 6}, {p3, 5}};
    /* ZMQ_SNDMORE makes the parts one message (cleared on the last). */
    OK(zmq_sendiov(a, out, 3, ZMQ_SNDMORE));
    struct iovec in[3];
    size_t count = 3;
    CHECK(zmq_recviov(b, in, &count, 0) >= 0);
    EQ_INT(count, 3);
    CHECK(in[0].iov_len == 5 && memcmp(in[0].iov_base, "first", 5) == 0);
    CHECK(in[1].iov_len == 6 && memcmp(in[1].iov_base, "second", 6) == 0);
    CHECK(in[2].iov_len == 5 && memcmp(in[2].iov_base, "third", 5) == 0);
    for (size_t i = 0; i < count; i++)
        free(in[i].iov_base);
    FAILS(zmq_sendiov(a, out, 0, 0), EINVAL);
}

static void test_dontwait(void)
{
    char buf[4];
    FAILS(zmq_recv(b, buf, sizeof buf, ZMQ_DONTWAIT), EAGAIN);
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    FAILS(zmq_msg_recv(&m, b, ZMQ_DONTWAIT), EAGAIN);
    OK(zmq_msg_close(&m));
}

/* A failed zmq_msg_send leaves the message with the caller. */
static void test_failed_send_keeps_message(void)
{
    void *lonely = tu_socket(ctx, ZMQ_PUSH);
    OK(zmq_bind(lonely, "inproc://lonely"));
    zmq_msg_t m;
    OK(zmq_msg_init_size(&m, 100));
    memset(zmq_msg_data(&m), 'k', 100);
    FAILS(zmq_msg_send(&m, lonely, ZMQ_DONTWAIT), EAGAIN);
    EQ_INT(zmq_msg_size(&m), 100);
    CHECK(((char *) zmq_msg_data(&m))[99] == 'k');
    OK(zmq_msg_close(&m));
    OK(zmq_close(lonely));
}

int main(void)
{
    tu_start(30);
    ctx = zmq_ctx_new();
    a = tu_socket(ctx, ZMQ_PAIR);
    b = tu_socket(ctx, ZMQ_PAIR);
    char ep[256];
    tu_bind(b, "tcp://127.0.0.1:*", ep, sizeof ep);
    OK(zmq_connect(a, ep));
    RUN(test_truncation);
    RUN(test_empty_parts);
    RUN(test_send_const);
    RUN(test_sendmsg_aliases);
    RUN(test_iov);
    RUN(test_dontwait);
    RUN(test_failed_send_keeps_message);
    OK(zmq_close(a));
    OK(zmq_close(b));
    OK(zmq_ctx_term(ctx));
    return tu_done();
}
