/* Draft CLIENT/SERVER with routing ids (libzmq's test_client_server
 * routing-id case, on every transport): a SERVER learns each client's id
 * from zmq_msg_routing_id, answers with zmq_msg_set_routing_id, and gets
 * EHOSTUNREACH for an id it does not know. Runs on gozmq's draft build
 * only (Debian's libzmq has no draft API). */
#include "testutil.h"

static void send_with_id(void *s, const char *body, uint32_t id)
{
    zmq_msg_t m;
    OK(zmq_msg_init_size(&m, strlen(body)));
    memcpy(zmq_msg_data(&m), body, strlen(body));
    if (id)
        OK(zmq_msg_set_routing_id(&m, id));
    EQ_INT(zmq_msg_send(&m, s, 0), (int) strlen(body));
    OK(zmq_msg_close(&m));
}

/* Receives body and returns the message's routing id. */
static uint32_t recv_with_id(void *s, const char *body)
{
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    EQ_INT(zmq_msg_recv(&m, s, 0), (int) strlen(body));
    if (memcmp(zmq_msg_data(&m), body, strlen(body)) != 0)
        FAILF("got \"%.*s\", want \"%s\"", (int) zmq_msg_size(&m), (char *) zmq_msg_data(&m), body);
    EQ_INT(zmq_msg_more(&m), 0);
    uint32_t id = zmq_msg_routing_id(&m);
    OK(zmq_msg_close(&m));
    return id;
}

static void routing_ids(const char *bind_ep)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    void *server = tu_socket(ctx, ZMQ_SERVER);
    void *c1 = tu_socket(ctx, ZMQ_CLIENT), *c2 = tu_socket(ctx, ZMQ_CLIENT);
    tu_bind(server, bind_ep, ep, sizeof ep);
    OK(zmq_connect(c1, ep));
    OK(zmq_connect(c2, ep));
    send_with_id(c1, "one", 0);
    uint32_t id1 = recv_with_id(server, "one");
    send_with_id(c2, "two", 0);
    uint32_t id2 = recv_with_id(server, "two");
    CHECK(id1 != 0 && id2 != 0 && id1 != id2);
    /* Replies go to the client named by the id, and arrive without one. */
    send_with_id(server, "to-two", id2);
    send_with_id(server, "to-one", id1);
    EQ_INT(recv_with_id(c1, "to-one"), 0);
    EQ_INT(recv_with_id(c2, "to-two"), 0);
    /* The same client keeps its id. */
    send_with_id(c1, "again", 0);
    EQ_INT(recv_with_id(server, "again"), id1);
    /* An id nobody has. */
    uint32_t unknown = id1 + id2 + 1;
    while (unknown == 0 || unknown == id1 || unknown == id2)
        unknown++;
    zmq_msg_t m;
    OK(zmq_msg_init_size(&m, 1));
    OK(zmq_msg_set_routing_id(&m, unknown));
    FAILS(zmq_msg_send(&m, server, 0), EHOSTUNREACH);
    /* A failed send leaves the message to the caller, id included. */
    EQ_INT(zmq_msg_routing_id(&m), unknown);
    OK(zmq_msg_close(&m));
    OK(zmq_close(c1));
    OK(zmq_close(c2));
    OK(zmq_close(server));
    OK(zmq_ctx_term(ctx));
}

static void test_routing_ids_inproc(void) { routing_ids("inproc://cs-ids"); }
static void test_routing_ids_tcp(void) { routing_ids("tcp://127.0.0.1:*"); }
static void test_routing_ids_ipc(void)
{
    char ep[256];
    routing_ids(tu_ipc_endpoint(ep, sizeof ep, "cs"));
}

/* A closed client's id is no longer routable. */
static void test_gone_client_unreachable(void)
{
    void *ctx = zmq_ctx_new();
    void *server = tu_socket(ctx, ZMQ_SERVER), *client = tu_socket(ctx, ZMQ_CLIENT);
    OK(zmq_bind(server, "inproc://cs-gone"));
    OK(zmq_connect(client, "inproc://cs-gone"));
    send_with_id(client, "hi", 0);
    uint32_t id = recv_with_id(server, "hi");
    OK(zmq_close(client));
    zmq_msg_t m;
    int rc = 0;
    for (int i = 0; i < 500 && rc == 0; i++) { /* the close reaches the server asynchronously */
        OK(zmq_msg_init_size(&m, 1));
        OK(zmq_msg_set_routing_id(&m, id));
        rc = zmq_msg_send(&m, server, ZMQ_DONTWAIT);
        if (rc < 0)
            EQ_INT(zmq_errno(), EHOSTUNREACH);
        OK(zmq_msg_close(&m));
        if (rc >= 0) {
            zmq_pollitem_t it = {server, 0, ZMQ_POLLIN, 0};
            zmq_poll(&it, 1, 10);
        }
    }
    EQ_INT(rc, -1);
    OK(zmq_close(server));
    OK(zmq_ctx_term(ctx));
}

