/* Bursts of sends over tcp, ipc and inproc: every part arrives once, in order,
 * with its flags, whichever way the library moves it (gozmq queues a
 * burst's sends in C memory and sends them from a goroutine; libzmq
 * writes into its pipe), and a close right after a burst still delivers
 * it (LINGER). Runs on both libraries. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <zmq.h>

#include "testutil.h"

/* Message i: a body of (i * 37) % 300 bytes derived from i; every seventh
 * message has a second part. */
static size_t fill(int i, int part, char *b)
{
    size_t n = (size_t) ((i * 37 + part) % 300);
    for (size_t k = 0; k < n; k++)
        b[k] = (char) (i + part + (int) k);
    return n;
}

static int parts(int i) { return i % 7 == 0 ? 2 : 1; }

static void send_all(void *s, int count)
{
    char b[300];
    for (int i = 0; i < count; i++)
        for (int p = 0; p < parts(i); p++) {
            size_t n = fill(i, p, b);
            int flags = p + 1 < parts(i) ? ZMQ_SNDMORE : 0;
            if (i % 2) {
                zmq_msg_t m;
                OK(zmq_msg_init_size(&m, n));
                memcpy(zmq_msg_data(&m), b, n);
                EQ_INT(zmq_msg_send(&m, s, flags), (int) n);
                zmq_msg_close(&m);
            } else {
                EQ_INT(zmq_send(s, b, n, flags), (int) n);
            }
        }
}

/* Receives messages 0..count-1 in order and returns count; with
 * may_stop, a receive that times out (EAGAIN) ends it early and returns
 * how many whole messages came. */
static int recv_upto(void *s, int count, int may_stop)
{
    char want[300], got[300];
    for (int i = 0; i < count; i++)
        for (int p = 0; p < parts(i); p++) {
            size_t n = fill(i, p, want);
            int r = zmq_recv(s, got, sizeof got, 0);
            if (r < 0 && zmq_errno() == EAGAIN && may_stop && p == 0)
                return i;
            if (r != (int) n || memcmp(got, want, n) != 0)
                FAILF("message %d part %d: got %d bytes, want %zu", i, p, r, n);
            EQ_INT(tu_get_int(s, ZMQ_RCVMORE), p + 1 < parts(i));
        }
    return count;
}

static void recv_all(void *s, int count) { recv_upto(s, count, 0); }

/* PUSH sends a burst (no high-water marks) and closes at once; LINGER
 * delivers all of it. */
static void burst_then_close(const char *ep_in)
{
    void *ctx = zmq_ctx_new();
    void *pull = tu_socket(ctx, ZMQ_PULL), *push = tu_socket(ctx, ZMQ_PUSH);
    char ep[256];
    tu_bind(pull, ep_in, ep, sizeof ep);
    tu_set_int(push, ZMQ_LINGER, 10000);
    tu_set_int(push, ZMQ_SNDHWM, 0);
    tu_set_int(pull, ZMQ_RCVHWM, 0);
    OK(zmq_connect(push, ep));
    tu_wait_connected(push, pull);
    const int count = 20000;
    send_all(push, count);
    OK(zmq_close(push));
    /* libzmq sometimes loses the last parts sent before zmq_close, LINGER
     * or not (its issues 1922 and 4660; seen here once, in a run of the whole
     * of the suite under load, over ipc): tolerated for the reference
     * library, whose run still checks everything that arrives; never for
     * gozmq. */
    int got = recv_upto(pull, count, !tu_is_gozmq());
    if (got < count)
        printf("libzmq lost messages %d..%d of the burst sent before zmq_close "
               "(libzmq issues 1922, 4660)\n", got, count - 1);
    char b[8];
    FAILS(zmq_recv(pull, b, sizeof b, ZMQ_DONTWAIT), EAGAIN);
    OK(zmq_close(pull));
    OK(zmq_ctx_term(ctx));
}

static void test_burst_then_close_tcp(void) { burst_then_close("tcp://127.0.0.1:*"); }

static void test_burst_then_close_ipc(void)
{
    char ep[256];
    burst_then_close(tu_ipc_endpoint(ep, sizeof ep, "burst"));
}

/* PUB to SUB with no high-water mark: a burst arrives whole. */
static void test_pub_burst(void)
{
    void *ctx = zmq_ctx_new();
    void *pub = tu_socket(ctx, ZMQ_PUB), *sub = tu_socket(ctx, ZMQ_SUB);
    tu_set_int(pub, ZMQ_SNDHWM, 0);
    tu_set_int(sub, ZMQ_RCVHWM, 0);
    char ep[256];
    tu_bind(pub, "tcp://127.0.0.1:*", ep, sizeof ep);
    OK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "", 0));
    OK(zmq_connect(sub, ep));
    /* Until the subscription is in, a PUB drops: send markers until one
     * arrives, then drain the extra markers. */
    tu_set_int(sub, ZMQ_RCVTIMEO, 20);
    char b[300];
    int up = 0;
    for (int i = 0; i < 500 && !up; i++) {
        tu_send_str(pub, "M", 0);
        up = zmq_recv(sub, b, sizeof b, 0) == 1;
    }
    CHECK(up);
    tu_send_str(pub, "END", 0);
    while (zmq_recv(sub, b, sizeof b, 0) != 3) {
    }
    tu_set_int(sub, ZMQ_RCVTIMEO, 5000);
    const int count = 20000;
    send_all(pub, count);
    recv_all(sub, count);
    OK(zmq_close(pub));
    OK(zmq_close(sub));
    OK(zmq_ctx_term(ctx));
}

