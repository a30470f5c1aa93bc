/* zmq_proxy and zmq_proxy_steerable (modelled on libzmq's test_proxy,
 * test_proxy_single_socket, test_proxy_steerable, test_proxy_terminate):
 * a request/reply broker, a subscription forwarder, a pipeline with a
 * capture socket, and steering with PAUSE/RESUME/STATISTICS/TERMINATE. */
#include "testutil.h"

typedef struct {
    void *front, *back, *capture, *control;
    int rc, err;
} proxy_t;

static void run_proxy(void *arg)
{
    proxy_t *p = arg;
    p->rc = p->control ? zmq_proxy_steerable(p->front, p->back, p->capture, p->control)
                       : zmq_proxy(p->front, p->back, p->capture);
    p->err = zmq_errno();
}

/* REQ -> ROUTER | proxy | DEALER -> REP, ended by context termination. */
static void test_broker(void)
{
    void *ctx = zmq_ctx_new();
    proxy_t p = {tu_socket(ctx, ZMQ_ROUTER), tu_socket(ctx, ZMQ_DEALER), NULL, NULL, 0, 0};
    OK(zmq_bind(p.front, "inproc://front"));
    OK(zmq_bind(p.back, "inproc://back"));
    void *t = zmq_threadstart(run_proxy, &p);
    void *req = tu_socket(ctx, ZMQ_REQ), *rep = tu_socket(ctx, ZMQ_REP);
    OK(zmq_connect(req, "inproc://front"));
    OK(zmq_connect(rep, "inproc://back"));
    for (int i = 0; i < 5; i++) {
        tu_send_str(req, "question", ZMQ_SNDMORE);
        tu_send_str(req, "part two", 0);
        tu_recv_str(rep, "question");
        tu_recv_str(rep, "part two");
        tu_send_str(rep, "answer", 0);
        tu_recv_str(req, "answer");
    }
    OK(zmq_close(req));
    OK(zmq_close(rep));
    OK(zmq_ctx_shutdown(ctx)); /* the proxy returns ETERM */
    zmq_threadclose(t);
    EQ_INT(p.rc, -1);
    EQ_INT(p.err, ETERM);
    OK(zmq_close(p.front));
    OK(zmq_close(p.back));
    OK(zmq_ctx_term(ctx));
}

/* PUB -> XSUB | proxy | XPUB -> SUB: subscriptions flow upstream. */
static void test_forwarder(void)
{
    void *ctx = zmq_ctx_new();
    proxy_t p = {tu_socket(ctx, ZMQ_XSUB), tu_socket(ctx, ZMQ_XPUB), NULL, NULL, 0, 0};
    void *pub = tu_socket(ctx, ZMQ_PUB), *sub = tu_socket(ctx, ZMQ_SUB);
    OK(zmq_bind(pub, "inproc://pub"));
    OK(zmq_connect(p.front, "inproc://pub"));
    OK(zmq_bind(p.back, "inproc://xpub"));
    void *t = zmq_threadstart(run_proxy, &p);
    OK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "wanted", 6));
    OK(zmq_connect(sub, "inproc://xpub"));
    tu_set_int(sub, ZMQ_RCVTIMEO, 20);
    char buf[32];
    int n = -1;
    for (int i = 0; i < 250 && n < 0; i++) {
        tu_send_str(pub, "unwanted", 0);
        tu_send_str(pub, "wanted news", 0);
        n = zmq_recv(sub, buf, sizeof buf - 1, 0);
    }
    CHECK(n == 11 && memcmp(buf, "wanted news", 11) == 0);
    OK(zmq_close(pub));
    OK(zmq_close(sub));
    OK(zmq_ctx_shutdown(ctx));
    zmq_threadclose(t);
    OK(zmq_close(p.front));
    OK(zmq_close(p.back));
    OK(zmq_ctx_term(ctx));
}

