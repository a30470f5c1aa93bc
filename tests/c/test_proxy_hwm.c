/* A proxy between two HWM-limited hops (modelled on libzmq's
 * test_proxy_hwm): an XPUB publisher with XPUB_NODROP feeds an XSUB/XPUB
 * proxy (the XPUB also NODROP) that feeds a SUB, all over inproc and all
 * with SNDHWM = RCVHWM = 10. The publisher sends 50 kB messages without
 * blocking until EAGAIN; with nobody reading, the two hops must hold
 * between 2×HWM and 4×HWM messages (each inproc pipe holds the sum of
 * its ends' HWMs, and a reader hands credit back in batches), nothing is
 * dropped, and the SUB then receives exactly what was sent. */
#include "testutil.h"

#define HWM 10
#define MSG_BYTES 50000

static void lower_hwm(void *s)
{
    tu_set_int(s, ZMQ_SNDHWM, HWM);
    tu_set_int(s, ZMQ_RCVHWM, HWM);
}

static void *proxy_ctx;

static void proxy_main(void *arg)
{
    (void) arg;
    void *frontend = zmq_socket(proxy_ctx, ZMQ_XSUB);
    void *backend = zmq_socket(proxy_ctx, ZMQ_XPUB);
    CHECK(frontend && backend);
    lower_hwm(frontend);
    lower_hwm(backend);
    tu_set_int(backend, ZMQ_XPUB_NODROP, 1);
    OK(zmq_bind(frontend, "inproc://frontend"));
    OK(zmq_bind(backend, "inproc://backend"));
    /* Returns when the context is terminated. */
    CHECK(zmq_proxy(frontend, backend, NULL) == -1);
    EQ_INT(zmq_errno(), ETERM);
    OK(zmq_close(frontend));
    OK(zmq_close(backend));
}

static void test_proxy_hwm(void)
{
    proxy_ctx = zmq_ctx_new();
    void *proxy = zmq_threadstart(proxy_main, NULL);

    void *sub = tu_socket(proxy_ctx, ZMQ_SUB);
    lower_hwm(sub);
    OK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "", 0));
    OK(zmq_connect(sub, "inproc://backend"));

    void *pub = tu_socket(proxy_ctx, ZMQ_XPUB);
    lower_hwm(pub);
    tu_set_int(pub, ZMQ_XPUB_NODROP, 1);
    OK(zmq_connect(pub, "inproc://frontend"));
    /* The SUB's subscription crosses the proxy: then the path is whole. */
    char sub_all[2];
    EQ_INT(zmq_recv(pub, sub_all, sizeof sub_all, 0), 1);
    EQ_INT(sub_all[0], 1);

    /* Fill both hops. The proxy moves messages on its own thread, so
     * EAGAIN may come a little early: retry while the count still grows
     * (bounded: 20 rounds of 5 ms without progress). */
    int sent = 0, idle = 0;
    while (idle < 20) {
        zmq_msg_t m;
        OK(zmq_msg_init_size(&m, MSG_BYTES));
        memset(zmq_msg_data(&m), 'A', MSG_BYTES);
        if (zmq_msg_send(&m, pub, ZMQ_DONTWAIT) == MSG_BYTES) {
            sent++;
            idle = 0;
            CHECK(sent <= 4 * HWM + 1);
            continue;
        }
        EQ_INT(zmq_errno(), EAGAIN);
        OK(zmq_msg_close(&m));
        idle++;
        zmq_poll(NULL, 0, 5);
    }
    if (sent < 2 * HWM || sent > 4 * HWM)
        FAILF("sent %d messages before EAGAIN, want %d..%d", sent, 2 * HWM, 4 * HWM);

    /* Everything sent arrives, intact, and nothing more. */
    for (int i = 0; i < sent; i++) {
        zmq_msg_t m;
        OK(zmq_msg_init(&m));
        if (zmq_msg_recv(&m, sub, 0) != MSG_BYTES)
            FAILF("message %d of %d: errno %d", i, sent, zmq_errno());
        CHECK(((char *) zmq_msg_data(&m))[MSG_BYTES - 1] == 'A');
        OK(zmq_msg_close(&m));
    }
    zmq_pollitem_t it = {sub, 0, ZMQ_POLLIN, 0};
    EQ_INT(zmq_poll(&it, 1, 100), 0);

    OK(zmq_close(pub));
    OK(zmq_close(sub));
    OK(zmq_ctx_term(proxy_ctx));
    zmq_threadclose(proxy);
}

int main(void)
{
    tu_start(60);
    RUN(test_proxy_hwm);
    return tu_done();
}
