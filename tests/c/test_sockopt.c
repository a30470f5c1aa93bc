/* Socket options: defaults, set/get round trips, validation, read-only
 * options (modelled on libzmq's test_setsockopt, test_sockopt_hwm,
 * test_last_endpoint, test_getsockopt_memset). */
#include "testutil.h"

static void *ctx;

static void test_defaults(void)
{
    void *s = zmq_socket(ctx, ZMQ_PUSH);
    EQ_INT(tu_get_int(s, ZMQ_SNDHWM), 1000);
    EQ_INT(tu_get_int(s, ZMQ_RCVHWM), 1000);
    EQ_INT(tu_get_int(s, ZMQ_LINGER), -1);
    EQ_INT(tu_get_int(s, ZMQ_RCVTIMEO), -1);
    EQ_INT(tu_get_int(s, ZMQ_SNDTIMEO), -1);
    EQ_INT(tu_get_int(s, ZMQ_RECONNECT_IVL), 100);
    EQ_INT(tu_get_int(s, ZMQ_RECONNECT_IVL_MAX), 0);
    EQ_INT(tu_get_int(s, ZMQ_BACKLOG), 100);
    EQ_INT(tu_get_int(s, ZMQ_IMMEDIATE), 0);
    EQ_INT(tu_get_int(s, ZMQ_IPV6), 0);
    EQ_INT(tu_get_int(s, ZMQ_TYPE), ZMQ_PUSH);
    EQ_INT(tu_get_int(s, ZMQ_RCVMORE), 0);
    EQ_INT(tu_get_int(s, ZMQ_HANDSHAKE_IVL), 30000);
    EQ_INT(tu_get_int(s, ZMQ_TCP_KEEPALIVE), -1);
    EQ_INT(tu_get_int(s, ZMQ_MECHANISM), ZMQ_NULL);
    EQ_INT(tu_get_int(s, ZMQ_THREAD_SAFE), 0);
    int64_t maxmsg = 0;
    size_t len = sizeof maxmsg;
    OK(zmq_getsockopt(s, ZMQ_MAXMSGSIZE, &maxmsg, &len));
    EQ_INT(len, 8);
    EQ_INT(maxmsg, -1);
    uint64_t aff = 1;
    len = sizeof aff;
    OK(zmq_getsockopt(s, ZMQ_AFFINITY, &aff, &len));
    EQ_INT(aff, 0);
    char ep[64];
    len = sizeof ep;
    OK(zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, ep, &len));
    EQ_INT(len, 1);
    EQ_INT(ep[0], 0);
    OK(zmq_close(s));
}

static void test_round_trips(void)
{
    void *s = zmq_socket(ctx, ZMQ_PULL);
    int opts[] = {ZMQ_SNDHWM, ZMQ_RCVHWM, ZMQ_LINGER, ZMQ_RCVTIMEO, ZMQ_SNDTIMEO,
                  ZMQ_RECONNECT_IVL, ZMQ_RECONNECT_IVL_MAX, ZMQ_BACKLOG,
                  ZMQ_HANDSHAKE_IVL, ZMQ_SNDBUF, ZMQ_RCVBUF, ZMQ_TOS};
    for (size_t i = 0; i < sizeof opts / sizeof *opts; i++) {
        tu_set_int(s, opts[i], 1234);
        EQ_INT(tu_get_int(s, opts[i]), 1234);
    }
    tu_set_int(s, ZMQ_IMMEDIATE, 1);
    EQ_INT(tu_get_int(s, ZMQ_IMMEDIATE), 1);
    tu_set_int(s, ZMQ_IPV6, 1);
    EQ_INT(tu_get_int(s, ZMQ_IPV6), 1);
    int64_t maxmsg = 4096;
    OK(zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg));
    int64_t got = 0;
    size_t len = sizeof got;
    OK(zmq_getsockopt(s, ZMQ_MAXMSGSIZE, &got, &len));
    EQ_INT(got, 4096);
    OK(zmq_setsockopt(s, ZMQ_ROUTING_ID, "abc", 3));
    char id[256];
    len = sizeof id;
    OK(zmq_getsockopt(s, ZMQ_ROUTING_ID, id, &len));
    EQ_INT(len, 3);
    CHECK(memcmp(id, "abc", 3) == 0);
    OK(zmq_close(s));
}

