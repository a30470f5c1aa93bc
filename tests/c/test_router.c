/* ROUTER and DEALER (modelled on libzmq's test_spec_router,
 * test_spec_dealer, test_router_mandatory, test_router_handover,
 * test_probe_router, test_connect_rid): routing ids, mandatory routing,
 * handover, probes. */
#include "testutil.h"

static void *ctx;

static int recv_id(void *s, char *id, size_t len)
{
    int n = zmq_recv(s, id, len, 0);
    CHECK(n > 0 && tu_get_int(s, ZMQ_RCVMORE));
    return n;
}

static void test_named_and_generated_ids(void)
{
    void *router = tu_socket(ctx, ZMQ_ROUTER);
    OK(zmq_bind(router, "inproc://ids"));
    void *named = tu_socket(ctx, ZMQ_DEALER), *anon = tu_socket(ctx, ZMQ_DEALER);
    OK(zmq_setsockopt(named, ZMQ_ROUTING_ID, "alice", 5));
    OK(zmq_connect(named, "inproc://ids"));
    OK(zmq_connect(anon, "inproc://ids"));
    tu_send_str(named, "from alice", 0);
    char id[256];
    EQ_INT(recv_id(router, id, sizeof id), 5);
    CHECK(memcmp(id, "alice", 5) == 0);
    tu_recv_str(router, "from alice");
    tu_send_str(anon, "from anon", 0);
    int n = recv_id(router, id, sizeof id);
    EQ_INT(n, 5);
    EQ_INT(id[0], 0); /* generated ids start with a zero byte */
    tu_recv_str(router, "from anon");
    /* Replies find their way by id. */
    OK(zmq_send(router, id, (size_t) n, ZMQ_SNDMORE));
    tu_send_str(router, "to anon", 0);
    OK(zmq_send(router, "alice", 5, ZMQ_SNDMORE));
    tu_send_str(router, "to alice", 0);
    tu_recv_str(anon, "to anon");
    tu_recv_str(named, "to alice");
    OK(zmq_close(named));
    OK(zmq_close(anon));
    OK(zmq_close(router));
}

/* Over tcp, the routing id part a ROUTER hands out carries the peer's
 * metadata, as the parts of the message after it do (libzmq sets it from
 * the message it prefetched). */
static void test_id_part_metadata(void)
{
    void *router = tu_socket(ctx, ZMQ_ROUTER);
    char ep[128];
    tu_bind(router, "tcp://127.0.0.1:*", ep, sizeof ep);
    void *dealer = tu_socket(ctx, ZMQ_DEALER);
    OK(zmq_setsockopt(dealer, ZMQ_ROUTING_ID, "bob", 3));
    OK(zmq_connect(dealer, ep));
    tu_send_str(dealer, "hi", 0);
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    CHECK(zmq_msg_recv(&m, router, 0) == 3 && zmq_msg_more(&m));
    const char *v = zmq_msg_gets(&m, "Socket-Type");
    CHECK(v != NULL && strcmp(v, "DEALER") == 0);
    v = zmq_msg_gets(&m, "Peer-Address");
    CHECK(v != NULL && strcmp(v, "127.0.0.1") == 0);
    EQ_INT(zmq_msg_recv(&m, router, 0), 2);
    v = zmq_msg_gets(&m, "Socket-Type");
    CHECK(v != NULL && strcmp(v, "DEALER") == 0);
    OK(zmq_msg_close(&m));
    OK(zmq_close(dealer));
    OK(zmq_close(router));
}

static void test_mandatory(void)
{
    void *router = tu_socket(ctx, ZMQ_ROUTER);
    OK(zmq_bind(router, "inproc://mandatory"));
    /* Without ROUTER_MANDATORY an unknown id is silently dropped. */
    OK(zmq_send(router, "nobody", 6, ZMQ_SNDMORE));
    tu_send_str(router, "lost", 0);
    tu_set_int(router, ZMQ_ROUTER_MANDATORY, 1);
    FAILS(zmq_send(router, "nobody", 6, ZMQ_SNDMORE | ZMQ_DONTWAIT), EHOSTUNREACH);
    void *dealer = tu_socket(ctx, ZMQ_DEALER);
    OK(zmq_setsockopt(dealer, ZMQ_ROUTING_ID, "X", 1));
    OK(zmq_connect(dealer, "inproc://mandatory"));
    tu_send_str(dealer, "hello", 0); /* makes sure the router knows X */
    char id[8];
    recv_id(router, id, sizeof id);
    tu_recv_str(router, "hello");
    OK(zmq_send(router, "X", 1, ZMQ_SNDMORE));
    tu_send_str(router, "routed", 0);
    tu_recv_str(dealer, "routed");
    OK(zmq_close(dealer));
    OK(zmq_close(router));
}

