/* A REP served through zmq_poll (with a control PAIR beside it, as a ZAP
 * handler runs), while several threads each connect a fresh REQ or
 * DEALER over inproc, ask once, read the answer and close: the shape of
 * libzmq's ZAP traffic, one short-lived client per handshake.
 *
 * Two gozmq bugs showed up here, both seen from Python as a CURVE client
 * that sometimes never got in:
 * - the server slept in zmq_poll with a request waiting (the socket's
 *   eventfd stayed quiet), so a client timed out;
 * - a client that left while the server was between two parts of
 *   another client's request moved the server's fair-queue cursor to a
 *   third pipe, and an answer carried another request's parts.
 * Each answer must echo its own request's id; the server's poll has no
 * timeout, so a lost wake-up shows as a client's receive timing out. */
#include <pthread.h>

#include "testutil.h"

#define CLIENTS 4
#define ROUNDS 1000

static void *ctx;
static int client_type;

static void server(void *arg)
{
    (void) arg;
    void *rep = tu_socket(ctx, ZMQ_REP);
    OK(zmq_bind(rep, "inproc://short-lived-server"));
    void *ctl = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_connect(ctl, "inproc://short-lived-control"));
    for (;;) {
        zmq_pollitem_t items[2] = {{rep, 0, ZMQ_POLLIN, 0}, {ctl, 0, ZMQ_POLLIN, 0}};
        int r = zmq_poll(items, 2, -1);
        if (r < 0 && zmq_errno() == EINTR)
            continue;
        CHECK(r > 0);
        if (items[1].revents)
            break;
        if (!items[0].revents)
            continue;
        /* Echo the last part of the request after a status part. */
        char last[32];
        int n, more;
        size_t sz = sizeof more;
        do {
            n = zmq_recv(rep, last, sizeof last, 0);
            CHECK(n >= 0 && n < (int) sizeof last);
            OK(zmq_getsockopt(rep, ZMQ_RCVMORE, &more, &sz));
        } while (more);
        EQ_INT(zmq_send(rep, "200", 3, ZMQ_SNDMORE), 3);
        EQ_INT(zmq_send(rep, last, (size_t) n, 0), n);
    }
    tu_recv_str(ctl, "stop");
    tu_set_int(rep, ZMQ_LINGER, 0);
    OK(zmq_close(rep));
    OK(zmq_close(ctl));
}

static void client(void *arg)
{
    long k = (long) arg;
    for (int i = 0; i < ROUNDS; i++) {
        void *s = tu_socket(ctx, client_type);
        tu_set_int(s, ZMQ_LINGER, 0);
        tu_set_int(s, ZMQ_RCVTIMEO, 10000);
        OK(zmq_connect(s, "inproc://short-lived-server"));
        char id[32];
        int n = snprintf(id, sizeof id, "%ld-%d", k, i);
        if (client_type == ZMQ_DEALER)
            EQ_INT(zmq_send(s, "", 0, ZMQ_SNDMORE), 0);
        EQ_INT(zmq_send(s, "1.0", 3, ZMQ_SNDMORE), 3);
        EQ_INT(zmq_send(s, id, (size_t) n, 0), n);
        if (client_type == ZMQ_DEALER)
            EQ_INT(zmq_recv(s, id, 0, 0), 0); /* the empty delimiter */
        char got[32];
        int r = zmq_recv(s, got, sizeof got, 0);
        if (r != 3 || memcmp(got, "200", 3) != 0)
            FAILF("client %s: status part: %d bytes, errno %d", id, r, zmq_errno());
        r = zmq_recv(s, got, sizeof got, 0);
        if (r != n || memcmp(got, id, (size_t) n) != 0)
            FAILF("client %s: answer %.*s (%d bytes, errno %d)", id, r > 0 ? r : 0, got, r,
                  zmq_errno());
        OK(zmq_close(s));
    }
}

static void run(int type)
{
    client_type = type;
    ctx = zmq_ctx_new();
    /* libzmq reaps closed sockets in the background; leave room. */
    OK(zmq_ctx_set(ctx, ZMQ_MAX_SOCKETS, 8192));
    void *ctl = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_bind(ctl, "inproc://short-lived-control"));
    void *srv = zmq_threadstart(server, NULL);
    void *threads[CLIENTS];
    for (long k = 0; k < CLIENTS; k++)
        threads[k] = zmq_threadstart(client, (void *) k);
    for (int k = 0; k < CLIENTS; k++)
        zmq_threadclose(threads[k]);
    tu_send_str(ctl, "stop", 0);
    zmq_threadclose(srv);
    OK(zmq_close(ctl));
    OK(zmq_ctx_term(ctx));
}

static void test_req_clients(void) { run(ZMQ_REQ); }
static void test_dealer_clients(void) { run(ZMQ_DEALER); }

int main(void)
{
    tu_start(120);
    RUN(test_req_clients);
    RUN(test_dealer_clients);
    return tu_done();
}