/* Receives single-part message *next and counts it; 0 if nothing came
 * (EAGAIN with DONTWAIT), a failure if something else did. */
static int recv_next(void *s, int *next, int flags)
{
    char want[300], got[300];
    int r = zmq_recv(s, got, sizeof got, flags);
    if (r < 0 && zmq_errno() == EAGAIN && (flags & ZMQ_DONTWAIT))
        return 0;
    size_t n = fill((*next)++, 0, want);
    if (r != (int) n || memcmp(got, want, n) != 0)
        FAILF("message %d: got %d bytes (errno %d), want %zu", *next - 1, r, zmq_errno(), n);
    return 1;
}

/* Two DEALERs each send a burst while receiving the other's: sends and
 * receives of one socket interleave. */
static void test_dealer_both_ways(void)
{
    void *ctx = zmq_ctx_new();
    void *a = tu_socket(ctx, ZMQ_DEALER), *b = tu_socket(ctx, ZMQ_DEALER);
    char ep[256];
    tu_bind(a, "tcp://127.0.0.1:*", ep, sizeof ep);
    OK(zmq_connect(b, ep));
    tu_wait_connected(b, a);
    const int count = 5000;
    char want[300];
    int recvd_a = 0, recvd_b = 0;
    for (int i = 0; i < count; i++) {
        size_t n = fill(i, 0, want);
        EQ_INT(zmq_send(a, want, n, 0), (int) n);
        EQ_INT(zmq_send(b, want, n, 0), (int) n);
        /* Take whatever has arrived, checking order. */
        while (recv_next(a, &recvd_a, ZMQ_DONTWAIT)) {
        }
        while (recv_next(b, &recvd_b, ZMQ_DONTWAIT)) {
        }
    }
    while (recvd_a < count)
        CHECK(recv_next(a, &recvd_a, 0));
    while (recvd_b < count)
        CHECK(recv_next(b, &recvd_b, 0));
    OK(zmq_close(a));
    OK(zmq_close(b));
    OK(zmq_ctx_term(ctx));
}

/* A PUSH connected over tcp to a PULL, both with high-water mark hwm. */
static void tcp_push_pull(void *ctx, int hwm, void **push, void **pull)
{
    *pull = tu_socket(ctx, ZMQ_PULL);
    *push = tu_socket(ctx, ZMQ_PUSH);
    tu_set_int(*push, ZMQ_SNDHWM, hwm);
    tu_set_int(*pull, ZMQ_RCVHWM, hwm);
    char ep[256];
    tu_bind(*pull, "tcp://127.0.0.1:*", ep, sizeof ep);
    OK(zmq_connect(*push, ep));
    tu_wait_connected(*push, *pull);
}

/* With SNDHWM and RCVHWM reached, a send waits (EAGAIN with DONTWAIT or
 * after SNDTIMEO) and nothing accepted is lost: once the receiver reads,
 * exactly the accepted messages arrive. */
static void test_hwm_no_loss(void)
{
    void *ctx = zmq_ctx_new(), *push, *pull;
    tcp_push_pull(ctx, 50, &push, &pull);
    size_t size = 64 * 1024;
    char *body = malloc(size);
    CHECK(body != NULL);
    int sent = 0;
    /* Bounded: the kernel's buffers and both HWMs hold a few hundred. */
    tu_set_int(push, ZMQ_SNDTIMEO, 200);
    for (; sent < 100000; sent++) {
        memset(body, sent & 0xff, size);
        if (zmq_send(push, body, size, 0) < 0) {
            EQ_INT(zmq_errno(), EAGAIN);
            break;
        }
    }
    CHECK(sent >= 100 && sent < 100000);
    FAILS(zmq_send(push, body, size, ZMQ_DONTWAIT), EAGAIN);
    for (int i = 0; i < sent; i++) {
        EQ_INT(zmq_recv(pull, body, size, 0), (int) size);
        CHECK((unsigned char) body[size - 1] == (unsigned char) (i & 0xff));
    }
    FAILS(zmq_recv(pull, body, size, ZMQ_DONTWAIT), EAGAIN);
    free(body);
    OK(zmq_close(push));
    OK(zmq_close(pull));
    OK(zmq_ctx_term(ctx));
}

/* Over inproc a sent message is in the peer's pipe when the send
 * returns (libzmq's behaviour, which programs rely on): after each burst
 * the same thread receives all of it without waiting, for PUSH->PULL and
 * PUB->SUB. */
