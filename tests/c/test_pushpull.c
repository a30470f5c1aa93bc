/* PUSH/PULL: round-robin load balancing, fair queuing, multipart
 * atomicity, HWM blocking and timeouts (modelled on libzmq's
 * test_spec_pushpull and test_hwm scenarios). */
#include "testutil.h"

static void *ctx;

/* A PUSH connected to three PULLs deals messages round-robin. Its
 * pipes exist from zmq_connect on (IMMEDIATE is off), so the rotation is
 * exact even before the connections are up. */
static void load_balance_over(const char *bind_ep)
{
    void *push = tu_socket(ctx, ZMQ_PUSH);
    void *pull[3];
    for (int i = 0; i < 3; i++) {
        char ep[256], want[64];
        pull[i] = tu_socket(ctx, ZMQ_PULL);
        snprintf(want, sizeof want, bind_ep, i);
        tu_bind(pull[i], want, ep, sizeof ep);
        OK(zmq_connect(push, ep));
    }
    for (int i = 0; i < 30; i++) {
        char m[16];
        snprintf(m, sizeof m, "%d", i);
        tu_send_str(push, m, 0);
    }
    /* Each got exactly 10; the order is fixed by rotation. */
    int got[3] = {0};
    for (int k = 0; k < 3; k++) {
        for (int j = 0; j < 10; j++) {
            char buf[16];
            int n = zmq_recv(pull[k], buf, sizeof buf - 1, 0);
            CHECK(n > 0);
            got[k]++;
        }
        char buf[16];
        FAILS(zmq_recv(pull[k], buf, sizeof buf, ZMQ_DONTWAIT), EAGAIN);
    }
    for (int k = 0; k < 3; k++) {
        EQ_INT(got[k], 10);
        OK(zmq_close(pull[k]));
    }
    OK(zmq_close(push));
}

static void test_load_balance_inproc(void) { load_balance_over("inproc://lb%d"); }
static void test_load_balance_tcp(void) { load_balance_over("tcp://127.0.0.1:*"); }

/* A PULL bound to one endpoint takes turns among three PUSH peers. */
static void test_fair_queue(void)
{
    char ep[256];
    void *pull = tu_socket(ctx, ZMQ_PULL);
    tu_bind(pull, "tcp://127.0.0.1:*", ep, sizeof ep);
    void *push[3];
    for (int i = 0; i < 3; i++) {
        push[i] = tu_socket(ctx, ZMQ_PUSH);
        OK(zmq_connect(push[i], ep));
        tu_wait_connected(push[i], pull);
    }
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 2; j++) {
            char m[8];
            snprintf(m, sizeof m, "%c%d", 'a' + i, j);
            tu_send_str(push[i], m, 0);
        }
    /* All six arrive; per-sender order is kept. */
    int next[3] = {0};
    for (int n = 0; n < 6; n++) {
        char buf[8] = {0};
        CHECK(zmq_recv(pull, buf, sizeof buf - 1, 0) == 2);
        int who = buf[0] - 'a';
        CHECK(who >= 0 && who < 3);
        EQ_INT(buf[1] - '0', next[who]);
        next[who]++;
    }
    for (int i = 0; i < 3; i++)
        OK(zmq_close(push[i]));
    OK(zmq_close(pull));
}

/* Multipart messages arrive whole and in order, parts never interleave. */
static void test_multipart_atomic(void)
{
    char ep[256];
    void *pull = tu_socket(ctx, ZMQ_PULL);
    tu_bind(pull, "tcp://127.0.0.1:*", ep, sizeof ep);
    void *p1 = tu_socket(ctx, ZMQ_PUSH), *p2 = tu_socket(ctx, ZMQ_PUSH);
    OK(zmq_connect(p1, ep));
    OK(zmq_connect(p2, ep));
    tu_wait_connected(p1, pull);
    tu_wait_connected(p2, pull);
    for (int i = 0; i < 50; i++) {
        tu_send_str(p1, "A1", ZMQ_SNDMORE);
        tu_send_str(p2, "B1", ZMQ_SNDMORE);
        tu_send_str(p1, "A2", ZMQ_SNDMORE);
        tu_send_str(p2, "B2", ZMQ_SNDMORE);
        tu_send_str(p1, "A3", 0);
        tu_send_str(p2, "B3", 0);
    }
    for (int i = 0; i < 100; i++) {
        char buf[4] = {0};
        CHECK(zmq_recv(pull, buf, 3, 0) == 2);
        char who = buf[0];
        CHECK(buf[1] == '1' && tu_get_int(pull, ZMQ_RCVMORE));
        char want[3] = {who, '2', 0};
        tu_recv_str(pull, want);
        CHECK(tu_get_int(pull, ZMQ_RCVMORE));
        want[1] = '3';
        tu_recv_str(pull, want);
        CHECK(!tu_get_int(pull, ZMQ_RCVMORE));
    }
    OK(zmq_close(p1));
    OK(zmq_close(p2));
    OK(zmq_close(pull));
}

/* With no peer, an unconnected PUSH bound socket has nowhere to send:
 * DONTWAIT fails with EAGAIN, a timed send fails after SNDTIMEO. */
