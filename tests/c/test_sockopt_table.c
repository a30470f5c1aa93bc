/* Every stable integer socket option: its default, a set/get round trip,
 * and libzmq's rejection of out-of-range values, for each socket type
 * that accepts it (modelled on libzmq's test_setsockopt and
 * test_sockopt_*). Running the same binary against libzmq proves the
 * table is libzmq's. */
#include "testutil.h"

typedef struct {
    const char *name;
    int opt;
    int dflt;     /* expected default */
    int value;    /* a valid value to set */
    int invalid;  /* a value libzmq refuses with EINVAL, or 0 for none */
} intopt_t;

static const intopt_t opts[] = {
    {"SNDHWM", ZMQ_SNDHWM, 1000, 5, -1},
    {"RCVHWM", ZMQ_RCVHWM, 1000, 5, -1},
    {"LINGER", ZMQ_LINGER, -1, 10, -2},
    {"RCVTIMEO", ZMQ_RCVTIMEO, -1, 10, -2},
    {"SNDTIMEO", ZMQ_SNDTIMEO, -1, 10, -2},
    {"RECONNECT_IVL", ZMQ_RECONNECT_IVL, 100, 250, -2},
    {"RECONNECT_IVL_MAX", ZMQ_RECONNECT_IVL_MAX, 0, 1000, -1},
    {"BACKLOG", ZMQ_BACKLOG, 100, 50, -1},
    {"SNDBUF", ZMQ_SNDBUF, -1, 65536, -2},
    {"RCVBUF", ZMQ_RCVBUF, -1, 65536, -2},
    {"IMMEDIATE", ZMQ_IMMEDIATE, 0, 1, 2},
    {"IPV4ONLY", ZMQ_IPV4ONLY, 1, 1, 2}, /* before IPV6, its inverse */
    {"IPV6", ZMQ_IPV6, 0, 1, 2},
    {"TCP_KEEPALIVE", ZMQ_TCP_KEEPALIVE, -1, 1, 2},
    {"TCP_KEEPALIVE_CNT", ZMQ_TCP_KEEPALIVE_CNT, -1, 5, -2},
    {"TCP_KEEPALIVE_IDLE", ZMQ_TCP_KEEPALIVE_IDLE, -1, 60, -2},
    {"TCP_KEEPALIVE_INTVL", ZMQ_TCP_KEEPALIVE_INTVL, -1, 10, -2},
    {"TOS", ZMQ_TOS, 0, 0x10, 0},
    {"HANDSHAKE_IVL", ZMQ_HANDSHAKE_IVL, 30000, 500, -1},
    {"CONNECT_TIMEOUT", ZMQ_CONNECT_TIMEOUT, 0, 500, -1},
    {"TCP_MAXRT", ZMQ_TCP_MAXRT, 0, 500, -1},
    {"HEARTBEAT_IVL", ZMQ_HEARTBEAT_IVL, 0, 500, -1},
    {"HEARTBEAT_TTL", ZMQ_HEARTBEAT_TTL, 0, 1500, -100}, /* in deciseconds */
    {"HEARTBEAT_TIMEOUT", ZMQ_HEARTBEAT_TIMEOUT, -1, 500, -2},
    {"RATE", ZMQ_RATE, 100, 200, 0},
    {"RECOVERY_IVL", ZMQ_RECOVERY_IVL, 10000, 500, -1},
    {"MULTICAST_HOPS", ZMQ_MULTICAST_HOPS, 1, 4, 0},
    {"MULTICAST_MAXTPDU", ZMQ_MULTICAST_MAXTPDU, 1500, 1000, 0},
    {"USE_FD", ZMQ_USE_FD, -1, -1, -2},
    {"INVERT_MATCHING", ZMQ_INVERT_MATCHING, 0, 1, 0},
    {"CONFLATE", ZMQ_CONFLATE, 0, 1, 2},
};

static void check_socket(void *ctx, int type)
{
    void *s = zmq_socket(ctx, type);
    CHECK(s != NULL);
    for (size_t i = 0; i < sizeof opts / sizeof *opts; i++) {
        const intopt_t *o = &opts[i];
        tu_case = o->name;
        if (o->opt == ZMQ_CONFLATE || o->opt == ZMQ_INVERT_MATCHING)
            continue; /* per-type options: checked on their own below */
        int dflt = o->dflt;
        if (o->opt == ZMQ_LINGER && (type == ZMQ_SUB || type == ZMQ_XSUB))
            dflt = 0; /* subscribers do not linger */
        EQ_INT(tu_get_int(s, o->opt), dflt);
        tu_set_int(s, o->opt, o->value);
        EQ_INT(tu_get_int(s, o->opt), o->value);
        if (o->invalid)
            FAILS(zmq_setsockopt(s, o->opt, &o->invalid, sizeof o->invalid), EINVAL);
    }
    int v = 0;
    size_t len = sizeof v;
    tu_case = "TYPE";
    OK(zmq_getsockopt(s, ZMQ_TYPE, &v, &len));
    EQ_INT(v, type);
    tu_set_int(s, ZMQ_LINGER, 0);
    OK(zmq_close(s));
}

static void test_all_types(void)
{
    void *ctx = zmq_ctx_new();
    int types[] = {ZMQ_PAIR, ZMQ_PUB, ZMQ_SUB, ZMQ_REQ, ZMQ_REP, ZMQ_DEALER, ZMQ_ROUTER,
                   ZMQ_PULL, ZMQ_PUSH, ZMQ_XPUB, ZMQ_XSUB, ZMQ_STREAM};
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        check_socket(ctx, types[i]);
    OK(zmq_ctx_term(ctx));
}

static void test_type_specific(void)
{
    void *ctx = zmq_ctx_new();
    void *sub = zmq_socket(ctx, ZMQ_SUB), *pull = zmq_socket(ctx, ZMQ_PULL);
    tu_case = "INVERT_MATCHING";
    EQ_INT(tu_get_int(sub, ZMQ_INVERT_MATCHING), 0);
    tu_set_int(sub, ZMQ_INVERT_MATCHING, 1);
    EQ_INT(tu_get_int(sub, ZMQ_INVERT_MATCHING), 1);
    tu_case = "CONFLATE";
    EQ_INT(tu_get_int(pull, ZMQ_CONFLATE), 0);
    tu_set_int(pull, ZMQ_CONFLATE, 1);
    EQ_INT(tu_get_int(pull, ZMQ_CONFLATE), 1);
    tu_case = "SUBSCRIBE on PULL";
    FAILS(zmq_setsockopt(pull, ZMQ_SUBSCRIBE, "x", 1), EINVAL);
    tu_case = "ROUTER_MANDATORY on PULL";
    int one = 1;
    FAILS(zmq_setsockopt(pull, ZMQ_ROUTER_MANDATORY, &one, sizeof one), EINVAL);
    tu_case = "REQ_CORRELATE on SUB";
    FAILS(zmq_setsockopt(sub, ZMQ_REQ_CORRELATE, &one, sizeof one), EINVAL);
    tu_case = "XPUB_VERBOSE on SUB";
    FAILS(zmq_setsockopt(sub, ZMQ_XPUB_VERBOSE, &one, sizeof one), EINVAL);
    OK(zmq_close(sub));
    OK(zmq_close(pull));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(30);
    RUN(test_all_types);
    RUN(test_type_specific);
    return tu_done();
}
