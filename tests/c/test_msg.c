/* zmq_msg_* through the public API: init variants, copy/move/close,
 * properties, ownership through send/recv, free functions called exactly
 * once (modelled on libzmq's test_msg_flags, test_msg_ffn, test_msg_init). */
#include <pthread.h>
#include "testutil.h"

static void *ctx;
static int frees;
static void count_free(void *data, void *hint)
{
    (void) hint;
    free(data);
    __atomic_add_fetch(&frees, 1, __ATOMIC_SEQ_CST);
}

static void test_init_variants(void)
{
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    EQ_INT(zmq_msg_size(&m), 0);
    EQ_INT(zmq_msg_more(&m), 0);
    OK(zmq_msg_close(&m));

    size_t sizes[] = {0, 1, 30, 33, 40, 41, 255, 256, 65535, 65536, 8 << 20};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        OK(zmq_msg_init_size(&m, sizes[i]));
        EQ_INT(zmq_msg_size(&m), sizes[i]);
        CHECK(sizes[i] == 0 || zmq_msg_data(&m) != NULL);
        memset(zmq_msg_data(&m), 'x', sizes[i]);
        /* Messages must be usable at pointer alignment. */
        CHECK(((uintptr_t) &m) % sizeof(void *) == 0);
        OK(zmq_msg_close(&m));
    }
}

static void test_init_data_free_once(void)
{
    frees = 0;
    char *d = malloc(100);
    memcpy(d, "payload", 8);
    zmq_msg_t m, c1, c2;
    OK(zmq_msg_init_data(&m, d, 100, count_free, NULL));
    CHECK(zmq_msg_data(&m) == d);
    OK(zmq_msg_init(&c1));
    OK(zmq_msg_init(&c2));
    OK(zmq_msg_copy(&c1, &m));
    OK(zmq_msg_copy(&c2, &c1));
    CHECK(zmq_msg_data(&c2) == d); /* copies share the body */
    EQ_INT(zmq_msg_get(&m, ZMQ_SHARED), 1);
    OK(zmq_msg_close(&m));
    OK(zmq_msg_close(&c1));
    EQ_INT(frees, 0);
    OK(zmq_msg_close(&c2));
    EQ_INT(frees, 1);
    /* A NULL free function leaves the buffer to the caller. */
    static char constant[] = "constant";
    OK(zmq_msg_init_data(&m, constant, sizeof constant, NULL, NULL));
    OK(zmq_msg_close(&m));
}

static void test_move_and_copy(void)
{
    zmq_msg_t a, b;
    OK(zmq_msg_init_size(&a, 5));
    memcpy(zmq_msg_data(&a), "hello", 5);
    OK(zmq_msg_init(&b));
    OK(zmq_msg_move(&b, &a));
    EQ_INT(zmq_msg_size(&a), 0);
    EQ_INT(zmq_msg_size(&b), 5);
    CHECK(memcmp(zmq_msg_data(&b), "hello", 5) == 0);
    OK(zmq_msg_copy(&a, &b));
    CHECK(memcmp(zmq_msg_data(&a), "hello", 5) == 0);
    /* Small bodies are copies, not shared. */
    ((char *) zmq_msg_data(&a))[0] = 'J';
    CHECK(((char *) zmq_msg_data(&b))[0] == 'h');
    OK(zmq_msg_close(&a));
    OK(zmq_msg_close(&b));
}

static void test_properties(void)
{
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    EQ_INT(zmq_msg_get(&m, ZMQ_MORE), 0);
    EQ_INT(zmq_msg_get(&m, ZMQ_SHARED), 0);
    FAILS(zmq_msg_get(&m, 12345), EINVAL);
    FAILS(zmq_msg_set(&m, ZMQ_MORE, 1), EINVAL);
    errno = 0;
    CHECK(zmq_msg_gets(&m, "Socket-Type") == NULL && zmq_errno() == EINVAL);
    OK(zmq_msg_close(&m));
}

/* The MORE flag follows the parts of a multipart message. */
static void test_more_flag_through_pair(void)
{
    void *a = tu_socket(ctx, ZMQ_PAIR), *b = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_bind(a, "inproc://more"));
    OK(zmq_connect(b, "inproc://more"));
    zmq_msg_t m;
    OK(zmq_msg_init_size(&m, 3));
    memcpy(zmq_msg_data(&m), "one", 3);
    EQ_INT(zmq_msg_send(&m, b, ZMQ_SNDMORE), 3);
    EQ_INT(zmq_msg_size(&m), 0); /* sent: the message is empty again */
    OK(zmq_msg_close(&m));
    OK(zmq_msg_init_size(&m, 3));
    memcpy(zmq_msg_data(&m), "two", 3);
    EQ_INT(zmq_msg_send(&m, b, 0), 3);
    OK(zmq_msg_close(&m));

    OK(zmq_msg_init(&m));
    EQ_INT(zmq_msg_recv(&m, a, 0), 3);
    EQ_INT(zmq_msg_more(&m), 1);
    EQ_INT(zmq_msg_get(&m, ZMQ_MORE), 1);
    /* Receiving into a message that holds data replaces that data. */
    EQ_INT(zmq_msg_recv(&m, a, 0), 3);
    EQ_INT(zmq_msg_more(&m), 0);
    CHECK(memcmp(zmq_msg_data(&m), "two", 3) == 0);
    OK(zmq_msg_close(&m));
    OK(zmq_close(a));
    OK(zmq_close(b));
}

