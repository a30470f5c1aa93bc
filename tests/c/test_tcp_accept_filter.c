/* Deprecated ZMQ_TCP_ACCEPT_FILTER (after libzmq's test_tcp_accept_filter):
 * CIDR filters on a listening socket admit only matching peers; malformed
 * filters are EINVAL; NULL clears them. A refused peer's connection is
 * closed at once, which its monitor reports, and the listening socket's
 * monitor reports ACCEPT_FAILED for it (ACCEPTED for an admitted one). */
#include "testraw.h"

/* Binds a PAIR with the given filters, connects another PAIR (no
 * reconnection) and checks that a message gets through, or not. */
static void run(const char *const *filters, int admitted)
{
    void *ctx = zmq_ctx_new();
    void *sb = tu_socket(ctx, ZMQ_PAIR);
    for (int i = 0; filters[i]; i++) {
        if (filters[i][0])
            OK(zmq_setsockopt(sb, ZMQ_TCP_ACCEPT_FILTER, filters[i], strlen(filters[i])));
        else
            OK(zmq_setsockopt(sb, ZMQ_TCP_ACCEPT_FILTER, NULL, 0));
    }
    char ep[256];
    tu_bind(sb, "tcp://127.0.0.1:*", ep, sizeof ep);
    void *sc = tu_socket(ctx, ZMQ_PAIR);
    tu_set_int(sc, ZMQ_RECONNECT_IVL, -1);
    void *mon = tr_monitor(ctx, sc, "filter", ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_DISCONNECTED);
    void *smon = tr_monitor(ctx, sb, "filter-srv", ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_ACCEPT_FAILED);
    OK(zmq_connect(sc, ep));
    EQ_INT(tr_monitor_event(smon, NULL), admitted ? ZMQ_EVENT_ACCEPTED : ZMQ_EVENT_ACCEPT_FAILED);
    if (admitted) {
        tu_send_str(sc, "in", 0);
        tu_recv_str(sb, "in");
        tu_send_str(sb, "out", 0);
        tu_recv_str(sc, "out");
    } else {
        zmq_send(sc, "blocked", 7, ZMQ_DONTWAIT); /* queued, or EAGAIN */
        EQ_INT(tr_monitor_event(mon, NULL), ZMQ_EVENT_DISCONNECTED);
        char buf[16];
        FAILS(zmq_recv(sb, buf, sizeof buf, ZMQ_DONTWAIT), EAGAIN);
    }
    OK(zmq_socket_monitor(sc, NULL, 0));
    OK(zmq_socket_monitor(sb, NULL, 0));
    OK(zmq_close(smon));
    OK(zmq_close(mon));
    OK(zmq_close(sc));
    OK(zmq_close(sb));
    OK(zmq_ctx_term(ctx));
}

static void test_no_filter(void)
{
    const char *f[] = {NULL};
    run(f, 1);
}

static void test_clear(void)
{
    const char *f[] = {"", NULL};
    run(f, 1);
}

static void test_matching_host(void)
{
    const char *f[] = {"127.0.0.1/32", NULL};
    run(f, 1);
}

static void test_matching_all(void)
{
    const char *f[] = {"0.0.0.0/0", NULL};
    run(f, 1);
}

static void test_matching_one_of_several(void)
{
    const char *f[] = {"127.0.0.255/32", "10.0.0.0/8", "127.0.0.0/8", NULL};
    run(f, 1);
}

static void test_non_matching(void)
{
    const char *f[] = {"127.0.0.255/32", NULL};
    run(f, 0);
}

static void test_non_matching_then_cleared(void)
{
    const char *f[] = {"127.0.0.255/32", "", NULL};
    run(f, 1);
}

static void test_bad_filters(void)
{
    void *ctx = zmq_ctx_new();
    void *s = tu_socket(ctx, ZMQ_PAIR);
    const char *bad[] = {"foo", "0.0.0.0foo", "0.0.0.0/foo", "0.0.0.0/", "0.0.0.0/-1",
                         "0.0.0.0/33", "localhost", NULL};
    for (int i = 0; bad[i]; i++)
        FAILS(zmq_setsockopt(s, ZMQ_TCP_ACCEPT_FILTER, bad[i], strlen(bad[i])), EINVAL);
    /* IPv6 ranges need ZMQ_IPV6. */
    FAILS(zmq_setsockopt(s, ZMQ_TCP_ACCEPT_FILTER, "::1/128", 7), EINVAL);
    tu_set_int(s, ZMQ_IPV6, 1);
    OK(zmq_setsockopt(s, ZMQ_TCP_ACCEPT_FILTER, "::1/128", 7));
    FAILS(zmq_setsockopt(s, ZMQ_TCP_ACCEPT_FILTER, "::1/129", 7), EINVAL);
    OK(zmq_close(s));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(60);
    RUN(test_no_filter);
    RUN(test_clear);
    RUN(test_matching_host);
    RUN(test_matching_all);
    RUN(test_matching_one_of_several);
    RUN(test_non_matching);
    RUN(test_non_matching_then_cleared);
    RUN(test_bad_filters);
    return tu_done();
}
