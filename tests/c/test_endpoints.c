/* Endpoints: tcp, ipc and inproc address forms and their errors; bind,
 * unbind, connect, disconnect (modelled on libzmq's test_bind_after_connect_tcp,
 * test_unbind_wildcard, test_term_endpoint, test_ipc_wildcard,
 * test_inproc_connect, test_disconnect_inproc, test_bind_src_address). */
#include "testutil.h"

static void *ctx;

static void test_malformed(void)
{
    void *s = tu_socket(ctx, ZMQ_PAIR);
    FAILS(zmq_bind(s, "no-scheme"), EINVAL);
    FAILS(zmq_connect(s, "tcp://"), EINVAL);
    FAILS(zmq_bind(s, "bogus://x"), EPROTONOSUPPORT);
    FAILS(zmq_connect(s, "bogus://x"), EPROTONOSUPPORT);
    FAILS(zmq_connect(s, "tcp://127.0.0.1"), EINVAL);    /* no port */
    FAILS(zmq_connect(s, "tcp://127.0.0.1:*"), EINVAL);  /* no wildcard */
    FAILS(zmq_bind(s, "tcp://no-such-interface-x:5555"), ENODEV);
    OK(zmq_close(s));
}

static void test_tcp_address_in_use(void)
{
    char ep[256];
    void *a = tu_socket(ctx, ZMQ_PULL), *b = tu_socket(ctx, ZMQ_PULL);
    tu_bind(a, "tcp://127.0.0.1:*", ep, sizeof ep);
    FAILS(zmq_bind(b, ep), EADDRINUSE);
    /* After unbind the address can be bound again (libzmq releases it
     * asynchronously, so retry for a bounded while). */
    OK(zmq_unbind(a, ep));
    int rc = -1;
    for (int i = 0; i < 200 && rc != 0; i++) {
        rc = zmq_bind(b, ep);
        if (rc != 0)
            zmq_poll(NULL, 0, 10);
    }
    OK(rc);
    OK(zmq_close(a));
    OK(zmq_close(b));
}

static void test_tcp_wildcard_and_localhost(void)
{
    char ep[256], conn[256];
    void *pull = tu_socket(ctx, ZMQ_PULL), *push = tu_socket(ctx, ZMQ_PUSH);
    tu_bind(pull, "tcp://*:*", ep, sizeof ep);
    CHECK(strncmp(ep, "tcp://0.0.0.0:", 14) == 0);
    /* Connect by host name. */
    snprintf(conn, sizeof conn, "tcp://localhost:%s", strrchr(ep, ':') + 1);
    OK(zmq_connect(push, conn));
    tu_send_str(push, "by name", 0);
    tu_recv_str(pull, "by name");
    /* Unbind by the wildcard string used to bind fails unless it matches
     * what was bound; by LAST_ENDPOINT it works. */
    OK(zmq_unbind(pull, ep));
    FAILS(zmq_unbind(pull, ep), ENOENT);
    OK(zmq_close(push));
    OK(zmq_close(pull));
}

/* An explicit endpoint is unbound by the same string. */
static void test_unbind_by_original_string(void)
{
    char ep[256];
    void *s = tu_socket(ctx, ZMQ_PULL);
    tu_bind(s, "tcp://127.0.0.1:*", ep, sizeof ep);
    OK(zmq_unbind(s, ep));
    int rc = -1;
    for (int i = 0; i < 200 && rc != 0; i++) {
        rc = zmq_bind(s, ep); /* the very same string, now explicit */
        if (rc != 0)
            zmq_poll(NULL, 0, 10);
    }
    OK(rc);
    OK(zmq_unbind(s, ep));
    OK(zmq_close(s));
}

static void test_unknown_endpoint(void)
{
    void *s = tu_socket(ctx, ZMQ_PUSH);
    FAILS(zmq_unbind(s, "tcp://127.0.0.1:5999"), ENOENT);
    FAILS(zmq_disconnect(s, "tcp://127.0.0.1:5999"), ENOENT);
    FAILS(zmq_unbind(s, "inproc://never-bound"), ENOENT);
    OK(zmq_close(s));
}

