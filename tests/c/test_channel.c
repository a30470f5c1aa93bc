/* Draft CHANNEL (RFC 52; libzmq's test_channel): a single-part PAIR.
 * A round trip, multipart sends refused, a second peer ignored. inproc
 * and stable API calls only, so it runs on both libraries (Debian's
 * libzmq aborts in a CHANNEL's ZMTP handshake); test_draft_wire_draft
 * covers tcp and ipc on ours. */
#define ZMQ_BUILD_DRAFT_API
#include "testutil.h"

static void test_roundtrip(void)
{
    void *ctx = zmq_ctx_new();
    void *sb = tu_socket(ctx, ZMQ_CHANNEL), *sc = tu_socket(ctx, ZMQ_CHANNEL);
    OK(zmq_bind(sb, "inproc://channel"));
    OK(zmq_connect(sc, "inproc://channel"));
    tu_send_str(sc, "ping", 0);
    tu_recv_str(sb, "ping");
    tu_send_str(sb, "pong", 0);
    tu_recv_str(sc, "pong");
    EQ_INT(tu_get_int(sb, ZMQ_THREAD_SAFE), 1);
    OK(zmq_close(sb));
    OK(zmq_close(sc));
    OK(zmq_ctx_term(ctx));
}


static void test_sndmore_fails(void)
{
    void *ctx = zmq_ctx_new();
    void *sb = tu_socket(ctx, ZMQ_CHANNEL), *sc = tu_socket(ctx, ZMQ_CHANNEL);
    OK(zmq_bind(sb, "inproc://channel-more"));
    OK(zmq_connect(sc, "inproc://channel-more"));
    FAILS(zmq_send(sc, "X", 1, ZMQ_SNDMORE), EINVAL);
    FAILS(zmq_send(sb, "X", 1, ZMQ_SNDMORE), EINVAL);
    tu_send_str(sc, "after", 0);
    tu_recv_str(sb, "after");
    OK(zmq_close(sb));
    OK(zmq_close(sc));
    OK(zmq_ctx_term(ctx));
}

/* Like PAIR, a CHANNEL talks to its first peer only. */
static void test_second_peer_ignored(void)
{
    void *ctx = zmq_ctx_new();
    void *sb = tu_socket(ctx, ZMQ_CHANNEL);
    void *c1 = tu_socket(ctx, ZMQ_CHANNEL), *c2 = tu_socket(ctx, ZMQ_CHANNEL);
    OK(zmq_bind(sb, "inproc://channel-two"));
    OK(zmq_connect(c1, "inproc://channel-two"));
    tu_send_str(c1, "first", 0);
    tu_recv_str(sb, "first");
    OK(zmq_connect(c2, "inproc://channel-two"));
    zmq_send(c2, "second", 6, ZMQ_DONTWAIT); /* may queue; never delivered */
    tu_send_str(c1, "again", 0);
    tu_recv_str(sb, "again");
    tu_send_str(sb, "reply", 0);
    tu_recv_str(c1, "reply");
    char buf[8];
    FAILS(zmq_recv(sb, buf, sizeof buf, ZMQ_DONTWAIT), EAGAIN);
    OK(zmq_close(sb));
    OK(zmq_close(c1));
    OK(zmq_close(c2));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(60);
    RUN(test_roundtrip);
    RUN(test_sndmore_fails);
    RUN(test_second_peer_ignored);
    return tu_done();
}
