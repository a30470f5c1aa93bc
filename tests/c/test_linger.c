/* LINGER and termination: queued messages are delivered after close when
 * linger allows it, dropped at once with LINGER 0, and zmq_ctx_term never
 * hangs with a finite linger (modelled on libzmq's test_linger,
 * test_ctx_destroy, test_term_endpoint). */
#include "testutil.h"

/* Close right after sending: with LINGER the peer still gets everything. */
static void test_linger_delivers(void)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    void *pull = tu_socket(ctx, ZMQ_PULL);
    tu_bind(pull, "tcp://127.0.0.1:*", ep, sizeof ep);
    void *ctx2 = zmq_ctx_new();
    void *push = zmq_socket(ctx2, ZMQ_PUSH);
    tu_set_int(push, ZMQ_LINGER, 5000);
    OK(zmq_connect(push, ep));
    for (int i = 0; i < 100; i++)
        tu_send_str(push, "lingering", 0);
    OK(zmq_close(push));
    OK(zmq_ctx_term(ctx2)); /* returns once all 100 went out */
    for (int i = 0; i < 100; i++)
        tu_recv_str(pull, "lingering");
    OK(zmq_close(pull));
    OK(zmq_ctx_term(ctx));
}

/* LINGER 0 with an unreachable peer: term returns at once. */
static void test_linger_zero(void)
{
    void *ctx = zmq_ctx_new();
    void *push = zmq_socket(ctx, ZMQ_PUSH);
    tu_set_int(push, ZMQ_LINGER, 0);
    OK(zmq_connect(push, "tcp://127.0.0.1:1"));
    tu_send_str(push, "dropped", 0);
    OK(zmq_close(push));
    void *w = zmq_stopwatch_start();
    OK(zmq_ctx_term(ctx));
    CHECK(zmq_stopwatch_stop(w) < 2000000);
}

/* A finite linger bounds term when the peer never comes. */
static void test_linger_expires(void)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    void *push = zmq_socket(ctx, ZMQ_PUSH);
    tu_set_int(push, ZMQ_LINGER, 100);
    OK(zmq_connect(push, tu_ipc_endpoint(ep, sizeof ep, "never.sock")));
    tu_send_str(push, "never delivered", 0);
    OK(zmq_close(push));
    void *w = zmq_stopwatch_start();
    OK(zmq_ctx_term(ctx));
    unsigned long us = zmq_stopwatch_stop(w);
    CHECK(us < 5000000);
}

/* Closing with nothing queued never waits, whatever LINGER says. */
static void test_nothing_queued(void)
{
    void *ctx = zmq_ctx_new();
    void *s = zmq_socket(ctx, ZMQ_PUSH);
    OK(zmq_connect(s, "tcp://127.0.0.1:1"));
    OK(zmq_close(s)); /* default LINGER -1 */
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(60);
    RUN(test_linger_delivers);
    RUN(test_linger_zero);
    RUN(test_linger_expires);
    RUN(test_nothing_queued);
    return tu_done();
}