/* PUSH -> PULL | proxy with capture | PUSH -> PULL, steered. */
static void test_steerable_pipeline(void)
{
    void *ctx = zmq_ctx_new();
    proxy_t p = {tu_socket(ctx, ZMQ_PULL), tu_socket(ctx, ZMQ_PUSH), tu_socket(ctx, ZMQ_PUSH),
                 tu_socket(ctx, ZMQ_REP), 0, 0};
    OK(zmq_bind(p.front, "inproc://in"));
    OK(zmq_bind(p.back, "inproc://out"));
    OK(zmq_bind(p.capture, "inproc://capture"));
    OK(zmq_bind(p.control, "inproc://control"));
    void *src = tu_socket(ctx, ZMQ_PUSH), *dst = tu_socket(ctx, ZMQ_PULL);
    void *cap = tu_socket(ctx, ZMQ_PULL), *ctl = tu_socket(ctx, ZMQ_REQ);
    OK(zmq_connect(src, "inproc://in"));
    OK(zmq_connect(dst, "inproc://out"));
    OK(zmq_connect(cap, "inproc://capture"));
    OK(zmq_connect(ctl, "inproc://control"));
    void *t = zmq_threadstart(run_proxy, &p);
    tu_send_str(src, "one", 0);
    tu_recv_str(dst, "one");
    tu_recv_str(cap, "one");
    /* STATISTICS: 8 counters, frontend then backend. */
    tu_send_str(ctl, "STATISTICS", 0);
    uint64_t v[8];
    for (int i = 0; i < 8; i++) {
        EQ_INT(zmq_recv(ctl, &v[i], sizeof v[i], 0), 8);
        EQ_INT(tu_get_int(ctl, ZMQ_RCVMORE), i < 7);
    }
    CHECK(v[0] == 1 && v[1] == 3); /* frontend: 1 message, 3 bytes in */
    CHECK(v[6] == 1 && v[7] == 3); /* backend: 1 message, 3 bytes out */
    OK(zmq_close(ctl));
    /* TERMINATE ends the proxy with 0. */
    void *ctl2 = tu_socket(ctx, ZMQ_REQ);
    OK(zmq_connect(ctl2, "inproc://control"));
    tu_send_str(ctl2, "TERMINATE", 0);
    zmq_threadclose(t);
    EQ_INT(p.rc, 0);
    void *all[] = {src, dst, cap, ctl2, p.front, p.back, p.capture, p.control};
    for (int i = 0; i < 8; i++)
        OK(zmq_close(all[i]));
    OK(zmq_ctx_term(ctx));
}

/* PAUSE stops forwarding until RESUME (control over a PAIR socket, which
 * needs no replies). */
static void test_pause_resume(void)
{
    void *ctx = zmq_ctx_new();
    proxy_t p = {tu_socket(ctx, ZMQ_PULL), tu_socket(ctx, ZMQ_PUSH), NULL, tu_socket(ctx, ZMQ_PAIR), 0, 0};
    OK(zmq_bind(p.front, "inproc://pr-in"));
    OK(zmq_bind(p.back, "inproc://pr-out"));
    OK(zmq_bind(p.control, "inproc://pr-ctl"));
    void *src = tu_socket(ctx, ZMQ_PUSH), *dst = tu_socket(ctx, ZMQ_PULL), *ctl = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_connect(src, "inproc://pr-in"));
    OK(zmq_connect(dst, "inproc://pr-out"));
    OK(zmq_connect(ctl, "inproc://pr-ctl"));
    void *t = zmq_threadstart(run_proxy, &p);
    tu_send_str(src, "before", 0);
    tu_recv_str(dst, "before");
    tu_send_str(ctl, "PAUSE", 0);
    /* Make sure the proxy has seen PAUSE before the next message: ask
     * for statistics (the reply comes after PAUSE was handled). */
    tu_send_str(ctl, "STATISTICS", 0);
    for (int i = 0; i < 8; i++) {
        uint64_t v;
        EQ_INT(zmq_recv(ctl, &v, sizeof v, 0), 8);
    }
    tu_send_str(src, "while paused", 0);
    tu_set_int(dst, ZMQ_RCVTIMEO, 100);
    char buf[32];
    FAILS(zmq_recv(dst, buf, sizeof buf, 0), EAGAIN);
    tu_send_str(ctl, "RESUME", 0);
    tu_set_int(dst, ZMQ_RCVTIMEO, 5000);
    tu_recv_str(dst, "while paused");
    tu_send_str(ctl, "TERMINATE", 0);
    zmq_threadclose(t);
    EQ_INT(p.rc, 0);
    void *all[] = {src, dst, ctl, p.front, p.back, p.control};
    for (int i = 0; i < 6; i++)
        OK(zmq_close(all[i]));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(60);
    RUN(test_broker);
    RUN(test_forwarder);
    RUN(test_steerable_pipeline);
    RUN(test_pause_resume);
    return tu_done();
}