static void test_no_peer_eagain(void)
{
    void *push = tu_socket(ctx, ZMQ_PUSH);
    OK(zmq_bind(push, "inproc://nobody"));
    FAILS(zmq_send(push, "x", 1, ZMQ_DONTWAIT), EAGAIN);
    tu_set_int(push, ZMQ_SNDTIMEO, 20);
    FAILS(zmq_send(push, "x", 1, 0), EAGAIN);
    OK(zmq_close(push));
}

/* PUSH connected over inproc stops at SNDHWM + peer's RCVHWM messages. */
static void test_hwm_inproc(void)
{
    void *pull = tu_socket(ctx, ZMQ_PULL), *push = tu_socket(ctx, ZMQ_PUSH);
    tu_set_int(pull, ZMQ_RCVHWM, 3);
    tu_set_int(push, ZMQ_SNDHWM, 4);
    OK(zmq_bind(pull, "inproc://hwm"));
    OK(zmq_connect(push, "inproc://hwm"));
    int sent = 0;
    while (zmq_send(push, "m", 1, ZMQ_DONTWAIT) == 1)
        sent++;
    CHECK(zmq_errno() == EAGAIN);
    EQ_INT(sent, 7);
    /* Reading makes room again (a blocking send: libzmq may look at the
     * reader's progress only when it would otherwise wait). */
    for (int i = 0; i < sent; i++)
        tu_recv_str(pull, "m");
    OK(zmq_send(push, "m", 1, 0));
    tu_recv_str(pull, "m");
    OK(zmq_close(push));
    OK(zmq_close(pull));
}

/* RCVTIMEO: a receive with nothing to read fails with EAGAIN. */
static void test_rcvtimeo(void)
{
    void *pull = tu_socket(ctx, ZMQ_PULL);
    OK(zmq_bind(pull, "inproc://rcvtimeo"));
    tu_set_int(pull, ZMQ_RCVTIMEO, 30);
    char buf[4];
    void *watch = zmq_stopwatch_start();
    FAILS(zmq_recv(pull, buf, sizeof buf, 0), EAGAIN);
    unsigned long us = zmq_stopwatch_stop(watch);
    CHECK(us >= 25000); /* waited about the timeout, not zero */
    FAILS(zmq_recv(pull, buf, sizeof buf, ZMQ_DONTWAIT), EAGAIN);
    OK(zmq_close(pull));
}

/* PUSH cannot receive and PULL cannot send. */
static void test_wrong_direction(void)
{
    void *push = tu_socket(ctx, ZMQ_PUSH), *pull = tu_socket(ctx, ZMQ_PULL);
    char buf[4];
    FAILS(zmq_recv(push, buf, sizeof buf, ZMQ_DONTWAIT), ENOTSUP);
    FAILS(zmq_send(pull, "x", 1, ZMQ_DONTWAIT), ENOTSUP);
    OK(zmq_close(push));
    OK(zmq_close(pull));
}

/* Messages sent before the peer exists are delivered once it binds. */
static void test_queue_before_connection(void)
{
    char ep[256];
    tu_ipc_endpoint(ep, sizeof ep, "late.sock");
    void *push = tu_socket(ctx, ZMQ_PUSH);
    OK(zmq_connect(push, ep));
    for (int i = 0; i < 5; i++)
        tu_send_str(push, "queued", 0);
    void *pull = tu_socket(ctx, ZMQ_PULL);
    OK(zmq_bind(pull, ep));
    for (int i = 0; i < 5; i++)
        tu_recv_str(pull, "queued");
    OK(zmq_close(push));
    OK(zmq_close(pull));
}

/* Peers of incompatible types never exchange messages (RFC 23's socket
 * type check in the handshake): a PUSH connected to a PUSH. */
static void test_incompatible_peer(void)
{
    char ep[256];
    void *a = tu_socket(ctx, ZMQ_PUSH), *b = tu_socket(ctx, ZMQ_PAIR);
    tu_bind(a, "tcp://127.0.0.1:*", ep, sizeof ep);
    OK(zmq_connect(b, ep));
    tu_set_int(b, ZMQ_RCVTIMEO, 200);
    /* The bound PUSH gets no pipe from a PAIR: sending cannot proceed. */
    FAILS(zmq_send(a, "x", 1, ZMQ_DONTWAIT), EAGAIN);
    char buf[4];
    FAILS(zmq_recv(b, buf, sizeof buf, 0), EAGAIN);
    FAILS(zmq_send(a, "x", 1, ZMQ_DONTWAIT), EAGAIN);
    OK(zmq_close(a));
    OK(zmq_close(b));
}

int main(void)
{
    tu_start(60);
    ctx = zmq_ctx_new();
    RUN(test_load_balance_inproc);
    RUN(test_load_balance_tcp);
    RUN(test_fair_queue);
    RUN(test_multipart_atomic);
    RUN(test_no_peer_eagain);
    RUN(test_hwm_inproc);
    RUN(test_rcvtimeo);
    RUN(test_wrong_direction);
    RUN(test_queue_before_connection);
    RUN(test_incompatible_peer);
    OK(zmq_ctx_term(ctx));
    return tu_done();
}
