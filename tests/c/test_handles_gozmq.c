/* gozmq only: invalid handles and messages get a clean error. libzmq
 * dereferences them (and crashes), so this test does not run against it;
 * see COVERAGE.md. */
#include "testutil.h"

static void test_garbage_handles(void)
{
    void *bogus[] = {(void *) 0x1, (void *) 0x1234, (void *) &bogus, (void *) (uintptr_t) -1};
    for (size_t i = 0; i < sizeof bogus / sizeof *bogus; i++) {
        void *h = bogus[i];
        FAILS(zmq_close(h), ENOTSOCK);
        FAILS(zmq_bind(h, "inproc://x"), ENOTSOCK);
        FAILS(zmq_send(h, "x", 1, 0), ENOTSOCK);
        int v = 0;
        size_t len = sizeof v;
        FAILS(zmq_getsockopt(h, ZMQ_TYPE, &v, &len), ENOTSOCK);
        FAILS(zmq_ctx_term(h), EFAULT);
        FAILS(zmq_ctx_set(h, ZMQ_IPV6, 1), EFAULT);
        errno = 0;
        CHECK(zmq_socket(h, ZMQ_PAIR) == NULL && zmq_errno() == EFAULT);
    }
}

static void test_stale_handles(void)
{
    void *ctx = zmq_ctx_new();
    void *s = zmq_socket(ctx, ZMQ_PAIR);
    OK(zmq_close(s));
    FAILS(zmq_close(s), ENOTSOCK);
    FAILS(zmq_connect(s, "inproc://x"), ENOTSOCK);
    /* A socket handle is not a context, nor the reverse. */
    void *s2 = zmq_socket(ctx, ZMQ_PAIR);
    FAILS(zmq_ctx_term(s2), EFAULT);
    FAILS(zmq_close(ctx), ENOTSOCK);
    OK(zmq_close(s2));
    OK(zmq_ctx_term(ctx));
    FAILS(zmq_ctx_term(ctx), EFAULT);
    errno = 0;
    CHECK(zmq_socket(ctx, ZMQ_PAIR) == NULL && zmq_errno() == EFAULT);
}

static void test_bad_messages(void)
{
    FAILS(zmq_msg_close(NULL), EFAULT);
    FAILS(zmq_msg_init(NULL), EFAULT);
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    OK(zmq_msg_close(&m));
    FAILS(zmq_msg_close(&m), EFAULT); /* closed twice */
    zmq_msg_t junk;
    memset(&junk, 0xA5, sizeof junk); /* never initialised */
    FAILS(zmq_msg_close(&junk), EFAULT);
    zmq_msg_t dst;
    OK(zmq_msg_init(&dst));
    FAILS(zmq_msg_copy(&dst, &junk), EFAULT);
    FAILS(zmq_msg_move(&dst, &junk), EFAULT);
    OK(zmq_msg_close(&dst));
}

int main(void)
{
    tu_start(30);
    RUN(test_garbage_handles);
    RUN(test_stale_handles);
    RUN(test_bad_messages);
    return tu_done();
}
