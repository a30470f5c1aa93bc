/* Thread-safe draft sockets used from several threads at once (libzmq's
 * test_thread_safe, plus blocked receivers and blocked senders sharing one
 * socket). inproc and stable API calls only (Debian's libzmq aborts in the
 * draft types' ZMTP handshake), so it runs on both libraries. */
#define ZMQ_BUILD_DRAFT_API
#include "testutil.h"

#define SENDS 15000

/* libzmq's scenario: two threads send on one CLIENT; a last "1" says a
 * thread is done. */
static void client_thread(void *client)
{
    for (int i = 0; i < SENDS; i++)
        tu_send_str(client, "0", 0);
    tu_send_str(client, "1", 0);
}

static void test_two_senders(void)
{
    void *ctx = zmq_ctx_new();
    void *server = tu_socket(ctx, ZMQ_SERVER), *client = tu_socket(ctx, ZMQ_CLIENT);
    OK(zmq_bind(server, "inproc://ts-senders"));
    OK(zmq_connect(client, "inproc://ts-senders"));
    void *t1 = zmq_threadstart(client_thread, client);
    void *t2 = zmq_threadstart(client_thread, client);
    int done = 0, zeros = 0;
    while (done < 2) {
        char c;
        EQ_INT(zmq_recv(server, &c, 1, 0), 1);
        if (c == '1')
            done++;
        else
            zeros++;
    }
    EQ_INT(zeros, 2 * SENDS);
    zmq_threadclose(t1);
    zmq_threadclose(t2);
    OK(zmq_close(client));
    OK(zmq_close(server));
    OK(zmq_ctx_term(ctx));
}

/* Several threads block in zmq_recv on one GATHER while messages arrive
 * in bursts: every message must reach some thread, none may sleep through
 * a burst. Each thread leaves on its "stop"; the stops come last, so by
 * then the data messages have all been taken. */
#define RECEIVERS 4
#define MESSAGES 20000
static void *gather;
static void *counter;

static void receiver_thread(void *arg)
{
    (void) arg;
    for (;;) {
        char buf[8];
        int n = zmq_recv(gather, buf, sizeof buf, 0);
        if (n < 0)
            FAILF("receiver: errno %d", zmq_errno());
        if (n == 4 && memcmp(buf, "stop", 4) == 0)
            return;
        zmq_atomic_counter_inc(counter);
    }
}

static void test_many_receivers(void)
{
    void *ctx = zmq_ctx_new();
    void *scatter = tu_socket(ctx, ZMQ_SCATTER);
    gather = tu_socket(ctx, ZMQ_GATHER);
    tu_set_int(gather, ZMQ_RCVTIMEO, 20000);
    OK(zmq_bind(gather, "inproc://ts-receivers"));
    OK(zmq_connect(scatter, "inproc://ts-receivers"));
    counter = zmq_atomic_counter_new();
    void *t[RECEIVERS];
    for (int i = 0; i < RECEIVERS; i++)
        t[i] = zmq_threadstart(receiver_thread, NULL);
    for (int i = 0; i < MESSAGES; i++)
        tu_send_str(scatter, "m", 0);
    for (int i = 0; i < RECEIVERS; i++)
        tu_send_str(scatter, "stop", 0);
    for (int i = 0; i < RECEIVERS; i++)
        zmq_threadclose(t[i]);
    EQ_INT(zmq_atomic_counter_value(counter), MESSAGES);
    zmq_atomic_counter_destroy(&counter);
    OK(zmq_close(scatter));
    OK(zmq_close(gather));
    OK(zmq_ctx_term(ctx));
}

/* Several threads block in zmq_send on one SCATTER at its HWM while the
 * main thread drains the GATHER: every sender must finish. */
#define SENDERS 3
#define PER_SENDER 5000
static void *scatter_hwm;

static void sender_thread(void *arg)
{
    (void) arg;
    for (int i = 0; i < PER_SENDER; i++)
        tu_send_str(scatter_hwm, "d", 0);
}

static void test_many_blocked_senders(void)
{
    void *ctx = zmq_ctx_new();
    void *g = tu_socket(ctx, ZMQ_GATHER);
    scatter_hwm = tu_socket(ctx, ZMQ_SCATTER);
    tu_set_int(scatter_hwm, ZMQ_SNDHWM, 10);
    tu_set_int(g, ZMQ_RCVHWM, 10);
    tu_set_int(scatter_hwm, ZMQ_SNDTIMEO, 20000);
    OK(zmq_bind(g, "inproc://ts-hwm"));
    OK(zmq_connect(scatter_hwm, "inproc://ts-hwm"));
    void *t[SENDERS];
    for (int i = 0; i < SENDERS; i++)
        t[i] = zmq_threadstart(sender_thread, NULL);
    char c;
    for (int i = 0; i < SENDERS * PER_SENDER; i++)
        EQ_INT(zmq_recv(g, &c, 1, 0), 1);
    for (int i = 0; i < SENDERS; i++)
        zmq_threadclose(t[i]);
    OK(zmq_close(scatter_hwm));
    OK(zmq_close(g));
    OK(zmq_ctx_term(ctx));
}

static void test_getsockopt_thread_safe(void)
{
    void *ctx = zmq_ctx_new();
    int types[] = {ZMQ_CLIENT, ZMQ_SERVER, ZMQ_RADIO, ZMQ_DISH, ZMQ_SCATTER, ZMQ_GATHER, ZMQ_PEER, ZMQ_CHANNEL};
    for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
        void *s = tu_socket(ctx, types[i]);
        EQ_INT(tu_get_int(s, ZMQ_THREAD_SAFE), 1);
        OK(zmq_close(s));
    }
    int classic[] = {ZMQ_PAIR, ZMQ_DEALER, ZMQ_ROUTER, ZMQ_PUB};
    for (size_t i = 0; i < sizeof classic / sizeof *classic; i++) {
        void *s = tu_socket(ctx, classic[i]);
        EQ_INT(tu_get_int(s, ZMQ_THREAD_SAFE), 0);
        OK(zmq_close(s));
    }
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(120);
    RUN(test_getsockopt_thread_safe);
    RUN(test_two_senders);
    RUN(test_many_receivers);
    RUN(test_many_blocked_senders);
    return tu_done();
}
