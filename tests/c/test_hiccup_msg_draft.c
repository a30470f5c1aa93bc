/* Draft ZMQ_HICCUP_MSG (after libzmq's test_hiccup_msg): a CLIENT or
 * DEALER with a hiccup message receives it when a connection it made
 * ends, once per lost connection, and keeps working after it reconnects. */
#include "testutil.h"

static void test_hiccup(void)
{
    void *ctx = zmq_ctx_new();
    void *router = tu_socket(ctx, ZMQ_ROUTER);
    char ep[256];
    tu_bind(router, "tcp://127.0.0.1:*", ep, sizeof ep);
    void *dealer = tu_socket(ctx, ZMQ_DEALER);
    OK(zmq_setsockopt(dealer, ZMQ_HELLO_MSG, "HELLO", 5));
    OK(zmq_setsockopt(dealer, ZMQ_HICCUP_MSG, "HICCUP", 6));
    OK(zmq_setsockopt(dealer, ZMQ_ROUTING_ID, "d", 1));
    tu_set_int(dealer, ZMQ_RECONNECT_IVL, 20);
    OK(zmq_connect(dealer, ep));
    tu_recv_str(router, "d");
    tu_recv_str(router, "HELLO");

    /* The server goes away: the DEALER hears the hiccup. */
    OK(zmq_close(router));
    tu_recv_str(dealer, "HICCUP");
    char buf[16];
    FAILS(zmq_recv(dealer, buf, sizeof buf, ZMQ_DONTWAIT), EAGAIN);

    /* A new server on the same port: the DEALER reconnects, greets it,
     * and ordinary traffic flows both ways. */
    router = tu_socket(ctx, ZMQ_ROUTER);
    OK(zmq_bind(router, ep));
    tu_recv_str(router, "d");
    tu_recv_str(router, "HELLO");
    tu_send_str(router, "d", ZMQ_SNDMORE);
    tu_send_str(router, "back", 0);
    tu_recv_str(dealer, "back");
    OK(zmq_close(router));
    tu_recv_str(dealer, "HICCUP");
    OK(zmq_close(dealer));
    OK(zmq_ctx_term(ctx));
}

/* libzmq's own scenario: a CLIENT with hello and hiccup messages; the
 * SERVER hears the hello, then goes away, and the CLIENT the hiccup. */
static void test_client_server(void)
{
    void *ctx = zmq_ctx_new();
    void *server = tu_socket(ctx, ZMQ_SERVER);
    char ep[256];
    tu_bind(server, "tcp://127.0.0.1:*", ep, sizeof ep);
    void *client = tu_socket(ctx, ZMQ_CLIENT);
    OK(zmq_setsockopt(client, ZMQ_HELLO_MSG, "HELLO", 5));
    OK(zmq_setsockopt(client, ZMQ_HICCUP_MSG, "HICCUP", 6));
    OK(zmq_connect(client, ep));
    tu_recv_str(server, "HELLO");
    OK(zmq_close(server));
    tu_recv_str(client, "HICCUP");
    OK(zmq_close(client));
    OK(zmq_ctx_term(ctx));
}

/* PEER takes all three: the connecting PEER greets, the bound one hears
 * a disconnect when the connecting one leaves, and the connecting one
 * hears a hiccup when the bound one goes away. */
static void test_peer(void)
{
    void *ctx = zmq_ctx_new();
    void *bound = tu_socket(ctx, ZMQ_PEER);
    OK(zmq_setsockopt(bound, ZMQ_DISCONNECT_MSG, "BYE", 3));
    char ep[256];
    tu_bind(bound, "tcp://127.0.0.1:*", ep, sizeof ep);
    void *p1 = tu_socket(ctx, ZMQ_PEER), *p2 = tu_socket(ctx, ZMQ_PEER);
    OK(zmq_setsockopt(p1, ZMQ_HELLO_MSG, "HI", 2));
    OK(zmq_setsockopt(p2, ZMQ_HELLO_MSG, "HI", 2));
    OK(zmq_setsockopt(p2, ZMQ_HICCUP_MSG, "HICCUP", 6));
    CHECK(zmq_connect_peer(p1, ep) != 0);
    tu_recv_str(bound, "HI");
    OK(zmq_close(p1));
    tu_recv_str(bound, "BYE");
    CHECK(zmq_connect_peer(p2, ep) != 0);
    tu_recv_str(bound, "HI");
    OK(zmq_close(bound));
    tu_recv_str(p2, "HICCUP");
    OK(zmq_close(p2));
    OK(zmq_ctx_term(ctx));
}

/* A ROUTER ignores HICCUP_MSG (only DEALER, CLIENT and PEER use it). */
static void test_router_ignores_it(void)
{
    void *ctx = zmq_ctx_new();
    void *dealer = tu_socket(ctx, ZMQ_DEALER);
    char ep[256];
    tu_bind(dealer, "tcp://127.0.0.1:*", ep, sizeof ep);
    void *router = tu_socket(ctx, ZMQ_ROUTER);
    OK(zmq_setsockopt(router, ZMQ_HICCUP_MSG, "HICCUP", 6));
    OK(zmq_setsockopt(router, ZMQ_HELLO_MSG, "HELLO", 5));
    tu_set_int(router, ZMQ_RECONNECT_IVL, -1);
    OK(zmq_connect(router, ep));
    tu_recv_str(dealer, "HELLO");
    tu_send_str(dealer, "x", 0);
    char id[256];
    CHECK(zmq_recv(router, id, sizeof id, 0) > 0);
    tu_recv_str(router, "x");
    OK(zmq_close(dealer));
    tu_set_int(router, ZMQ_RCVTIMEO, 300);
    FAILS(zmq_recv(router, id, sizeof id, 0), EAGAIN);
    OK(zmq_close(router));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(60);
    RUN(test_hiccup);
    RUN(test_client_server);
    RUN(test_peer);
    RUN(test_router_ignores_it);
    return tu_done();
}
