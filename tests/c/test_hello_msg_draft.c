/* Draft ZMQ_HELLO_MSG (after libzmq's test_hello_msg): a SERVER, CLIENT,
 * ROUTER or DEALER with a hello message sends it first on every new
 * connection, over tcp, ipc and inproc (bound first or connected first),
 * and again after a reconnection; other socket types ignore it. */
#include "testutil.h"

/* A ROUTER greets each DEALER that connects to it. */
static void hello_from_router(const char *bind_ep)
{
    void *ctx = zmq_ctx_new();
    void *router = tu_socket(ctx, ZMQ_ROUTER);
    OK(zmq_setsockopt(router, ZMQ_HELLO_MSG, "H", 1));
    char ep[256];
    tu_bind(router, bind_ep, ep, sizeof ep);
    void *d1 = tu_socket(ctx, ZMQ_DEALER), *d2 = tu_socket(ctx, ZMQ_DEALER);
    OK(zmq_connect(d1, ep));
    OK(zmq_connect(d2, ep));
    tu_recv_str(d1, "H");
    tu_recv_str(d2, "H");
    /* Exactly one hello each, then ordinary traffic. */
    char buf[8];
    FAILS(zmq_recv(d1, buf, sizeof buf, ZMQ_DONTWAIT), EAGAIN);
    OK(zmq_close(d1));
    OK(zmq_close(d2));
    OK(zmq_close(router));
    OK(zmq_ctx_term(ctx));
}

static void test_tcp(void) { hello_from_router("tcp://127.0.0.1:*"); }
static void test_ipc(void)
{
    char ep[256];
    hello_from_router(tu_ipc_endpoint(ep, sizeof ep, "hello"));
}
static void test_inproc(void) { hello_from_router("inproc://hello-msg"); }

/* Both sides have a hello; the DEALER connects before the ROUTER binds:
 * each receives the other's hello first, ahead of a queued message. */
static void test_inproc_late_bind(void)
{
    void *ctx = zmq_ctx_new();
    void *router = tu_socket(ctx, ZMQ_ROUTER), *dealer = tu_socket(ctx, ZMQ_DEALER);
    OK(zmq_setsockopt(router, ZMQ_HELLO_MSG, "W", 1));
    OK(zmq_setsockopt(dealer, ZMQ_HELLO_MSG, "H", 1));
    OK(zmq_setsockopt(dealer, ZMQ_ROUTING_ID, "d", 1));
    OK(zmq_connect(dealer, "inproc://late-hello"));
    tu_send_str(dealer, "queued", 0);
    OK(zmq_bind(router, "inproc://late-hello"));
    tu_recv_str(dealer, "W");
    tu_recv_str(router, "d");
    tu_recv_str(router, "H");
    tu_recv_str(router, "d");
    tu_recv_str(router, "queued");
    OK(zmq_close(dealer));
    OK(zmq_close(router));
    OK(zmq_ctx_term(ctx));
}

/* A DEALER's hello goes out on each connection it makes: the ROUTER sees
 * it again when the DEALER reconnects to a new ROUTER on the same port. */
static void test_dealer_hello_on_reconnect(void)
{
    void *ctx = zmq_ctx_new();
    void *router = tu_socket(ctx, ZMQ_ROUTER);
    char ep[256];
    tu_bind(router, "tcp://127.0.0.1:*", ep, sizeof ep);
    void *dealer = tu_socket(ctx, ZMQ_DEALER);
    OK(zmq_setsockopt(dealer, ZMQ_HELLO_MSG, "HELLO", 5));
    OK(zmq_setsockopt(dealer, ZMQ_ROUTING_ID, "d", 1));
    tu_set_int(dealer, ZMQ_RECONNECT_IVL, 20);
    OK(zmq_connect(dealer, ep));
    tu_recv_str(router, "d");
    tu_recv_str(router, "HELLO");
    OK(zmq_close(router));
    router = tu_socket(ctx, ZMQ_ROUTER);
    OK(zmq_bind(router, ep));
    tu_recv_str(router, "d");
    tu_recv_str(router, "HELLO");
    OK(zmq_close(dealer));
    OK(zmq_close(router));
    OK(zmq_ctx_term(ctx));
}

/* libzmq's own scenario: SERVER and CLIENT greet each other, the CLIENT
 * connecting over inproc before the SERVER binds. */
static void test_client_server_late_bind(void)
{
    void *ctx = zmq_ctx_new();
    void *server = tu_socket(ctx, ZMQ_SERVER), *client = tu_socket(ctx, ZMQ_CLIENT);
    OK(zmq_setsockopt(server, ZMQ_HELLO_MSG, "W", 1));
    OK(zmq_setsockopt(client, ZMQ_HELLO_MSG, "H", 1));
    OK(zmq_connect(client, "inproc://late-hello-cs"));
    OK(zmq_bind(server, "inproc://late-hello-cs"));
    tu_recv_str(client, "W");
    tu_recv_str(server, "H");
    OK(zmq_close(client));
    OK(zmq_close(server));
    OK(zmq_ctx_term(ctx));
}

/* SERVER's hello over tcp; the CLIENT can answer through the routing id
 * its hello arrives with. */
static void test_client_server_tcp(void)
{
    void *ctx = zmq_ctx_new();
    void *server = tu_socket(ctx, ZMQ_SERVER), *client = tu_socket(ctx, ZMQ_CLIENT);
    OK(zmq_setsockopt(server, ZMQ_HELLO_MSG, "W", 1));
    OK(zmq_setsockopt(client, ZMQ_HELLO_MSG, "H", 1));
    char ep[256];
    tu_bind(server, "tcp://127.0.0.1:*", ep, sizeof ep);
    OK(zmq_connect(client, ep));
    tu_recv_str(client, "W");
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    EQ_INT(zmq_msg_recv(&m, server, 0), 1);
    CHECK(memcmp(zmq_msg_data(&m), "H", 1) == 0 && zmq_msg_routing_id(&m) != 0);
    OK(zmq_msg_close(&m));
    OK(zmq_close(client));
    OK(zmq_close(server));
    OK(zmq_ctx_term(ctx));
}

/* PUSH does not send hellos (libzmq's can_send_hello_msg is false). */
static void test_ignored_by_push(void)
{
    void *ctx = zmq_ctx_new();
    void *pull = tu_socket(ctx, ZMQ_PULL), *push = tu_socket(ctx, ZMQ_PUSH);
    OK(zmq_setsockopt(push, ZMQ_HELLO_MSG, "H", 1));
    char ep[256];
    tu_bind(pull, "tcp://127.0.0.1:*", ep, sizeof ep);
    OK(zmq_connect(push, ep));
    tu_send_str(push, "data", 0);
    tu_recv_str(pull, "data");
    /* An empty value unsets the option. */
    OK(zmq_setsockopt(push, ZMQ_HELLO_MSG, NULL, 0));
    OK(zmq_close(push));
    OK(zmq_close(pull));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(60);
    RUN(test_tcp);
    RUN(test_ipc);
    RUN(test_inproc);
    RUN(test_inproc_late_bind);
    RUN(test_dealer_hello_on_reconnect);
    RUN(test_client_server_late_bind);
    RUN(test_client_server_tcp);
    RUN(test_ignored_by_push);
    return tu_done();
}
