/* Contexts: options and defaults, termination (blocking until sockets
 * close, ETERM for blocked and later calls), shutdown, legacy API
 * (modelled on libzmq's test_ctx_options, test_ctx_destroy, test_term_endpoint). */
#include <pthread.h>
#include "testutil.h"

static void test_defaults_and_options(void)
{
    void *ctx = zmq_ctx_new();
    CHECK(ctx != NULL);
    EQ_INT(zmq_ctx_get(ctx, ZMQ_IO_THREADS), ZMQ_IO_THREADS_DFLT);
    EQ_INT(zmq_ctx_get(ctx, ZMQ_MAX_SOCKETS), ZMQ_MAX_SOCKETS_DFLT);
    EQ_INT(zmq_ctx_get(ctx, ZMQ_IPV6), 0);
    EQ_INT(zmq_ctx_get(ctx, ZMQ_BLOCKY), 1);
    EQ_INT(zmq_ctx_get(ctx, ZMQ_MSG_T_SIZE), (int) sizeof(zmq_msg_t));
    CHECK(zmq_ctx_get(ctx, ZMQ_SOCKET_LIMIT) >= 1023);
    OK(zmq_ctx_set(ctx, ZMQ_IPV6, 1));
    EQ_INT(zmq_ctx_get(ctx, ZMQ_IPV6), 1);
    OK(zmq_ctx_set(ctx, ZMQ_MAX_SOCKETS, 64));
    EQ_INT(zmq_ctx_get(ctx, ZMQ_MAX_SOCKETS), 64);
    OK(zmq_ctx_set(ctx, ZMQ_BLOCKY, 0));
    EQ_INT(zmq_ctx_get(ctx, ZMQ_BLOCKY), 0);
    FAILS(zmq_ctx_set(ctx, ZMQ_IO_THREADS, -1), EINVAL);
    FAILS(zmq_ctx_set(ctx, 9999, 1), EINVAL);
    FAILS(zmq_ctx_get(ctx, 9999), EINVAL);
    /* IPV6 set on the context is the default of its new sockets. */
    void *s = zmq_socket(ctx, ZMQ_PAIR);
    EQ_INT(tu_get_int(s, ZMQ_IPV6), 1);
    /* BLOCKY 0 means new sockets linger 0. */
    EQ_INT(tu_get_int(s, ZMQ_LINGER), 0);
    OK(zmq_close(s));
    OK(zmq_ctx_term(ctx));
}

static void test_max_sockets(void)
{
    void *ctx = zmq_ctx_new();
    OK(zmq_ctx_set(ctx, ZMQ_MAX_SOCKETS, 2));
    void *a = zmq_socket(ctx, ZMQ_PAIR), *b = zmq_socket(ctx, ZMQ_PAIR);
    CHECK(a && b);
    errno = 0;
    CHECK(zmq_socket(ctx, ZMQ_PAIR) == NULL);
    EQ_INT(zmq_errno(), EMFILE);
    /* (libzmq frees the slot of a closed socket asynchronously, so
     * whether a new socket fits right after a close is not tested.) */
    OK(zmq_close(a));
    OK(zmq_close(b));
    OK(zmq_ctx_term(ctx));
}

static void test_legacy_api(void)
{
    void *ctx = zmq_init(1);
    CHECK(ctx != NULL);
    OK(zmq_term(ctx));
    ctx = zmq_init(2);
    OK(zmq_ctx_destroy(ctx));
    errno = 0;
    CHECK(zmq_init(-1) == NULL && zmq_errno() == EINVAL);
}

static void test_bad_socket_type(void)
{
    void *ctx = zmq_ctx_new();
    errno = 0;
    CHECK(zmq_socket(ctx, 9999) == NULL && zmq_errno() == EINVAL);
    OK(zmq_ctx_term(ctx));
}

static void *blocked_recv(void *s)
{
    char buf[8];
    int rc = zmq_recv(s, buf, sizeof buf, 0);
    return (void *) (long) (rc < 0 ? zmq_errno() : 0);
}

