/* A 2 GiB + 1 byte message over inproc and tcp (sizes are size_t end to
 * end). Needs about 10 GiB of memory, so it runs from `make test-heavy`,
 * not in the default CI run. */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#define HUGE ((size_t) 2 * 1024 * 1024 * 1024 + 1)

static void check(void *ctx, const char *ep)
{
    void *pull = zmq_socket(ctx, ZMQ_PULL), *push = zmq_socket(ctx, ZMQ_PUSH);
    char resolved[256];
    size_t len = sizeof resolved;
    assert(zmq_bind(pull, ep) == 0);
    assert(zmq_getsockopt(pull, ZMQ_LAST_ENDPOINT, resolved, &len) == 0);
    assert(zmq_connect(push, resolved) == 0);

    zmq_msg_t m;
    assert(zmq_msg_init_size(&m, HUGE) == 0);
    unsigned char *p = zmq_msg_data(&m);
    for (size_t i = 0; i < HUGE - 1; i += 4096)
        p[i] = (unsigned char) (i / 4096);
    p[HUGE - 1] = 0xAB;
    /* zmq_msg_send returns the size clamped to INT_MAX, as libzmq does. */
    assert(zmq_msg_send(&m, push, 0) == INT32_MAX);

    zmq_msg_t r;
    zmq_msg_init(&r);
    assert(zmq_msg_recv(&r, pull, 0) == INT32_MAX);
    assert(zmq_msg_size(&r) == HUGE);
    unsigned char *q = zmq_msg_data(&r);
    for (size_t i = 0; i < HUGE - 1; i += 4096)
        assert(q[i] == (unsigned char) (i / 4096));
    assert(q[HUGE - 1] == 0xAB);
    zmq_msg_close(&r);
    zmq_close(push);
    zmq_close(pull);
    printf("huge message over %s: ok\n", ep);
}

int main(void)
{
    void *ctx = zmq_ctx_new();
    check(ctx, "inproc://huge");
    check(ctx, "tcp://127.0.0.1:*");
    zmq_ctx_term(ctx);
    printf("1 passed, 0 failed\n");
    return 0;
}
