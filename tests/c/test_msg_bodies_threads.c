/* Message bodies made and dropped by many threads at once: each thread
 * makes messages of every small size (41..1024 bytes, the sizes gozmq
 * recycles through a per-thread cache and a shared stack), fills each with
 * its own pattern, and hands half of them to the next thread to close, so
 * bodies are freed on other threads than the ones that made them. Every
 * body must still hold its pattern when it is checked: a recycled body
 * handed out twice would be overwritten by its other owner. Threads exit
 * with bodies still in their caches (gozmq gives those back at thread
 * exit; the ASan build's leak check would report them otherwise). Then
 * the same through sockets: sent bodies are dropped by the library's own
 * threads after the write, received ones by the application. */
#include <pthread.h>

#include "testutil.h"

#define THREADS 4
#define ROUNDS 200
#define PER_ROUND 24

static zmq_msg_t handed[THREADS][PER_ROUND / 2];
static pthread_barrier_t barrier;

static void fill(zmq_msg_t *m, unsigned seed)
{
    unsigned char *d = zmq_msg_data(m);
    for (size_t i = 0; i < zmq_msg_size(m); i++)
        d[i] = (unsigned char) (seed * 31u + i);
}

static void check(zmq_msg_t *m, unsigned seed)
{
    const unsigned char *d = zmq_msg_data(m);
    for (size_t i = 0; i < zmq_msg_size(m); i++)
        if (d[i] != (unsigned char) (seed * 31u + i))
            FAILF("body of %zu bytes (seed %u) overwritten at byte %zu", zmq_msg_size(m), seed, i);
}

static size_t size_of(int j) { return 41 + (size_t) (j * 83) % 984; }

static void *worker(void *arg)
{
    long t = (long) arg;
    for (int r = 0; r < ROUNDS; r++) {
        zmq_msg_t mine[PER_ROUND];
        for (int j = 0; j < PER_ROUND; j++) {
            OK(zmq_msg_init_size(&mine[j], size_of(j + r)));
            fill(&mine[j], (unsigned) (t * 100000 + r * 100 + j));
        }
        for (int j = 0; j < PER_ROUND; j++)
            check(&mine[j], (unsigned) (t * 100000 + r * 100 + j));
        /* Half go to the next thread; half are closed here. */
        for (int j = 0; j < PER_ROUND / 2; j++) {
            OK(zmq_msg_init(&handed[t][j]));
            OK(zmq_msg_move(&handed[t][j], &mine[j]));
            OK(zmq_msg_close(&mine[j]));
        }
        for (int j = PER_ROUND / 2; j < PER_ROUND; j++)
            OK(zmq_msg_close(&mine[j]));
        pthread_barrier_wait(&barrier);
        long from = (t + THREADS - 1) % THREADS;
        for (int j = 0; j < PER_ROUND / 2; j++) {
            check(&handed[from][j], (unsigned) (from * 100000 + r * 100 + j));
            OK(zmq_msg_close(&handed[from][j]));
        }
        pthread_barrier_wait(&barrier);
    }
    return NULL;
}

static void test_threads_make_and_drop_bodies(void)
{
    pthread_t th[THREADS];
    CHECK(pthread_barrier_init(&barrier, NULL, THREADS) == 0);
    for (long t = 0; t < THREADS; t++)
        CHECK(pthread_create(&th[t], NULL, worker, (void *) t) == 0);
    for (int t = 0; t < THREADS; t++)
        CHECK(pthread_join(th[t], NULL) == 0);
    pthread_barrier_destroy(&barrier);
}

static void test_sent_and_received_bodies(void)
{
    void *ctx = zmq_ctx_new();
    void *pull = tu_socket(ctx, ZMQ_PULL);
    char ep[256];
    tu_bind(pull, "tcp://127.0.0.1:*", ep, sizeof ep);
    void *push = tu_socket(ctx, ZMQ_PUSH);
    OK(zmq_connect(push, ep));
    tu_set_int(pull, ZMQ_RCVTIMEO, 10000);
    const int n = 5000;
    for (int i = 0; i < n; i++) {
        zmq_msg_t m;
        OK(zmq_msg_init_size(&m, size_of(i)));
        fill(&m, (unsigned) i);
        EQ_INT(zmq_msg_send(&m, push, 0), (int) size_of(i));
    }
    /* Keep a window of received messages alive while making new ones, so
     * live received bodies and freshly made ones overlap. */
    zmq_msg_t window[16];
    for (int i = 0; i < n; i++) {
        zmq_msg_t *m = &window[i % 16];
        if (i >= 16) {
            check(m, (unsigned) (i - 16));
            OK(zmq_msg_close(m));
        }
        OK(zmq_msg_init(m));
        EQ_INT(zmq_msg_recv(m, pull, 0), (int) size_of(i));
        zmq_msg_t fresh;
        OK(zmq_msg_init_size(&fresh, size_of(i + 7)));
        fill(&fresh, 999999u);
        check(m, (unsigned) i);
        OK(zmq_msg_close(&fresh));
    }
    for (int i = n - 16; i < n; i++) {
        check(&window[i % 16], (unsigned) i);
        OK(zmq_msg_close(&window[i % 16]));
    }
    tu_set_int(push, ZMQ_LINGER, 0);
    OK(zmq_close(push));
    OK(zmq_close(pull));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(120);
    RUN(test_threads_make_and_drop_bodies);
    RUN(test_sent_and_received_bodies);
    return tu_done();
}
