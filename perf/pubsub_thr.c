/* pubsub_thr <bind-to> <message-size> <message-count> <subscribers>
 * PUB fan-out (gozmq's addition to libzmq's set): one PUB sends
 * message-count messages to <subscribers> SUB sockets, each on its own
 * thread, connected to bind-to. HWMs are 0 so nothing is dropped. Timing
 * runs from the first message sent until every subscriber has received
 * the last one; the rate is per subscriber. Before timing, the PUB sends
 * empty messages until every subscriber has seen one (a slow joiner would
 * otherwise miss the start); benchmark messages are never empty. */
#include "perf.h"

static size_t size;
static unsigned long count;
static const char *endpoint;
static void *ctx;

static void subscriber(void *arg)
{
    (void) arg;
    void *s = zmq_socket(ctx, ZMQ_SUB);
    void *report = zmq_socket(ctx, ZMQ_PUSH);
    CHECK_PTR(s && report, "zmq_socket");
    set_int(s, ZMQ_RCVHWM, 0);
    CHECK(zmq_setsockopt(s, ZMQ_SUBSCRIBE, "", 0));
    CHECK(zmq_connect(report, "inproc://pubsub_report"));
    CHECK(zmq_connect(s, endpoint));
    zmq_msg_t m;
    CHECK(zmq_msg_init(&m));
    CHECK(zmq_msg_recv(&m, s, 0));
    CHECK(zmq_send(report, "R", 1, 0));
    for (unsigned long got = 0; got < count;) {
        CHECK(zmq_msg_recv(&m, s, 0));
        if (zmq_msg_size(&m) == 0)
            continue; /* a late sync message */
        expect_size(&m, size);
        got++;
    }
    CHECK(zmq_send(report, "D", 1, 0));
    CHECK(zmq_msg_close(&m));
    CHECK(zmq_close(s));
    CHECK(zmq_close(report));
}

/* Waits for n one-byte reports of kind k, sending a sync message on pub
 * every 10 ms while waiting if pub is not NULL. */
static void collect(void *pull, void *pub, int n, char k)
{
    while (n > 0) {
        if (pub)
            CHECK(zmq_send(pub, "", 0, 0));
        zmq_pollitem_t it = {pull, 0, ZMQ_POLLIN, 0};
        CHECK(zmq_poll(&it, 1, 10));
        char b;
        while (zmq_recv(pull, &b, 1, ZMQ_DONTWAIT) == 1) {
            if (b != k) {
                printf("unexpected report\n");
                exit(1);
            }
            n--;
        }
    }
}

int main(int argc, char *argv[])
{
    if (argc != 5) {
        printf("usage: pubsub_thr <bind-to> <message-size> <message-count> "
               "<subscribers>\n");
        return 1;
    }
    endpoint = argv[1];
    size = (size_t) atoi(argv[2]);
    count = (unsigned long) atol(argv[3]);
    int nsubs = atoi(argv[4]);
    if (size == 0 || nsubs < 1 || nsubs > 64) {
        printf("message-size must be > 0, subscribers 1..64\n");
        return 1;
    }
    ctx = zmq_ctx_new();
    CHECK_PTR(ctx, "zmq_ctx_new");
    void *pub = zmq_socket(ctx, ZMQ_PUB);
    void *pull = zmq_socket(ctx, ZMQ_PULL);
    CHECK_PTR(pub && pull, "zmq_socket");
    set_int(pub, ZMQ_SNDHWM, 0);
    CHECK(zmq_bind(pub, endpoint));
    CHECK(zmq_bind(pull, "inproc://pubsub_report"));
    void *threads[64];
    for (int i = 0; i < nsubs; i++) {
        threads[i] = zmq_threadstart(subscriber, NULL);
        CHECK_PTR(threads[i], "zmq_threadstart");
    }
    collect(pull, pub, nsubs, 'R');

    zmq_msg_t m;
    void *watch = zmq_stopwatch_start();
    for (unsigned long i = 0; i < count; i++) {
        CHECK(zmq_msg_init_size(&m, size));
        CHECK(zmq_msg_send(&m, pub, 0));
    }
    collect(pull, NULL, nsubs, 'D');
    unsigned long us = zmq_stopwatch_stop(watch);
    for (int i = 0; i < nsubs; i++)
        zmq_threadclose(threads[i]);
    print_thr(size, count, us);
    printf("subscribers: %d\n", nsubs);
    CHECK(zmq_close(pub));
    CHECK(zmq_close(pull));
    CHECK(zmq_ctx_term(ctx));
    return 0;
}
