/* Receiving messages that are already queued: what the application sees
 * must not depend on how many parts the library has taken from the pipe
 * ahead of the call (gozmq keeps a per-socket receive cache in C; libzmq
 * reads straight from its pipe). Runs on both libraries. */
#include <string.h>

#include <zmq.h>

#include "testutil.h"

static int events_of(void *s) { return tu_get_int(s, ZMQ_EVENTS); }

/* Part j of message i: its text, and whether more parts follow. Every
 * third message has three parts; every fifth part has a body too large to
 * be stored inside a zmq_msg_t. */
static int parts_of(int i) { return i % 3 == 0 ? 3 : 1; }

static size_t body(int i, int j, char *out, size_t cap)
{
    int n = snprintf(out, cap, "m%d.%d", i, j);
    if ((i + j) % 5 == 0) {
        memset(out + n, 'x', 100);
        n += 100;
    }
    return (size_t) n;
}

/* Parts taken ahead of time keep ZMQ_RCVMORE, ZMQ_EVENTS, zmq_poll and
 * zmq_recv's truncation exactly as they are for parts still queued. */
static void test_parts_and_state(void)
{
    void *ctx = zmq_ctx_new();
    void *push = tu_socket(ctx, ZMQ_PUSH), *pull = tu_socket(ctx, ZMQ_PULL);
    OK(zmq_bind(pull, "inproc://queued"));
    OK(zmq_connect(push, "inproc://queued"));
    const int count = 60;
    char buf[200];
    for (int i = 0; i < count; i++)
        for (int j = 0; j < parts_of(i); j++) {
            size_t n = body(i, j, buf, sizeof buf);
            EQ_INT(zmq_send(push, buf, n, j + 1 < parts_of(i) ? ZMQ_SNDMORE : 0), (int) n);
        }
    for (int i = 0; i < count; i++) {
        for (int j = 0; j < parts_of(i); j++) {
            EQ_INT(events_of(pull) & ZMQ_POLLIN, ZMQ_POLLIN);
            zmq_pollitem_t it = {pull, 0, ZMQ_POLLIN, 0};
            EQ_INT(zmq_poll(&it, 1, 0), 1);
            char want[200], got[200];
            size_t n = body(i, j, want, sizeof want);
            int more_wanted = j + 1 < parts_of(i);
            if ((i + j) % 2 == 0) {
                /* zmq_recv into a short buffer: truncated, full size. */
                EQ_INT(zmq_recv(pull, got, 8, 0), (int) n);
                CHECK(memcmp(got, want, n < 8 ? n : 8) == 0);
            } else {
                zmq_msg_t m;
                zmq_msg_init(&m);
                EQ_INT(zmq_msg_recv(&m, pull, 0), (int) n);
                CHECK(memcmp(zmq_msg_data(&m), want, n) == 0);
                EQ_INT(zmq_msg_more(&m), more_wanted);
                zmq_msg_close(&m);
            }
            EQ_INT(tu_get_int(pull, ZMQ_RCVMORE), more_wanted);
        }
    }
    EQ_INT(events_of(pull) & ZMQ_POLLIN, 0);
    zmq_pollitem_t it = {pull, 0, ZMQ_POLLIN, 0};
    EQ_INT(zmq_poll(&it, 1, 0), 0);
    FAILS(zmq_recv(pull, buf, sizeof buf, ZMQ_DONTWAIT), EAGAIN);
    OK(zmq_close(push));
    OK(zmq_close(pull));
    OK(zmq_ctx_term(ctx));
}

/* An unsubscription also applies to matching messages already queued:
 * they are dropped when received, whole (libzmq filters on receive). */
