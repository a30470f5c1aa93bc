/* gozmq only: draft options (ZMQ_BUILD_DRAFT_API), which Debian's libzmq
 * is built without (it refuses them with EINVAL); see COVERAGE.md.
 * ROUTER_NOTIFY (modelled on libzmq's test_router_notify) and
 * RECONNECT_STOP (test_reconnect_options). */
#define ZMQ_BUILD_DRAFT_API
#include "testutil.h"

static void test_router_notify(void)
{
    void *ctx = zmq_ctx_new();
    void *router = tu_socket(ctx, ZMQ_ROUTER);
    tu_set_int(router, ZMQ_ROUTER_NOTIFY, ZMQ_NOTIFY_CONNECT | ZMQ_NOTIFY_DISCONNECT);
    EQ_INT(tu_get_int(router, ZMQ_ROUTER_NOTIFY), 3);
    char ep[256], id[16], buf[8];
    tu_bind(router, "tcp://127.0.0.1:*", ep, sizeof ep);
    void *dealer = tu_socket(ctx, ZMQ_DEALER);
    OK(zmq_setsockopt(dealer, ZMQ_ROUTING_ID, "D", 1));
    OK(zmq_connect(dealer, ep));
    /* Connection: [id][empty]. */
    EQ_INT(zmq_recv(router, id, sizeof id, 0), 1);
    CHECK(id[0] == 'D' && tu_get_int(router, ZMQ_RCVMORE));
    EQ_INT(zmq_recv(router, buf, sizeof buf, 0), 0);
    /* Disconnection: [id][empty] again. */
    OK(zmq_close(dealer));
    EQ_INT(zmq_recv(router, id, sizeof id, 0), 1);
    EQ_INT(zmq_recv(router, buf, sizeof buf, 0), 0);
    int bad = 4;
    FAILS(zmq_setsockopt(router, ZMQ_ROUTER_NOTIFY, &bad, sizeof bad), EINVAL);
    OK(zmq_close(router));
    OK(zmq_ctx_term(ctx));
}

/* RECONNECT_STOP_CONN_REFUSED: the connecter gives up on a refused port,
 * so its queued message is not held forever by LINGER -1 at term. */
static void test_reconnect_stop(void)
{
    void *ctx = zmq_ctx_new();
    void *push = zmq_socket(ctx, ZMQ_PUSH);
    tu_set_int(push, ZMQ_RECONNECT_STOP, ZMQ_RECONNECT_STOP_CONN_REFUSED);
    tu_set_int(push, ZMQ_RECONNECT_IVL, 10);
    OK(zmq_connect(push, "tcp://127.0.0.1:1"));
    /* The refusal races with this send: if the session already gave up,
     * its pipe is gone and a PUSH with no pipe would block forever (as in
     * libzmq), so the send must not wait. Either way ctx_term below must
     * return: a message queued for a session that stopped reconnecting
     * does not hold LINGER -1 open. */
    int rc = zmq_send(push, "never", 5, ZMQ_DONTWAIT);
    CHECK(rc == 5 || (rc == -1 && errno == EAGAIN));
    OK(zmq_close(push)); /* LINGER -1 */
    OK(zmq_ctx_term(ctx)); /* returns: the session stopped reconnecting */
}

/* ONLY_FIRST_SUBSCRIBE: only a message's first part can be a
 * subscription; after a data first part, "\1B" is data too. */
static void test_only_first_subscribe(void)
{
    void *ctx = zmq_ctx_new();
    void *xpub = tu_socket(ctx, ZMQ_XPUB), *xsub = tu_socket(ctx, ZMQ_XSUB);
    tu_set_int(xpub, ZMQ_ONLY_FIRST_SUBSCRIBE, 1);
    tu_set_int(xsub, ZMQ_ONLY_FIRST_SUBSCRIBE, 1);
    OK(zmq_bind(xpub, "inproc://onlyfirst"));
    OK(zmq_connect(xsub, "inproc://onlyfirst"));
    OK(zmq_send(xsub, "data", 4, ZMQ_SNDMORE));
    OK(zmq_send(xsub, "\1B", 2, 0));
    tu_recv_str(xpub, "data");
    char buf[4];
    EQ_INT(zmq_recv(xpub, buf, sizeof buf, 0), 2); /* delivered as data */
    /* B was not subscribed: a publication on B reaches nobody. */
    OK(zmq_send(xsub, "\1A", 2, 0));
    EQ_INT(zmq_recv(xpub, buf, sizeof buf, 0), 2);
    tu_send_str(xpub, "B-no", 0);
    tu_send_str(xpub, "A-yes", 0);
    tu_recv_str(xsub, "A-yes");
    OK(zmq_close(xsub));
    OK(zmq_close(xpub));
    OK(zmq_ctx_term(ctx));
}

/* ZMQ_METADATA: application properties travel in the handshake and are
 * readable on the peer's messages (modelled on libzmq's test_metadata). */
static void test_metadata_option(void)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    void *pull = tu_socket(ctx, ZMQ_PULL), *push = tu_socket(ctx, ZMQ_PUSH);
    FAILS(zmq_setsockopt(push, ZMQ_METADATA, "Bad:value", 9), EINVAL);
    OK(zmq_setsockopt(push, ZMQ_METADATA, "X-Color:blue", 12));
    tu_bind(pull, "tcp://127.0.0.1:*", ep, sizeof ep);
    OK(zmq_connect(push, ep));
    tu_send_str(push, "m", 0);
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    EQ_INT(zmq_msg_recv(&m, pull, 0), 1);
    const char *v = zmq_msg_gets(&m, "X-Color");
    CHECK(v && strcmp(v, "blue") == 0);
    OK(zmq_msg_close(&m));
    OK(zmq_close(push));
    OK(zmq_close(pull));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(30);
    RUN(test_router_notify);
    RUN(test_reconnect_stop);
    RUN(test_only_first_subscribe);
    RUN(test_metadata_option);
    return tu_done();
}
