/* ZMQ_CONFLATE keeps only the newest message (modelled on libzmq's
 * test_conflate): a PULL that reads after a burst gets the last one. */
#include "testutil.h"

static void conflate_over(const char *bind_ep)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    void *pull = tu_socket(ctx, ZMQ_PULL), *push = tu_socket(ctx, ZMQ_PUSH);
    tu_set_int(pull, ZMQ_CONFLATE, 1);
    EQ_INT(tu_get_int(pull, ZMQ_CONFLATE), 1);
    /* The conflating side connects: libzmq sizes an inproc pipe by the
     * connecting socket's options. */
    tu_bind(push, bind_ep, ep, sizeof ep);
    OK(zmq_connect(pull, ep));
    if (strncmp(bind_ep, "tcp", 3) == 0)
        tu_wait_connected(push, pull);
    for (int i = 0; i < 20; i++) {
        char m[16];
        snprintf(m, sizeof m, "msg %d", i);
        tu_send_str(push, m, 0);
    }
    /* Wait until the last one is in: it is the only one left. */
    tu_set_int(pull, ZMQ_RCVTIMEO, 50);
    char buf[16];
    int n = -1, got = 0;
    for (int i = 0; i < 100; i++) {
        n = zmq_recv(pull, buf, sizeof buf - 1, 0);
        if (n >= 0) {
            got++;
            buf[n] = 0;
            if (strcmp(buf, "msg 19") == 0)
                break;
        }
    }
    CHECK(n >= 0 && strcmp(buf, "msg 19") == 0);
    /* Older messages were replaced, not queued: over inproc they were
     * all in before the first read, so only the newest is there. */
    CHECK(got < 20);
    if (strncmp(bind_ep, "inproc", 6) == 0)
        EQ_INT(got, 1);
    FAILS(zmq_recv(pull, buf, sizeof buf, 0), EAGAIN);
    OK(zmq_close(push));
    OK(zmq_close(pull));
    OK(zmq_ctx_term(ctx));
}

static void test_inproc(void) { conflate_over("inproc://conflate"); }
static void test_tcp(void) { conflate_over("tcp://127.0.0.1:*"); }

int main(void)
{
    tu_start(30);
    RUN(test_inproc);
    RUN(test_tcp);
    return tu_done();
}
