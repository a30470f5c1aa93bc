/* zmq_poll over sockets and raw fds, with timeouts (modelled on libzmq's
 * test_zmq_poll_fd and the polling parts of test_spec_* tests). */
#include "testutil.h"

static void test_sockets_and_fds(void)
{
    void *ctx = zmq_ctx_new();
    void *a = tu_socket(ctx, ZMQ_PAIR), *b = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_bind(a, "inproc://poll"));
    OK(zmq_connect(b, "inproc://poll"));
    int p[2];
    CHECK(pipe(p) == 0);
    zmq_pollitem_t items[3] = {{a, 0, ZMQ_POLLIN, 0}, {NULL, p[0], ZMQ_POLLIN, 0}, {b, 0, ZMQ_POLLOUT, 0}};
    /* Only b can write. */
    EQ_INT(zmq_poll(items, 3, 0), 1);
    EQ_INT(items[0].revents, 0);
    EQ_INT(items[1].revents, 0);
    EQ_INT(items[2].revents, ZMQ_POLLOUT);
    /* Timeout with nothing to read. */
    items[2].events = 0;
    void *w = zmq_stopwatch_start();
    EQ_INT(zmq_poll(items, 3, 30), 0);
    CHECK(zmq_stopwatch_stop(w) >= 25000);
    /* A message and a byte on the pipe: both seen. */
    tu_send_str(b, "msg", 0);
    CHECK(write(p[1], "x", 1) == 1);
    EQ_INT(zmq_poll(items, 3, 5000), 2);
    EQ_INT(items[0].revents, ZMQ_POLLIN);
    EQ_INT(items[1].revents, ZMQ_POLLIN);
    tu_recv_str(a, "msg");
    /* A message arriving while blocked in zmq_poll wakes it. */
    char c;
    CHECK(read(p[0], &c, 1) == 1);
    tu_send_str(b, "late", 0);
    EQ_INT(zmq_poll(items, 1, -1), 1);
    tu_recv_str(a, "late");
    close(p[0]);
    close(p[1]);
    OK(zmq_close(a));
    OK(zmq_close(b));
    OK(zmq_ctx_term(ctx));
}

static void test_errors(void)
{
    zmq_pollitem_t bad = {NULL, -1, ZMQ_POLLIN, 0};
    /* An invalid fd is reported, not fatal. */
    int rc = zmq_poll(&bad, 1, 0);
    CHECK(rc == 1 || rc == 0);
    /* No items: a plain sleep. */
    EQ_INT(zmq_poll(NULL, 0, 1), 0);
}

/* A thousand sockets in one zmq_poll: the one with a message is found. */
static void test_many_items(void)
{
    enum { N = 1000 };
    void *ctx = zmq_ctx_new();
    zmq_ctx_set(ctx, ZMQ_MAX_SOCKETS, 2 * N + 10);
    static void *pulls[N], *pushes[N];
    static zmq_pollitem_t items[N];
    for (int i = 0; i < N; i++) {
        char ep[64];
        snprintf(ep, sizeof ep, "inproc://many-%d", i);
        pulls[i] = tu_socket(ctx, ZMQ_PULL);
        pushes[i] = tu_socket(ctx, ZMQ_PUSH);
        OK(zmq_bind(pulls[i], ep));
        OK(zmq_connect(pushes[i], ep));
        items[i] = (zmq_pollitem_t){pulls[i], 0, ZMQ_POLLIN, 0};
    }
    EQ_INT(zmq_poll(items, N, 0), 0);
    tu_send_str(pushes[777], "here", 0);
    EQ_INT(zmq_poll(items, N, 5000), 1);
    EQ_INT(items[777].revents, ZMQ_POLLIN);
    tu_recv_str(pulls[777], "here");
    for (int i = 0; i < N; i++) {
        OK(zmq_close(pulls[i]));
        OK(zmq_close(pushes[i]));
    }
    OK(zmq_ctx_term(ctx));
}

typedef struct {
    void *s;
    int rc, err;
} polljob_t;

static void poll_forever(void *arg)
{
    polljob_t *j = arg;
    zmq_pollitem_t it = {j->s, 0, ZMQ_POLLIN, 0};
    j->rc = zmq_poll(&it, 1, -1);
    j->err = zmq_errno();
}

/* Shutting the context down ends a zmq_poll blocked in another thread
 * with ETERM. */
static void test_eterm(void)
{
    void *ctx = zmq_ctx_new();
    polljob_t j = {tu_socket(ctx, ZMQ_PULL), 0, 0};
    OK(zmq_bind(j.s, "inproc://eterm"));
    void *t = zmq_threadstart(poll_forever, &j);
    OK(zmq_ctx_shutdown(ctx));
    zmq_threadclose(t);
    EQ_INT(j.rc, -1);
    EQ_INT(j.err, ETERM);
    OK(zmq_close(j.s));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(30);
    RUN(test_sockets_and_fds);
    RUN(test_errors);
    RUN(test_many_items);
    RUN(test_eterm);
    return tu_done();
}
