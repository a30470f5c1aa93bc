/* Draft ZMQ_DISCONNECT_MSG (after libzmq's test_disconnect_msg): a SERVER
 * or ROUTER with a disconnect message receives it (a ROUTER from the
 * departed peer's routing id) when a peer that connected to it goes away:
 * over tcp and ipc when the peer closes, over inproc on close and on
 * zmq_disconnect. */
#include "testraw.h"

static void disconnect_from(const char *bind_ep, int use_disconnect)
{
    void *ctx = zmq_ctx_new();
    void *router = tu_socket(ctx, ZMQ_ROUTER);
    OK(zmq_setsockopt(router, ZMQ_DISCONNECT_MSG, "D", 1));
    char ep[256];
    tu_bind(router, bind_ep, ep, sizeof ep);
    void *dealer = tu_socket(ctx, ZMQ_DEALER);
    OK(zmq_setsockopt(dealer, ZMQ_HELLO_MSG, "H", 1));
    OK(zmq_setsockopt(dealer, ZMQ_ROUTING_ID, "peer", 4));
    OK(zmq_connect(dealer, ep));
    tu_recv_str(router, "peer");
    tu_recv_str(router, "H");
    if (use_disconnect)
        OK(zmq_disconnect(dealer, ep));
    else
        OK(zmq_close(dealer));
    tu_recv_str(router, "peer");
    tu_recv_str(router, "D");
    char buf[8];
    FAILS(zmq_recv(router, buf, sizeof buf, ZMQ_DONTWAIT), EAGAIN);
    if (use_disconnect)
        OK(zmq_close(dealer));
    OK(zmq_close(router));
    OK(zmq_ctx_term(ctx));
}

static void test_tcp(void) { disconnect_from("tcp://127.0.0.1:*", 0); }
static void test_ipc(void)
{
    char ep[256];
    disconnect_from(tu_ipc_endpoint(ep, sizeof ep, "disc"), 0);
}
static void test_inproc(void) { disconnect_from("inproc://disconnect-msg", 0); }
static void test_inproc_disconnect(void) { disconnect_from("inproc://disconnect-msg2", 1); }

/* libzmq's own scenario: a SERVER hears a CLIENT's hello, then its
 * disconnect message when the CLIENT closes (tcp, inproc) or
 * disconnects (inproc). */
static void server_client(const char *bind_ep, int use_disconnect)
{
    void *ctx = zmq_ctx_new();
    void *server = tu_socket(ctx, ZMQ_SERVER);
    OK(zmq_setsockopt(server, ZMQ_DISCONNECT_MSG, "D", 1));
    char ep[256];
    tu_bind(server, bind_ep, ep, sizeof ep);
    void *client = tu_socket(ctx, ZMQ_CLIENT);
    OK(zmq_setsockopt(client, ZMQ_HELLO_MSG, "H", 1));
    OK(zmq_connect(client, ep));
    tu_recv_str(server, "H");
    if (use_disconnect)
        OK(zmq_disconnect(client, ep));
    else
        OK(zmq_close(client));
    tu_recv_str(server, "D");
    if (use_disconnect)
        OK(zmq_close(client));
    OK(zmq_close(server));
    OK(zmq_ctx_term(ctx));
}

static void test_server_tcp(void) { server_client("tcp://127.0.0.1:*", 0); }
static void test_server_inproc(void) { server_client("inproc://disconnect-cs", 0); }
static void test_server_inproc_disconnect(void) { server_client("inproc://disconnect-cs2", 1); }

/* The ROUTER's own connections do not produce it (only peers that
 * connected to it do). */
static void test_only_accepted_peers(void)
{
    void *ctx = zmq_ctx_new();
    void *dealer = tu_socket(ctx, ZMQ_DEALER);
    char ep[256];
    tu_bind(dealer, "tcp://127.0.0.1:*", ep, sizeof ep);
    void *router = tu_socket(ctx, ZMQ_ROUTER);
    OK(zmq_setsockopt(router, ZMQ_DISCONNECT_MSG, "D", 1));
    tu_set_int(router, ZMQ_RECONNECT_IVL, -1);
    OK(zmq_socket_monitor(router, "inproc://disc-mon", ZMQ_EVENT_DISCONNECTED));
    void *mon = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_connect(mon, "inproc://disc-mon"));
    OK(zmq_connect(router, ep));
    tu_send_str(dealer, "hi", 0); /* waits for the connection */
    char id[256], buf[8];
    CHECK(zmq_recv(router, id, sizeof id, 0) > 0);
    tu_recv_str(router, "hi");
    OK(zmq_close(dealer)); /* the ROUTER's connection ends */
    tr_wait_event(mon, ZMQ_EVENT_DISCONNECTED, 20);
    FAILS(zmq_recv(router, buf, sizeof buf, ZMQ_DONTWAIT), EAGAIN);
    OK(zmq_close(mon));
    OK(zmq_close(router));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(60);
    RUN(test_tcp);
    RUN(test_ipc);
    RUN(test_inproc);
    RUN(test_inproc_disconnect);
    RUN(test_server_tcp);
    RUN(test_server_inproc);
    RUN(test_server_inproc_disconnect);
    RUN(test_only_accepted_peers);
    return tu_done();
}
