/* The draft zmq_socket_monitor_versioned, event version 2 (modelled on
 * libzmq's test_monitor v2 cases): [event u64][value count u64][values]
 * [local endpoint][remote endpoint], on a PAIR or a PUB monitor socket. */
#include <stdint.h>
#include "testutil.h"

static uint64_t read_u64(void *s)
{
    uint64_t v;
    EQ_INT(zmq_recv(s, &v, sizeof v, 0), 8);
    return v;
}

/* Reads one v2 event; returns its number and fills the endpoints. */
static uint64_t next_event(void *mon, char *local, char *remote)
{
    uint64_t ev = read_u64(mon);
    uint64_t n = read_u64(mon);
    for (uint64_t i = 0; i < n; i++)
        read_u64(mon);
    int l = zmq_recv(mon, local, 255, 0);
    CHECK(l >= 0 && tu_get_int(mon, ZMQ_RCVMORE));
    local[l] = 0;
    int r = zmq_recv(mon, remote, 255, 0);
    CHECK(r >= 0 && !tu_get_int(mon, ZMQ_RCVMORE));
    remote[r] = 0;
    return ev;
}

static void test_v2_pair(void)
{
    void *ctx = zmq_ctx_new();
    void *server = tu_socket(ctx, ZMQ_DEALER), *client = tu_socket(ctx, ZMQ_DEALER);
    OK(zmq_socket_monitor_versioned(server, "inproc://mon2", ZMQ_EVENT_ALL_V2, 2, ZMQ_PAIR));
    FAILS(zmq_socket_monitor_versioned(client, "inproc://bad", ZMQ_EVENT_ALL_V2, 3, ZMQ_PAIR), EINVAL);
    void *mon = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_connect(mon, "inproc://mon2"));
    char ep[256], local[256], remote[256];
    tu_bind(server, "tcp://127.0.0.1:*", ep, sizeof ep);
    EQ_INT(next_event(mon, local, remote), ZMQ_EVENT_LISTENING);
    CHECK(strcmp(local, ep) == 0 && remote[0] == 0);
    OK(zmq_connect(client, ep));
    EQ_INT(next_event(mon, local, remote), ZMQ_EVENT_ACCEPTED);
    CHECK(strcmp(local, ep) == 0 && strncmp(remote, "tcp://127.0.0.1:", 16) == 0);
    EQ_INT(next_event(mon, local, remote), ZMQ_EVENT_HANDSHAKE_SUCCEEDED);
    OK(zmq_close(client));
    OK(zmq_close(server));
    OK(zmq_close(mon));
    OK(zmq_ctx_term(ctx));
}

/* With a PUB monitor, subscribers pick events by their number. */
static void test_v2_pub(void)
{
    void *ctx = zmq_ctx_new();
    void *s = tu_socket(ctx, ZMQ_PULL);
    OK(zmq_socket_monitor_versioned(s, "inproc://mon2pub", ZMQ_EVENT_ALL_V2, 2, ZMQ_PUB));
    void *sub = tu_socket(ctx, ZMQ_SUB);
    uint64_t want = ZMQ_EVENT_LISTENING;
    OK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, &want, sizeof want));
    OK(zmq_connect(sub, "inproc://mon2pub"));
    /* The subscription must reach the monitor before the event: bind
     * until the subscriber sees a LISTENING event (bounded). */
    char ep[256], local[256], remote[256];
    tu_set_int(sub, ZMQ_RCVTIMEO, 20);
    uint64_t ev = 0;
    for (int i = 0; i < 100 && ev == 0; i++) {
        tu_bind(s, "tcp://127.0.0.1:*", ep, sizeof ep);
        uint64_t v;
        if (zmq_recv(sub, &v, sizeof v, 0) == 8) {
            tu_set_int(sub, ZMQ_RCVTIMEO, 5000);
            ev = v;
            uint64_t n = read_u64(sub);
            for (uint64_t k = 0; k < n; k++)
                read_u64(sub);
            CHECK(zmq_recv(sub, local, 255, 0) >= 0);
            CHECK(zmq_recv(sub, remote, 255, 0) >= 0);
        }
    }
    EQ_INT(ev, ZMQ_EVENT_LISTENING);
    OK(zmq_close(sub));
    OK(zmq_close(s));
    OK(zmq_ctx_term(ctx));
}

/* PIPES_STATS: one event per peer, values = queued out, queued in. */
static void test_pipes_stats(void)
{
    void *ctx = zmq_ctx_new();
    void *push = tu_socket(ctx, ZMQ_PUSH), *pull = tu_socket(ctx, ZMQ_PULL);
    FAILS(zmq_socket_monitor_pipes_stats(push), EINVAL); /* no v2 monitor */
    OK(zmq_socket_monitor_versioned(push, "inproc://stats", ZMQ_EVENT_PIPES_STATS, 2, ZMQ_PAIR));
    void *mon = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_connect(mon, "inproc://stats"));
    OK(zmq_bind(pull, "inproc://stats-data"));
    OK(zmq_connect(push, "inproc://stats-data"));
    for (int i = 0; i < 3; i++)
        tu_send_str(push, "queued", 0);
    OK(zmq_socket_monitor_pipes_stats(push));
    EQ_INT(read_u64(mon), ZMQ_EVENT_PIPES_STATS);
    EQ_INT(read_u64(mon), 2);
    EQ_INT(read_u64(mon), 3); /* three messages wait for the PULL */
    EQ_INT(read_u64(mon), 0);
    char local[256], remote[256];
    CHECK(zmq_recv(mon, local, sizeof local, 0) >= 0);
    CHECK(zmq_recv(mon, remote, sizeof remote, 0) >= 0);
    OK(zmq_close(mon));
    OK(zmq_close(push));
    OK(zmq_close(pull));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(30);
    RUN(test_v2_pair);
    RUN(test_v2_pub);
    RUN(test_pipes_stats);
    return tu_done();
}
