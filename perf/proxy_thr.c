/* proxy_thr <message-size> <message-count>
 * Throughput through zmq_proxy_steerable, all over inproc, as libzmq's
 * proxy_thr measures it: two XPUB publishers (XPUB_NODROP, so nothing is
 * lost at the HWM) flood an XSUB frontend; the proxy forwards to an XPUB
 * backend; one SUB counts message-count messages. HWMs are 10000.
 *
 * The publishers share message-count between them (the first takes the odd
 * one), so the subscriber cannot finish before both have sent everything.
 * When each sent message-count, a fast publisher could satisfy the
 * subscriber alone; the subscriber then left, its unsubscription reached
 * the XSUB, and a publisher that connected only then waited forever for a
 * subscription (seen once on a loaded CI machine, on libzmq). */
#include "perf.h"

#define HWM 10000

static size_t size;
static unsigned long count;
static void *ctx;

static void set_hwm(void *s)
{
    set_int(s, ZMQ_SNDHWM, HWM);
    set_int(s, ZMQ_RCVHWM, HWM);
}

struct pub_args {
    const char *endpoint;
    unsigned long count;
};

static void publisher(void *arg)
{
    const struct pub_args *pa = (const struct pub_args *) arg;
    void *s = zmq_socket(ctx, ZMQ_XPUB);
    CHECK_PTR(s, "zmq_socket");
    set_hwm(s);
    set_int(s, ZMQ_XPUB_NODROP, 1);
    set_int(s, ZMQ_SNDTIMEO, 1);
    CHECK(zmq_connect(s, pa->endpoint));
    if (pa->count == 0) {
        /* Nothing to send: the subscription may already be gone. */
        CHECK(zmq_close(s));
        return;
    }

    /* The subscriber's subscription reaches us through the proxy. */
    char sub[32];
    int n = zmq_recv(s, sub, sizeof sub, 0);
    CHECK(n);
    if (n != 1 || sub[0] != 1) {
        printf("unexpected subscription message\n");
        exit(1);
    }
    zmq_msg_t orig;
    CHECK(zmq_msg_init_size(&orig, size));
    memset(zmq_msg_data(&orig), 'A', size);
    for (unsigned long sent = 0; sent < pa->count;) {
        zmq_msg_t m;
        CHECK(zmq_msg_init(&m));
        CHECK(zmq_msg_copy(&m, &orig));
        if (zmq_msg_send(&m, s, 0) >= 0) {
            sent++;
            continue;
        }
        if (errno != EAGAIN) {
            printf("error in zmq_msg_send: %s\n", zmq_strerror(errno));
            exit(1);
        }
        CHECK(zmq_msg_close(&m));
    }
    CHECK(zmq_msg_close(&orig));
    CHECK(zmq_close(s));
}

static void subscriber(void *arg)
{
    (void) arg;
    void *s = zmq_socket(ctx, ZMQ_SUB);
    CHECK_PTR(s, "zmq_socket");
    set_hwm(s);
    CHECK(zmq_setsockopt(s, ZMQ_SUBSCRIBE, "", 0));
    CHECK(zmq_connect(s, "inproc://perf_backend"));
    zmq_msg_t m;
    CHECK(zmq_msg_init(&m));
    for (unsigned long got = 0; got < count; got++) {
        CHECK(zmq_msg_recv(&m, s, 0));
        expect_size(&m, size);
    }
    CHECK(zmq_msg_close(&m));
    CHECK(zmq_close(s));
}

static void proxy(void *arg)
{
    (void) arg;
    void *front = zmq_socket(ctx, ZMQ_XSUB);
    void *back = zmq_socket(ctx, ZMQ_XPUB);
    void *ctl = zmq_socket(ctx, ZMQ_REP);
    CHECK_PTR(front && back && ctl, "zmq_socket");
    set_hwm(front);
    set_hwm(back);
    set_int(back, ZMQ_XPUB_NODROP, 1);
    CHECK(zmq_bind(front, "inproc://perf_pub1"));
    CHECK(zmq_bind(front, "inproc://perf_pub2"));
    CHECK(zmq_bind(back, "inproc://perf_backend"));
    CHECK(zmq_bind(ctl, "inproc://perf_ctrl"));
    zmq_proxy_steerable(front, back, NULL, ctl);
    CHECK(zmq_close(front));
    CHECK(zmq_close(back));
    CHECK(zmq_close(ctl));
}

int main(int argc, char *argv[])
{
    if (argc != 3) {
        printf("usage: proxy_thr <message-size> <message-count>\n");
        return 1;
    }
    size = (size_t) atoi(argv[1]);
    count = (unsigned long) atol(argv[2]);
    printf("message size: %d [B]\n", (int) size);
    printf("message count: %d\n", (int) count);

    ctx = zmq_ctx_new();
    CHECK_PTR(ctx, "zmq_ctx_new");
    CHECK(zmq_ctx_set(ctx, ZMQ_IO_THREADS, 4));
    /* The proxy binds before anyone connects to it (inproc needs the
     * binder first with libzmq < 4.0; it also keeps the start order
     * identical on both libraries). */
    void *px = zmq_threadstart(proxy, NULL);
    void *ctl = zmq_socket(ctx, ZMQ_REQ);
    CHECK_PTR(px && ctl, "zmq_threadstart/zmq_socket");
    CHECK(zmq_connect(ctl, "inproc://perf_ctrl"));

    void *sub = zmq_threadstart(subscriber, NULL);
    void *watch = zmq_stopwatch_start();
    struct pub_args a1 = {"inproc://perf_pub1", count - count / 2};
    struct pub_args a2 = {"inproc://perf_pub2", count / 2};
    void *pub1 = zmq_threadstart(publisher, &a1);
    void *pub2 = zmq_threadstart(publisher, &a2);
    CHECK_PTR(sub && pub1 && pub2, "zmq_threadstart");
    zmq_threadclose(sub);
    unsigned long us = zmq_stopwatch_stop(watch);
    if (us == 0)
        us = 1;
    double thr = (double) count / (double) us * 1000000;
    printf("mean throughput: %d [msg/s]\n", (int) thr);
    printf("mean throughput: %.3f [Mb/s]\n", thr * (double) size * 8 / 1000000);

    zmq_threadclose(pub1);
    zmq_threadclose(pub2);
    CHECK(zmq_send(ctl, "TERMINATE", 9, 0));
    zmq_threadclose(px);
    CHECK(zmq_close(ctl));
    CHECK(zmq_ctx_term(ctx));
    return 0;
}
