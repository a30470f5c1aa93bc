/* Running out of sockets (modelled on libzmq's test_many_sockets):
 * zmq_socket keeps succeeding until the context's ZMQ_MAX_SOCKETS or the
 * process's descriptor limit is reached, then fails with EMFILE (and
 * keeps failing), and every socket still closes cleanly. We lower
 * RLIMIT_NOFILE first so "the system runs out" happens at a few thousand
 * sockets instead of libzmq's 131072, which keeps the test quick; after
 * the cleanup the context must work normally again. */
#include <sys/resource.h>
#include "testutil.h"

#define FD_LIMIT 2048

static void **sockets;

static int open_until_failure(void *ctx, int cap)
{
    int n = 0;
    for (;;) {
        CHECK(n < cap);
        void *s = zmq_socket(ctx, ZMQ_PAIR);
        if (!s)
            break;
        sockets[n++] = s;
    }
    EQ_INT(zmq_errno(), EMFILE);
    for (int i = 0; i < 10; i++) {
        errno = 0;
        CHECK(zmq_socket(ctx, ZMQ_PAIR) == NULL);
        EQ_INT(zmq_errno(), EMFILE);
    }
    return n;
}

static void close_all(int n)
{
    for (int i = 0; i < n; i++)
        OK(zmq_close(sockets[i]));
}

/* A socket once descriptors are free again. libzmq closes sockets on its
 * reaper thread, so their descriptors come back a little after
 * zmq_close returns: retry for a bounded time (5 s). */
static void *socket_when_free(void *ctx)
{
    for (int i = 0; i < 500; i++) {
        void *s = zmq_socket(ctx, ZMQ_PAIR);
        if (s) {
            tu_set_int(s, ZMQ_RCVTIMEO, 5000);
            tu_set_int(s, ZMQ_LINGER, 0);
            return s;
        }
        EQ_INT(zmq_errno(), EMFILE);
        zmq_poll(NULL, 0, 10);
    }
    FAILF("descriptors never came back after closing every socket");
}

/* A pair of sockets in ctx still passes a message. */
static void still_works(void *ctx)
{
    void *a = socket_when_free(ctx), *b = socket_when_free(ctx);
    OK(zmq_bind(a, "inproc://after-exhaustion"));
    OK(zmq_connect(b, "inproc://after-exhaustion"));
    tu_send_str(b, "alive", 0);
    tu_recv_str(a, "alive");
    OK(zmq_close(a));
    OK(zmq_close(b));
}

/* Limited by the descriptors the process may open. */
static void test_system_max(void)
{
    void *ctx = zmq_ctx_new();
    const int max = 2 * 65536;
    OK(zmq_ctx_set(ctx, ZMQ_MAX_SOCKETS, max));
    EQ_INT(zmq_ctx_get(ctx, ZMQ_MAX_SOCKETS), max);
    int n = open_until_failure(ctx, max + 1);
    CHECK(n <= max);
    /* Each socket needs at least one descriptor. */
    CHECK(n > 0 && n < FD_LIMIT);
    close_all(n);
    still_works(ctx);
    OK(zmq_ctx_term(ctx));
}

/* Limited by the default ZMQ_MAX_SOCKETS (1023), well below the fd limit. */
static void test_default_max(void)
{
    void *ctx = zmq_ctx_new();
    int n = open_until_failure(ctx, FD_LIMIT);
    CHECK(n <= 1023);
    EQ_INT(n, zmq_ctx_get(ctx, ZMQ_MAX_SOCKETS));
    close_all(n);
    still_works(ctx);
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(60);
    struct rlimit rl;
    CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0);
    if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max > FD_LIMIT)
        rl.rlim_max = FD_LIMIT;
    rl.rlim_cur = rl.rlim_max;
    CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
    sockets = calloc(2 * 65536 + 1, sizeof *sockets);
    CHECK(sockets != NULL);
    RUN(test_system_max);
    RUN(test_default_max);
    free(sockets);
    return tu_done();
}