/* After disconnect, nothing more goes to that peer. */
static void test_disconnect(void)
{
    char ep[256];
    void *pull = tu_socket(ctx, ZMQ_PULL), *push = tu_socket(ctx, ZMQ_PUSH);
    tu_bind(pull, "tcp://127.0.0.1:*", ep, sizeof ep);
    OK(zmq_connect(push, ep));
    tu_wait_connected(push, pull);
    OK(zmq_disconnect(push, ep));
    FAILS(zmq_send(push, "x", 1, ZMQ_DONTWAIT), EAGAIN);
    FAILS(zmq_disconnect(push, ep), ENOENT);
    OK(zmq_close(push));
    OK(zmq_close(pull));
}

static void test_ipc_forms(void)
{
    char ep[256], got[256];
    void *pull = tu_socket(ctx, ZMQ_PULL), *push = tu_socket(ctx, ZMQ_PUSH);
    /* A wildcard ipc bind gets a fresh path, reported by LAST_ENDPOINT. */
    tu_bind(pull, "ipc://*", got, sizeof got);
    CHECK(strncmp(got, "ipc://", 6) == 0 && strlen(got) > 6 && strchr(got, '*') == NULL);
    OK(zmq_connect(push, got));
    tu_send_str(push, "wild", 0);
    tu_recv_str(pull, "wild");
    /* A stale socket file does not block a new bind. */
    tu_ipc_endpoint(ep, sizeof ep, "stale.sock");
    void *first = tu_socket(ctx, ZMQ_PULL);
    OK(zmq_bind(first, ep));
    OK(zmq_close(first));
    void *second = tu_socket(ctx, ZMQ_PULL);
    OK(zmq_bind(second, ep));
    OK(zmq_close(second));
    /* A path longer than the socket address can hold is refused. */
    char longp[300] = "ipc:///tmp/";
    memset(longp + 11, 'x', 200);
    longp[211] = 0;
    FAILS(zmq_bind(pull, longp), ENAMETOOLONG);
    OK(zmq_close(push));
    OK(zmq_close(pull));
}

static void test_inproc_rules(void)
{
    void *a = tu_socket(ctx, ZMQ_PAIR), *b = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_bind(a, "inproc://name"));
    FAILS(zmq_bind(b, "inproc://name"), EADDRINUSE);
    /* Unbinding frees the name. */
    OK(zmq_unbind(a, "inproc://name"));
    OK(zmq_bind(b, "inproc://name"));
    /* (Closing a socket frees its names too, but libzmq does so only
     * later, in its reaper thread, so that is not checked here.) */
    OK(zmq_close(b));
    OK(zmq_close(a));
}

/* Source address binding: "tcp://src;dst". */
static void test_tcp_source_address(void)
{
    char ep[256], conn[300];
    void *pull = tu_socket(ctx, ZMQ_PULL), *push = tu_socket(ctx, ZMQ_PUSH);
    tu_bind(pull, "tcp://127.0.0.1:*", ep, sizeof ep);
    snprintf(conn, sizeof conn, "tcp://127.0.0.1:0;%s", ep + 6);
    OK(zmq_connect(push, conn));
    tu_send_str(push, "from src", 0);
    tu_recv_str(pull, "from src");
    OK(zmq_close(push));
    OK(zmq_close(pull));
}

int main(void)
{
    tu_start(60);
    ctx = zmq_ctx_new();
    RUN(test_malformed);
    RUN(test_tcp_address_in_use);
    RUN(test_tcp_wildcard_and_localhost);
    RUN(test_unbind_by_original_string);
    RUN(test_unknown_endpoint);
    RUN(test_disconnect);
    RUN(test_ipc_forms);
    RUN(test_inproc_rules);
    RUN(test_tcp_source_address);
    OK(zmq_ctx_term(ctx));
    return tu_done();
}