/* zmq_ctx_term returns ETERM to a call blocked in another thread, then
 * waits for that socket to be closed. */
static void test_term_wakes_blocked_recv(void)
{
    void *ctx = zmq_ctx_new();
    void *s = zmq_socket(ctx, ZMQ_PULL);
    tu_set_int(s, ZMQ_LINGER, 0);
    OK(zmq_bind(s, "inproc://term"));
    pthread_t t;
    pthread_create(&t, NULL, blocked_recv, s);
    /* Term from another thread; this one collects ETERM and closes. */
    void *ret;
    OK(zmq_ctx_shutdown(ctx));
    pthread_join(t, &ret);
    EQ_INT((long) ret, ETERM);
    /* After shutdown every call on the socket fails with ETERM... */
    char buf[4];
    FAILS(zmq_recv(s, buf, sizeof buf, ZMQ_DONTWAIT), ETERM);
    FAILS(zmq_connect(s, "inproc://x"), ETERM);
    /* ...and no new sockets can be created. */
    errno = 0;
    CHECK(zmq_socket(ctx, ZMQ_PAIR) == NULL && zmq_errno() == ETERM);
    OK(zmq_close(s));
    OK(zmq_ctx_term(ctx));
}

static void *term_ctx(void *ctx) { return (void *) (long) zmq_ctx_term(ctx); }

/* Term blocks while a socket is open and returns once it is closed. */
static void test_term_waits_for_close(void)
{
    void *ctx = zmq_ctx_new();
    void *s = zmq_socket(ctx, ZMQ_PUSH);
    tu_set_int(s, ZMQ_LINGER, 0);
    pthread_t t;
    pthread_create(&t, NULL, term_ctx, ctx);
    /* Until the socket sees ETERM, term cannot have finished; wait for it
     * with bounded polling of the socket. */
    for (int i = 0; i < 500; i++) {
        if (zmq_send(s, "x", 1, ZMQ_DONTWAIT) < 0 && zmq_errno() == ETERM)
            break;
        zmq_pollitem_t it = {s, 0, ZMQ_POLLIN, 0};
        zmq_poll(&it, 1, 10);
    }
    CHECK(zmq_errno() == ETERM);
    OK(zmq_close(s));
    void *ret;
    pthread_join(t, &ret);
    EQ_INT((long) ret, 0);
}

/* Terminating twice, or using a closed socket, is refused cleanly. */
static void test_use_after_close(void)
{
    void *ctx = zmq_ctx_new();
    void *s = zmq_socket(ctx, ZMQ_PAIR);
    OK(zmq_close(s));
    OK(zmq_ctx_term(ctx));
    FAILS(zmq_ctx_term(NULL), EFAULT);
    FAILS(zmq_ctx_shutdown(NULL), EFAULT);
    FAILS(zmq_close(NULL), ENOTSOCK);
    errno = 0;
    CHECK(zmq_socket(NULL, ZMQ_PAIR) == NULL && zmq_errno() == EFAULT);
}

/* LINGER -1 with a message that cannot be delivered would block term
 * forever; with a finite linger term returns once it expires. */
static void test_finite_linger_bounds_term(void)
{
    void *ctx = zmq_ctx_new();
    void *s = zmq_socket(ctx, ZMQ_PUSH);
    tu_set_int(s, ZMQ_LINGER, 50);
    OK(zmq_connect(s, "tcp://127.0.0.1:1")); /* nobody listens there */
    tu_send_str(s, "stuck", 0);
    OK(zmq_close(s));
    void *watch = zmq_stopwatch_start();
    OK(zmq_ctx_term(ctx));
    CHECK(zmq_stopwatch_stop(watch) < 5000000);
}

int main(void)
{
    tu_start(60);
    RUN(test_defaults_and_options);
    RUN(test_max_sockets);
    RUN(test_legacy_api);
    RUN(test_bad_socket_type);
    RUN(test_term_wakes_blocked_recv);
    RUN(test_term_waits_for_close);
    RUN(test_use_after_close);
    RUN(test_finite_linger_bounds_term);
    return tu_done();
}
