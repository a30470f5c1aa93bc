/* ZMQ_HANDSHAKE_IVL against a silent peer (modelled on libzmq's
 * test_stream_timeout): a STREAM socket connects to, or accepts, a DEALER
 * and never sends a ZMTP greeting; with a 100 ms handshake interval the
 * DEALER reports the connection (ACCEPTED / CONNECTED) and then drops it
 * (DISCONNECTED). The default interval is 30 s. */
#include "testraw.h"

static void *dealer_with_short_handshake(void *ctx)
{
    void *dealer = tu_socket(ctx, ZMQ_DEALER);
    EQ_INT(tu_get_int(dealer, ZMQ_HANDSHAKE_IVL), 30000);
    tu_set_int(dealer, ZMQ_HANDSHAKE_IVL, 100);
    EQ_INT(tu_get_int(dealer, ZMQ_HANDSHAKE_IVL), 100);
    return dealer;
}

static void expect_event(void *mon, int want)
{
    int ev = tr_monitor_event(mon, NULL);
    if (ev != want)
        FAILF("monitor event 0x%x, want 0x%x", ev, want);
}

static void test_timeout_accept(void)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    void *stream = tu_socket(ctx, ZMQ_STREAM);
    void *dealer = dealer_with_short_handshake(ctx);
    void *mon = tr_monitor(ctx, dealer, "accept",
                           ZMQ_EVENT_CONNECTED | ZMQ_EVENT_DISCONNECTED | ZMQ_EVENT_ACCEPTED);
    tu_bind(dealer, "tcp://127.0.0.1:*", ep, sizeof ep);
    OK(zmq_connect(stream, ep));
    expect_event(mon, ZMQ_EVENT_ACCEPTED);
    expect_event(mon, ZMQ_EVENT_DISCONNECTED);
    OK(zmq_close(dealer));
    OK(zmq_close(mon));
    OK(zmq_close(stream));
    OK(zmq_ctx_term(ctx));
}

static void test_timeout_connect(void)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    void *stream = tu_socket(ctx, ZMQ_STREAM);
    tu_bind(stream, "tcp://127.0.0.1:*", ep, sizeof ep);
    void *dealer = dealer_with_short_handshake(ctx);
    void *mon = tr_monitor(ctx, dealer, "connect",
                           ZMQ_EVENT_CONNECTED | ZMQ_EVENT_DISCONNECTED | ZMQ_EVENT_ACCEPTED);
    OK(zmq_connect(dealer, ep));
    expect_event(mon, ZMQ_EVENT_CONNECTED);
    expect_event(mon, ZMQ_EVENT_DISCONNECTED);
    OK(zmq_close(dealer));
    OK(zmq_close(mon));
    OK(zmq_close(stream));
    OK(zmq_ctx_term(ctx));
}

/* The same against a raw TCP peer that connects and stays silent: the
 * DEALER must hang up on it within the interval (bounded: 5 s). */
static void test_timeout_raw_peer(void)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    void *dealer = dealer_with_short_handshake(ctx);
    tu_bind(dealer, "tcp://127.0.0.1:*", ep, sizeof ep);
    int fd = tr_connect(ep);
    char buf[128];
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        if (tr_poll(&p, 1, 5000) != 1)
            FAILF("the silent peer was not dropped");
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            break; /* EOF or reset: dropped */
    }
    close(fd);
    OK(zmq_close(dealer));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(30);
    RUN(test_timeout_accept);
    RUN(test_timeout_connect);
    RUN(test_timeout_raw_peer);
    return tu_done();
}
