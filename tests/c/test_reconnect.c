/* Reconnection: a connecter keeps its queue while the peer is away and
 * delivers once the peer is back; RECONNECT_IVL -1 disables it; IMMEDIATE
 * queues nothing for absent peers (modelled on libzmq's test_reconnect_ivl,
 * test_immediate, test_bind_after_connect_tcp). */
#include "testutil.h"

static void *ctx;

/* Binds ep on a new PULL, retrying while the port is still being freed. */
static void *rebind(const char *ep)
{
    void *pull = tu_socket(ctx, ZMQ_PULL);
    int rc = -1;
    for (int i = 0; i < 200 && rc != 0; i++) {
        rc = zmq_bind(pull, ep);
        if (rc != 0)
            zmq_poll(NULL, 0, 10);
    }
    OK(rc);
    return pull;
}

/* Sends body until pull receives it (bounded): a message written while an
 * old connection was dying may be lost with it, as in libzmq. Later copies
 * may still arrive; callers close the sockets afterwards. */
static void send_until_received(void *push, void *pull, const char *body)
{
    tu_set_int(pull, ZMQ_RCVTIMEO, 50);
    char buf[32];
    for (int i = 0; i < 200; i++) {
        zmq_send(push, body, strlen(body), ZMQ_DONTWAIT);
        int n = zmq_recv(pull, buf, sizeof buf - 1, 0);
        if (n == (int) strlen(body) && memcmp(buf, body, (size_t) n) == 0)
            return;
    }
    FAILF("\"%s\" never arrived", body);
}

static void test_peer_restart(const char *first_ep)
{
    char ep[256];
    void *pull = tu_socket(ctx, ZMQ_PULL);
    tu_bind(pull, first_ep, ep, sizeof ep);
    void *push = tu_socket(ctx, ZMQ_PUSH);
    tu_set_int(push, ZMQ_RECONNECT_IVL, 10);
    OK(zmq_connect(push, ep));
    tu_send_str(push, "before", 0);
    tu_recv_str(pull, "before");
    OK(zmq_close(pull));
    pull = rebind(ep);
    send_until_received(push, pull, "after");
    OK(zmq_close(push));
    OK(zmq_close(pull));
}

static void test_restart_tcp(void) { test_peer_restart("tcp://127.0.0.1:*"); }
static void test_restart_ipc(void)
{
    char ep[256];
    test_peer_restart(tu_ipc_endpoint(ep, sizeof ep, "re.sock"));
}

/* With exponential backoff configured, reconnection still happens. */
static void test_backoff(void)
{
    char ep[256];
    tu_ipc_endpoint(ep, sizeof ep, "backoff.sock");
    void *push = tu_socket(ctx, ZMQ_PUSH);
    tu_set_int(push, ZMQ_RECONNECT_IVL, 5);
    tu_set_int(push, ZMQ_RECONNECT_IVL_MAX, 40);
    OK(zmq_connect(push, ep));
    tu_send_str(push, "waited", 0);
    void *pull = rebind(ep);
    tu_recv_str(pull, "waited");
    OK(zmq_close(push));
    OK(zmq_close(pull));
}

/* IMMEDIATE: no pipe until connected, so a send with no peer would block. */
static void test_immediate(void)
{
    char ep[256];
    tu_ipc_endpoint(ep, sizeof ep, "imm.sock");
    void *push = tu_socket(ctx, ZMQ_PUSH);
    tu_set_int(push, ZMQ_IMMEDIATE, 1);
    OK(zmq_connect(push, ep));
    FAILS(zmq_send(push, "x", 1, ZMQ_DONTWAIT), EAGAIN);
    void *pull = rebind(ep);
    tu_wait_connected(push, pull);
    OK(zmq_close(push));
    OK(zmq_close(pull));
}

/* Messages queued to a connecter with two endpoints alternate, and the
 * reachable one gets its share even while the other is down. */
static void test_two_endpoints_one_down(void)
{
    char up[256], down[256];
    void *pull = tu_socket(ctx, ZMQ_PULL);
    tu_bind(pull, "tcp://127.0.0.1:*", up, sizeof up);
    tu_ipc_endpoint(down, sizeof down, "nobody.sock");
    void *push = tu_socket(ctx, ZMQ_PUSH);
    OK(zmq_connect(push, up));
    OK(zmq_connect(push, down));
    for (int i = 0; i < 4; i++)
        tu_send_str(push, "m", 0);
    tu_recv_str(pull, "m");
    tu_recv_str(pull, "m");
    tu_set_int(pull, ZMQ_RCVTIMEO, 50);
    char buf[4];
    FAILS(zmq_recv(pull, buf, sizeof buf, 0), EAGAIN);
    OK(zmq_close(push));
    OK(zmq_close(pull));
}

int main(void)
{
    tu_start(60);
    ctx = zmq_ctx_new();
    RUN(test_restart_tcp);
    RUN(test_restart_ipc);
    RUN(test_backoff);
    RUN(test_immediate);
    RUN(test_two_endpoints_one_down);
    OK(zmq_ctx_term(ctx));
    return tu_done();
}