static void test_validation(void)
{
    void *s = zmq_socket(ctx, ZMQ_PAIR);
    int v = -2;
    FAILS(zmq_setsockopt(s, ZMQ_LINGER, &v, sizeof v), EINVAL);
    v = -1;
    FAILS(zmq_setsockopt(s, ZMQ_SNDHWM, &v, sizeof v), EINVAL);
    FAILS(zmq_setsockopt(s, ZMQ_LINGER, &v, 2), EINVAL); /* wrong size */
    FAILS(zmq_setsockopt(s, 9999, &v, sizeof v), EINVAL);
    v = 2;
    FAILS(zmq_setsockopt(s, ZMQ_IMMEDIATE, &v, sizeof v), EINVAL);
    /* Routing ids: 1..255 bytes. */
    FAILS(zmq_setsockopt(s, ZMQ_ROUTING_ID, "", 0), EINVAL);
    char big[256];
    memset(big, 'x', sizeof big);
    FAILS(zmq_setsockopt(s, ZMQ_ROUTING_ID, big, 256), EINVAL);
    /* Read-only options cannot be set. */
    v = 1;
    FAILS(zmq_setsockopt(s, ZMQ_TYPE, &v, sizeof v), EINVAL);
    FAILS(zmq_setsockopt(s, ZMQ_RCVMORE, &v, sizeof v), EINVAL);
    FAILS(zmq_setsockopt(s, ZMQ_EVENTS, &v, sizeof v), EINVAL);
    /* Too small an output buffer for an int. */
    char small[2];
    size_t len = sizeof small;
    FAILS(zmq_getsockopt(s, ZMQ_LINGER, small, &len), EINVAL);
    OK(zmq_close(s));
}

static void test_last_endpoint(void)
{
    char ep[256];
    void *s = zmq_socket(ctx, ZMQ_PULL);
    tu_bind(s, "tcp://127.0.0.1:*", ep, sizeof ep);
    CHECK(strncmp(ep, "tcp://127.0.0.1:", 16) == 0 && atoi(ep + 16) > 0);
    tu_bind(s, "inproc://last-ep", ep, sizeof ep);
    CHECK(strcmp(ep, "inproc://last-ep") == 0);
    char ipc[256];
    tu_bind(s, tu_ipc_endpoint(ipc, sizeof ipc, "s"), ep, sizeof ep);
    CHECK(strcmp(ep, ipc) == 0);
    /* A buffer too small for the string is refused. */
    char tiny[4];
    size_t len = sizeof tiny;
    FAILS(zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, tiny, &len), EINVAL);
    OK(zmq_close(s));
}

static void test_fd_and_events(void)
{
    void *a = tu_socket(ctx, ZMQ_PAIR), *b = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_bind(a, "inproc://events"));
    OK(zmq_connect(b, "inproc://events"));
    int fd = -1;
    size_t len = sizeof fd;
    OK(zmq_getsockopt(a, ZMQ_FD, &fd, &len));
    CHECK(fd >= 0);
    EQ_INT(tu_get_int(a, ZMQ_EVENTS), ZMQ_POLLOUT);
    tu_send_str(b, "x", 0);
    /* The fd signals; EVENTS then shows the message. */
    zmq_pollitem_t it = {NULL, fd, ZMQ_POLLIN, 0};
    EQ_INT(zmq_poll(&it, 1, 5000), 1);
    EQ_INT(tu_get_int(a, ZMQ_EVENTS), ZMQ_POLLIN | ZMQ_POLLOUT);
    tu_recv_str(a, "x");
    EQ_INT(tu_get_int(a, ZMQ_EVENTS), ZMQ_POLLOUT);
    OK(zmq_close(a));
    OK(zmq_close(b));
}

/* A peer sending more than MAXMSGSIZE is disconnected; others are not. */
static void test_maxmsgsize(void)
{
    char ep[256];
    void *pull = tu_socket(ctx, ZMQ_PULL);
    /* (libzmq applies the limit to handshake commands too, so it must
     * leave room for READY's metadata.) */
    int64_t max = 64;
    OK(zmq_setsockopt(pull, ZMQ_MAXMSGSIZE, &max, sizeof max));
    tu_bind(pull, "tcp://127.0.0.1:*", ep, sizeof ep);
    void *bad = tu_socket(ctx, ZMQ_PUSH), *good = tu_socket(ctx, ZMQ_PUSH);
    OK(zmq_connect(bad, ep));
    char big[101];
    memset(big, 'b', 100);
    big[100] = 0;
    tu_send_str(bad, big, 0);
    OK(zmq_connect(good, ep));
    tu_send_str(good, "short", 0);
    tu_recv_str(pull, "short");
    tu_set_int(pull, ZMQ_RCVTIMEO, 100);
    char buf[32];
    FAILS(zmq_recv(pull, buf, sizeof buf, 0), EAGAIN);
    OK(zmq_close(bad));
    OK(zmq_close(good));
    OK(zmq_close(pull));
}

int main(void)
{
    tu_start(60);
    ctx = zmq_ctx_new();
    RUN(test_defaults);
    RUN(test_round_trips);
    RUN(test_validation);
    RUN(test_last_endpoint);
    RUN(test_fd_and_events);
    RUN(test_maxmsgsize);
    OK(zmq_ctx_term(ctx));
    return tu_done();
}