/* A body handed over with zmq_msg_init_data is freed exactly once, after
 * it was transferred, whatever the transport. */
static void free_once_over(const char *bind_ep)
{
    char ep[256];
    void *pull = tu_socket(ctx, ZMQ_PULL), *push = tu_socket(ctx, ZMQ_PUSH);
    tu_bind(pull, bind_ep, ep, sizeof ep);
    OK(zmq_connect(push, ep));
    frees = 0;
    for (int i = 0; i < 10; i++) {
        size_t n = i % 2 ? 10 : 100000;
        char *d = malloc(n);
        memset(d, 'a' + i, n);
        zmq_msg_t m;
        OK(zmq_msg_init_data(&m, d, n, count_free, NULL));
        EQ_INT(zmq_msg_send(&m, push, 0), (int) n);
    }
    for (int i = 0; i < 10; i++) {
        zmq_msg_t m;
        OK(zmq_msg_init(&m));
        size_t n = i % 2 ? 10 : 100000;
        EQ_INT(zmq_msg_recv(&m, pull, 0), (int) n);
        CHECK(((char *) zmq_msg_data(&m))[n - 1] == 'a' + i);
        OK(zmq_msg_close(&m));
    }
    OK(zmq_close(push));
    OK(zmq_close(pull));
}

static void test_free_once_inproc(void) { free_once_over("inproc://ffn"); }
static void test_free_once_tcp(void) { free_once_over("tcp://127.0.0.1:*"); }

/* Metadata from the peer is readable through zmq_msg_gets over tcp. */
static void test_gets_metadata(void)
{
    char ep[256];
    void *pull = tu_socket(ctx, ZMQ_PULL), *push = tu_socket(ctx, ZMQ_PUSH);
    tu_bind(pull, "tcp://127.0.0.1:*", ep, sizeof ep);
    OK(zmq_connect(push, ep));
    tu_send_str(push, "meta", 0);
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    EQ_INT(zmq_msg_recv(&m, pull, 0), 4);
    const char *st = zmq_msg_gets(&m, "Socket-Type");
    CHECK(st && strcmp(st, "PUSH") == 0);
    const char *pa = zmq_msg_gets(&m, "Peer-Address");
    CHECK(pa && strcmp(pa, "127.0.0.1") == 0);
    errno = 0;
    CHECK(zmq_msg_gets(&m, "No-Such-Property") == NULL && zmq_errno() == EINVAL);
    /* The metadata outlives the sockets while the message lives. */
    OK(zmq_close(push));
    OK(zmq_close(pull));
    st = zmq_msg_gets(&m, "Socket-Type");
    CHECK(st && strcmp(st, "PUSH") == 0);
    OK(zmq_msg_close(&m));
}

/* A free function may call back into the library (pyzmq's does: it sends
 * a message to its garbage-collector thread). */
static void *gc_push;
static void free_and_notify(void *data, void *hint)
{
    (void) hint;
    free(data);
    zmq_send(gc_push, "freed", 5, 0);
}

static void test_free_function_calls_library(void)
{
    char ep[256];
    void *gc_pull = tu_socket(ctx, ZMQ_PULL);
    OK(zmq_bind(gc_pull, "inproc://gc"));
    gc_push = tu_socket(ctx, ZMQ_PUSH);
    OK(zmq_connect(gc_push, "inproc://gc"));
    void *pull = tu_socket(ctx, ZMQ_PULL), *push = tu_socket(ctx, ZMQ_PUSH);
    tu_bind(pull, "tcp://127.0.0.1:*", ep, sizeof ep);
    OK(zmq_connect(push, ep));
    for (int i = 0; i < 5; i++) {
        size_t n = 50000;
        zmq_msg_t m;
        OK(zmq_msg_init_data(&m, malloc(n), n, free_and_notify, NULL));
        EQ_INT(zmq_msg_send(&m, push, 0), (int) n);
    }
    for (int i = 0; i < 5; i++) {
        zmq_msg_t m;
        OK(zmq_msg_init(&m));
        EQ_INT(zmq_msg_recv(&m, pull, 0), 50000);
        OK(zmq_msg_close(&m));
    }
    /* Every body was freed once it was written, and each free sent its
     * notice from whatever thread released it. */
    for (int i = 0; i < 5; i++)
        tu_recv_str(gc_pull, "freed");
    OK(zmq_close(push));
    OK(zmq_close(pull));
    OK(zmq_close(gc_push));
    OK(zmq_close(gc_pull));
}

static void test_close_errors(void)
{
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    OK(zmq_msg_close(&m));
    /* (A NULL message crashes libzmq; gozmq's EFAULT for it is checked in
     * test_handles_gozmq.) */
}

int main(void)
{
    tu_start(60);
    ctx = zmq_ctx_new();
    RUN(test_init_variants);
    RUN(test_init_data_free_once);
    RUN(test_move_and_copy);
    RUN(test_properties);
    RUN(test_more_flag_through_pair);
    RUN(test_free_once_inproc);
    RUN(test_free_once_tcp);
    RUN(test_gets_metadata);
    RUN(test_free_function_calls_library);
    RUN(test_close_errors);
    OK(zmq_ctx_term(ctx));
    EQ_INT(frees, 10); /* every body of the tcp round was freed by term */
    return tu_done();
}