static void inproc_visible(int send_type, int recv_type)
{
    void *ctx = zmq_ctx_new();
    void *tx = tu_socket(ctx, send_type), *rx = tu_socket(ctx, recv_type);
    tu_set_int(tx, ZMQ_SNDHWM, 0);
    tu_set_int(rx, ZMQ_RCVHWM, 0);
    if (recv_type == ZMQ_SUB)
        OK(zmq_setsockopt(rx, ZMQ_SUBSCRIBE, "", 0));
    /* The receiver connects: its end of the pipe (with SUB's
     * subscription in it) exists before the first send. */
    OK(zmq_bind(tx, "inproc://visible"));
    OK(zmq_connect(rx, "inproc://visible"));
    char want[300], got[300];
    int next = 0;
    for (int round = 0; round < 50; round++) {
        int from = next;
        for (int i = 0; i < 200; i++, next++) {
            size_t n = fill(next, 0, want);
            EQ_INT(zmq_send(tx, want, n, 0), (int) n);
        }
        if (round % 2) {
            zmq_pollitem_t it = {rx, 0, ZMQ_POLLIN, 0};
            EQ_INT(zmq_poll(&it, 1, 0), 1);
        }
        for (int i = from; i < next; i++) {
            size_t n = fill(i, 0, want);
            int r = zmq_recv(rx, got, sizeof got, ZMQ_DONTWAIT);
            if (r != (int) n || memcmp(got, want, n) != 0)
                FAILF("round %d message %d: got %d (errno %d), want %zu bytes", round, i, r, zmq_errno(), n);
        }
        FAILS(zmq_recv(rx, got, sizeof got, ZMQ_DONTWAIT), EAGAIN);
    }
    OK(zmq_close(tx));
    OK(zmq_close(rx));
    OK(zmq_ctx_term(ctx));
}

static void test_inproc_push_visible(void) { inproc_visible(ZMQ_PUSH, ZMQ_PULL); }
static void test_inproc_pub_visible(void) { inproc_visible(ZMQ_PUB, ZMQ_SUB); }

/* After zmq_ctx_shutdown, sends start failing with ETERM, also in the
 * middle of a burst: gozmq at once, libzmq once it has processed the
 * shutdown (it looks at most about every millisecond while busy). */
static void test_shutdown_mid_burst(void)
{
    void *ctx = zmq_ctx_new();
    void *pull = tu_socket(ctx, ZMQ_PULL), *push = tu_socket(ctx, ZMQ_PUSH);
    tu_set_int(push, ZMQ_SNDHWM, 0);
    tu_set_int(pull, ZMQ_RCVHWM, 0);
    char ep[256];
    tu_bind(pull, "tcp://127.0.0.1:*", ep, sizeof ep);
    OK(zmq_connect(push, ep));
    tu_wait_connected(push, pull);
    send_all(push, 2000);
    OK(zmq_ctx_shutdown(ctx));
    if (tu_is_gozmq()) /* at once, though the burst was using the send cache */
        FAILS(zmq_send(push, "x", 1, 0), ETERM);
    int rc = 0;
    for (int i = 0; i < 1000000 && rc >= 0; i++) {
        zmq_msg_t m;
        OK(zmq_msg_init_size(&m, 1));
        rc = i % 2 ? zmq_msg_send(&m, push, 0) : zmq_send(push, "x", 1, 0);
        zmq_msg_close(&m);
    }
    EQ_INT(rc, -1);
    EQ_INT(zmq_errno(), ETERM);
    OK(zmq_close(push));
    OK(zmq_close(pull));
    OK(zmq_ctx_term(ctx));
}

/* ZMQ_EVENTS and zmq_poll keep their promise while sends are queued:
 * POLLOUT means the next non-blocking send succeeds (only the receiver
 * can add room meanwhile, and it never reads here). */
static void test_pollout_promise(void)
{
    void *ctx = zmq_ctx_new(), *push, *pull;
    tcp_push_pull(ctx, 20, &push, &pull);
    static char body[32 * 1024];
    int sent = 0, refused = 0;
    for (int i = 0; i < 200000 && refused < 1000; i++) {
        int pollout;
        if (i % 2) {
            pollout = tu_get_int(push, ZMQ_EVENTS) & ZMQ_POLLOUT;
        } else {
            zmq_pollitem_t it = {push, 0, ZMQ_POLLOUT, 0};
            pollout = zmq_poll(&it, 1, 0) == 1;
        }
        if (pollout) {
            if (zmq_send(push, body, sizeof body, ZMQ_DONTWAIT) != (int) sizeof body)
                FAILF("POLLOUT reported, then the send failed: errno %d after %d sent", zmq_errno(), sent);
            sent++;
            refused = 0;
        } else {
            refused++;
        }
    }
    CHECK(sent > 0 && refused >= 1000); /* it filled up and stayed full */
    OK(zmq_close(push));
    OK(zmq_close(pull));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(120);
    RUN(test_burst_then_close_tcp);
    RUN(test_burst_then_close_ipc);
    RUN(test_pub_burst);
    RUN(test_dealer_both_ways);
    RUN(test_hwm_no_loss);
    RUN(test_shutdown_mid_burst);
    RUN(test_inproc_push_visible);
    RUN(test_inproc_pub_visible);
    RUN(test_pollout_promise);
    return tu_done();
}