static void test_handover(void)
{
    void *router = tu_socket(ctx, ZMQ_ROUTER);
    tu_set_int(router, ZMQ_ROUTER_HANDOVER, 1);
    OK(zmq_bind(router, "inproc://handover"));
    void *first = tu_socket(ctx, ZMQ_DEALER), *second = tu_socket(ctx, ZMQ_DEALER);
    OK(zmq_setsockopt(first, ZMQ_ROUTING_ID, "same", 4));
    OK(zmq_setsockopt(second, ZMQ_ROUTING_ID, "same", 4));
    OK(zmq_connect(first, "inproc://handover"));
    tu_send_str(first, "one", 0);
    char id[8];
    recv_id(router, id, sizeof id);
    tu_recv_str(router, "one");
    OK(zmq_connect(second, "inproc://handover"));
    tu_send_str(second, "two", 0);
    recv_id(router, id, sizeof id);
    tu_recv_str(router, "two");
    /* The id now belongs to the second peer. */
    OK(zmq_send(router, "same", 4, ZMQ_SNDMORE));
    tu_send_str(router, "for the new one", 0);
    tu_recv_str(second, "for the new one");
    OK(zmq_close(first));
    OK(zmq_close(second));
    OK(zmq_close(router));
}

static void test_probe_router(void)
{
    char ep[256];
    void *router = tu_socket(ctx, ZMQ_ROUTER);
    tu_bind(router, "tcp://127.0.0.1:*", ep, sizeof ep);
    void *dealer = tu_socket(ctx, ZMQ_DEALER);
    OK(zmq_setsockopt(dealer, ZMQ_ROUTING_ID, "probe", 5));
    tu_set_int(dealer, ZMQ_PROBE_ROUTER, 1);
    OK(zmq_connect(dealer, ep));
    /* The router learns of the peer through an empty message. */
    char id[8], buf[8];
    EQ_INT(recv_id(router, id, sizeof id), 5);
    EQ_INT(zmq_recv(router, buf, sizeof buf, 0), 0);
    OK(zmq_send(router, "probe", 5, ZMQ_SNDMORE));
    tu_send_str(router, "welcome", 0);
    tu_recv_str(dealer, "welcome");
    OK(zmq_close(dealer));
    OK(zmq_close(router));
}

static void test_connect_routing_id(void)
{
    char ep[256];
    void *server = tu_socket(ctx, ZMQ_ROUTER);
    tu_bind(server, "tcp://127.0.0.1:*", ep, sizeof ep);
    void *client = tu_socket(ctx, ZMQ_ROUTER);
    OK(zmq_setsockopt(client, ZMQ_CONNECT_ROUTING_ID, "srv", 3));
    OK(zmq_setsockopt(client, ZMQ_ROUTING_ID, "cli", 3));
    OK(zmq_connect(client, ep));
    /* The client addresses the server by the name it chose, once the
     * connection is up (ROUTER_MANDATORY tells us when). */
    tu_set_int(client, ZMQ_ROUTER_MANDATORY, 1);
    int rc = -1;
    for (int i = 0; i < 500 && rc < 0; i++) {
        rc = zmq_send(client, "srv", 3, ZMQ_SNDMORE | ZMQ_DONTWAIT);
        if (rc < 0) {
            CHECK(zmq_errno() == EHOSTUNREACH);
            zmq_poll(NULL, 0, 10);
        }
    }
    OK(rc);
    tu_send_str(client, "hi server", 0);
    char id[8];
    EQ_INT(recv_id(server, id, sizeof id), 3);
    CHECK(memcmp(id, "cli", 3) == 0);
    tu_recv_str(server, "hi server");
    OK(zmq_close(client));
    OK(zmq_close(server));
}

/* DEALER: load-balances out, fair-queues in. */
static void test_dealer_round_robin(void)
{
    void *dealer = tu_socket(ctx, ZMQ_DEALER);
    void *peers[2];
    for (int i = 0; i < 2; i++) {
        char ep[32];
        snprintf(ep, sizeof ep, "inproc://dealer%d", i);
        peers[i] = tu_socket(ctx, ZMQ_DEALER);
        OK(zmq_bind(peers[i], ep));
        OK(zmq_connect(dealer, ep));
    }
    for (int i = 0; i < 4; i++)
        tu_send_str(dealer, i % 2 ? "odd" : "even", 0);
    tu_recv_str(peers[0], "even");
    tu_recv_str(peers[1], "odd");
    tu_recv_str(peers[0], "even");
    tu_recv_str(peers[1], "odd");
    tu_send_str(peers[1], "b", 0);
    tu_send_str(peers[0], "a", 0);
    char buf[4];
    CHECK(zmq_recv(dealer, buf, sizeof buf, 0) == 1);
    CHECK(zmq_recv(dealer, buf, sizeof buf, 0) == 1);
    for (int i = 0; i < 2; i++)
        OK(zmq_close(peers[i]));
    OK(zmq_close(dealer));
}

int main(void)
{
    tu_start(60);
    ctx = zmq_ctx_new();
    RUN(test_named_and_generated_ids);
    RUN(test_id_part_metadata);
    RUN(test_mandatory);
    RUN(test_handover);
    RUN(test_probe_router);
    RUN(test_connect_routing_id);
    RUN(test_dealer_round_robin);
    OK(zmq_ctx_term(ctx));
    return tu_done();
}