static void test_set_routing_id_zero_fails(void)
{
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    FAILS(zmq_msg_set_routing_id(&m, 0), EINVAL);
    EQ_INT(zmq_msg_routing_id(&m), 0);
    OK(zmq_msg_set_routing_id(&m, 7));
    EQ_INT(zmq_msg_routing_id(&m), 7);
    OK(zmq_msg_close(&m));
}

/* A SERVER can be polled (zmq_poll accepts thread-safe sockets here, as
 * libzmq built with the draft API does). */
static void test_poll_server(void)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    void *server = tu_socket(ctx, ZMQ_SERVER), *client = tu_socket(ctx, ZMQ_CLIENT);
    tu_bind(server, "tcp://127.0.0.1:*", ep, sizeof ep);
    OK(zmq_connect(client, ep));
    zmq_pollitem_t it = {server, 0, ZMQ_POLLIN, 0};
    EQ_INT(zmq_poll(&it, 1, 0), 0);
    send_with_id(client, "x", 0);
    EQ_INT(zmq_poll(&it, 1, 5000), 1);
    EQ_INT(it.revents, ZMQ_POLLIN);
    CHECK(recv_with_id(server, "x") != 0);
    OK(zmq_close(client));
    OK(zmq_close(server));
    OK(zmq_ctx_term(ctx));
}

/* A client that does not read fills its pipe: the server then gets
 * EAGAIN for it (or waits, without DONTWAIT, until SNDTIMEO). */
static void test_server_send_to_full_client(void)
{
    void *ctx = zmq_ctx_new();
    void *server = tu_socket(ctx, ZMQ_SERVER), *client = tu_socket(ctx, ZMQ_CLIENT);
    tu_set_int(server, ZMQ_SNDHWM, 2);
    tu_set_int(client, ZMQ_RCVHWM, 2);
    tu_set_int(server, ZMQ_SNDTIMEO, 50);
    OK(zmq_bind(server, "inproc://cs-full"));
    OK(zmq_connect(client, "inproc://cs-full"));
    send_with_id(client, "hi", 0);
    uint32_t id = recv_with_id(server, "hi");
    int sent = 0;
    for (;; sent++) {
        zmq_msg_t m;
        OK(zmq_msg_init_size(&m, 1));
        OK(zmq_msg_set_routing_id(&m, id));
        int rc = zmq_msg_send(&m, server, ZMQ_DONTWAIT);
        int e = zmq_errno();
        OK(zmq_msg_close(&m));
        if (rc < 0) {
            EQ_INT(e, EAGAIN);
            break;
        }
        CHECK(sent < 100);
    }
    EQ_INT(sent, 4); /* inproc: both HWMs add up */
    zmq_msg_t m;
    OK(zmq_msg_init_size(&m, 1));
    OK(zmq_msg_set_routing_id(&m, id));
    FAILS(zmq_msg_send(&m, server, 0), EAGAIN); /* after SNDTIMEO */
    OK(zmq_msg_close(&m));
    char c;
    EQ_INT(zmq_recv(client, &c, 1, 0), 1); /* room again once the client reads */
    for (int i = 0; i < 3; i++)
        EQ_INT(zmq_recv(client, &c, 1, 0), 1);
    send_with_id(server, "x", id);
    OK(zmq_close(client));
    OK(zmq_close(server));
    OK(zmq_ctx_term(ctx));
}

/* zmq_poller, the API libzmq wants for thread-safe sockets. */
static void test_poller_with_thread_safe_sockets(void)
{
    void *ctx = zmq_ctx_new();
    void *server = tu_socket(ctx, ZMQ_SERVER), *client = tu_socket(ctx, ZMQ_CLIENT);
    OK(zmq_bind(server, "inproc://cs-poller"));
    OK(zmq_connect(client, "inproc://cs-poller"));
    void *poller = zmq_poller_new();
    CHECK(poller != NULL);
    OK(zmq_poller_add(poller, server, server, ZMQ_POLLIN));
    OK(zmq_poller_add(poller, client, client, ZMQ_POLLIN));
    zmq_poller_event_t ev[2];
    FAILS(zmq_poller_wait_all(poller, ev, 2, 0), EAGAIN);
    send_with_id(client, "q", 0);
    EQ_INT(zmq_poller_wait_all(poller, ev, 2, 5000), 1);
    CHECK(ev[0].socket == server && ev[0].user_data == server && ev[0].events == ZMQ_POLLIN);
    uint32_t id = recv_with_id(server, "q");
    send_with_id(server, "a", id);
    EQ_INT(zmq_poller_wait_all(poller, ev, 2, 5000), 1);
    CHECK(ev[0].socket == client);
    EQ_INT(recv_with_id(client, "a"), 0);
    OK(zmq_poller_destroy(&poller));
    OK(zmq_close(client));
    OK(zmq_close(server));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(60);
    RUN(test_routing_ids_inproc);
    RUN(test_routing_ids_tcp);
    RUN(test_routing_ids_ipc);
    RUN(test_gone_client_unreachable);
    RUN(test_set_routing_id_zero_fails);
    RUN(test_poll_server);
    RUN(test_server_send_to_full_client);
    RUN(test_poller_with_thread_safe_sockets);
    return tu_done();
}