static void test_unsubscribe_queued(void)
{
    void *ctx = zmq_ctx_new();
    void *pub = tu_socket(ctx, ZMQ_XPUB), *sub = tu_socket(ctx, ZMQ_SUB);
    OK(zmq_bind(pub, "inproc://queued-sub"));
    OK(zmq_connect(sub, "inproc://queued-sub"));
    OK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "a", 1));
    OK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "b", 1));
    char buf[16];
    /* Both subscriptions have reached the publisher. */
    EQ_INT(zmq_recv(pub, buf, sizeof buf, 0), 2);
    EQ_INT(zmq_recv(pub, buf, sizeof buf, 0), 2);
    const char *seq[] = {"a1", "b1", "a2", "b2", "a3", "b3", "a4", NULL};
    for (int i = 0; seq[i]; i++) {
        int multi = strcmp(seq[i], "b2") == 0 || strcmp(seq[i], "a3") == 0;
        tu_send_str(pub, seq[i], multi ? ZMQ_SNDMORE : 0);
        if (multi)
            tu_send_str(pub, "tail", 0);
    }
    tu_recv_str(sub, "a1");
    OK(zmq_setsockopt(sub, ZMQ_UNSUBSCRIBE, "b", 1));
    tu_recv_str(sub, "a2");
    tu_recv_str(sub, "a3");
    EQ_INT(tu_get_int(sub, ZMQ_RCVMORE), 1);
    tu_recv_str(sub, "tail");
    tu_recv_str(sub, "a4");
    FAILS(zmq_recv(sub, buf, sizeof buf, ZMQ_DONTWAIT), EAGAIN);
    OK(zmq_close(pub));
    OK(zmq_close(sub));
    OK(zmq_ctx_term(ctx));
}

/* A socket closed while messages are queued (some possibly taken ahead
 * already) releases them; under AddressSanitizer a leak fails the run. */
static void test_close_with_queued(void)
{
    void *ctx = zmq_ctx_new();
    void *push = tu_socket(ctx, ZMQ_PUSH), *pull = tu_socket(ctx, ZMQ_PULL);
    OK(zmq_bind(pull, "inproc://queued-close"));
    OK(zmq_connect(push, "inproc://queued-close"));
    char big[300];
    memset(big, 'y', sizeof big);
    for (int i = 0; i < 20; i++)
        EQ_INT(zmq_send(push, big, i % 2 ? sizeof big : 10, 0), i % 2 ? (int) sizeof big : 10);
    EQ_INT(zmq_recv(pull, big, sizeof big, 0), 10);
    OK(zmq_close(pull));
    OK(zmq_close(push));
    OK(zmq_ctx_term(ctx));
}

/* ROUTER: the routing-id part and the body keep their order and flags
 * across several peers. */
static void test_router_queued(void)
{
    void *ctx = zmq_ctx_new();
    void *router = tu_socket(ctx, ZMQ_ROUTER);
    OK(zmq_bind(router, "inproc://queued-router"));
    void *d[2];
    for (int k = 0; k < 2; k++) {
        d[k] = tu_socket(ctx, ZMQ_DEALER);
        char id[4] = {'d', (char) ('0' + k), 0};
        OK(zmq_setsockopt(d[k], ZMQ_ROUTING_ID, id, 2));
        OK(zmq_connect(d[k], "inproc://queued-router"));
        for (int i = 0; i < 10; i++) {
            char b[8];
            snprintf(b, sizeof b, "%d", i);
            tu_send_str(d[k], b, 0);
        }
    }
    int next[2] = {0, 0};
    for (int n = 0; n < 20; n++) {
        char id[8], b[8];
        int len = zmq_recv(router, id, sizeof id, 0);
        EQ_INT(len, 2);
        EQ_INT(tu_get_int(router, ZMQ_RCVMORE), 1);
        int k = id[1] - '0';
        CHECK(k == 0 || k == 1);
        snprintf(b, sizeof b, "%d", next[k]++);
        tu_recv_str(router, b);
        EQ_INT(tu_get_int(router, ZMQ_RCVMORE), 0);
    }
    EQ_INT(next[0], 10);
    EQ_INT(next[1], 10);
    for (int k = 0; k < 2; k++)
        OK(zmq_close(d[k]));
    OK(zmq_close(router));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(60);
    RUN(test_parts_and_state);
    RUN(test_unsubscribe_queued);
    RUN(test_close_with_queued);
    RUN(test_router_queued);
    return tu_done();
}
