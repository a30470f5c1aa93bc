/* Draft PEER and zmq_connect_peer (libzmq's test_peer, on every
 * transport): the id zmq_connect_peer returns addresses the bound peer,
 * which answers with the id it saw. Runs on gozmq's draft build only. */
#include "testutil.h"

static void send_to(void *s, char byte, uint32_t id)
{
    zmq_msg_t m;
    OK(zmq_msg_init_size(&m, 1));
    *(char *) zmq_msg_data(&m) = byte;
    OK(zmq_msg_set_routing_id(&m, id));
    EQ_INT(zmq_msg_send(&m, s, 0), 1);
}

static uint32_t recv_from(void *s, char byte)
{
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    EQ_INT(zmq_msg_recv(&m, s, 0), 1);
    EQ_INT(*(char *) zmq_msg_data(&m), byte);
    uint32_t id = zmq_msg_routing_id(&m);
    OK(zmq_msg_close(&m));
    return id;
}

static void peers(const char *bind_ep)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    void *peer1 = tu_socket(ctx, ZMQ_PEER), *peer2 = tu_socket(ctx, ZMQ_PEER);
    tu_bind(peer1, bind_ep, ep, sizeof ep);
    uint32_t id1 = zmq_connect_peer(peer2, ep);
    CHECK(id1 != 0);
    send_to(peer2, 1, id1);
    uint32_t id2 = recv_from(peer1, 1);
    CHECK(id2 != 0);
    send_to(peer1, 2, id2);
    EQ_INT(recv_from(peer2, 2), id1);
    /* A second connection gets a different id. */
    void *peer3 = tu_socket(ctx, ZMQ_PEER);
    uint32_t id1b = zmq_connect_peer(peer3, ep);
    CHECK(id1b != 0);
    send_to(peer3, 3, id1b);
    uint32_t id3 = recv_from(peer1, 3);
    CHECK(id3 != 0 && id3 != id2);
    OK(zmq_close(peer3));
    OK(zmq_close(peer1));
    OK(zmq_close(peer2));
    OK(zmq_ctx_term(ctx));
}

static void test_peer_inproc(void) { peers("inproc://peer"); }
static void test_peer_tcp(void) { peers("tcp://127.0.0.1:*"); }
static void test_peer_ipc(void)
{
    char ep[256];
    peers(tu_ipc_endpoint(ep, sizeof ep, "peer"));
}

static void test_connect_peer_errors(void)
{
    void *ctx = zmq_ctx_new();
    void *server = tu_socket(ctx, ZMQ_SERVER);
    errno = 0;
    EQ_INT(zmq_connect_peer(server, "inproc://x"), 0);
    EQ_INT(zmq_errno(), ENOTSUP);
    void *peer = tu_socket(ctx, ZMQ_PEER);
    tu_set_int(peer, ZMQ_IMMEDIATE, 1);
    EQ_INT(zmq_connect_peer(peer, "inproc://x"), 0);
    EQ_INT(zmq_errno(), EFAULT);
    tu_set_int(peer, ZMQ_IMMEDIATE, 0);
    EQ_INT(zmq_connect_peer(peer, "bogus://x"), 0);
    EQ_INT(zmq_errno(), EPROTONOSUPPORT);
    EQ_INT(zmq_connect_peer(NULL, "inproc://x"), 0);
    EQ_INT(zmq_errno(), ENOTSOCK);
    /* Sending without a known id fails, like SERVER. */
    FAILS(zmq_send(peer, "x", 1, 0), EHOSTUNREACH);
    FAILS(zmq_send(peer, "x", 1, ZMQ_SNDMORE), EINVAL);
    OK(zmq_close(server));
    OK(zmq_close(peer));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(60);
    RUN(test_peer_inproc);
    RUN(test_peer_tcp);
    RUN(test_peer_ipc);
    RUN(test_connect_peer_errors);
    return tu_done();
}
