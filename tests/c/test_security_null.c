/* NULL security with ZAP (modelled on libzmq's test_security_null): a
 * socket with a ZAP_DOMAIN asks the handler about each peer; the handler
 * admits domain "good" and refuses the rest; without a domain (or without
 * a handler) NULL connections are not checked. */
#include "testutil.h"

static void zap_handler(void *handler)
{
    for (;;) {
        char f[8][64];
        int len[8], n = 0, more = 1;
        while (more && n < 8) {
            len[n] = zmq_recv(handler, f[n], 63, 0);
            if (len[n] < 0)
                return;
            f[n][len[n]] = 0;
            more = tu_get_int(handler, ZMQ_RCVMORE);
            n++;
        }
        /* version, id, domain, address, identity, mechanism */
        int ok = n == 6 && strcmp(f[2], "good") == 0 && strcmp(f[5], "NULL") == 0;
        zmq_send(handler, "1.0", 3, ZMQ_SNDMORE);
        zmq_send(handler, f[1], (size_t) len[1], ZMQ_SNDMORE);
        zmq_send(handler, ok ? "200" : "400", 3, ZMQ_SNDMORE);
        zmq_send(handler, "", 0, ZMQ_SNDMORE);
        zmq_send(handler, ok ? "anonymous" : "", ok ? 9 : 0, ZMQ_SNDMORE);
        zmq_send(handler, "", 0, 0);
    }
}

/* Returns whether a message from a NULL client got through to a server
 * with the given ZAP domain ("" for none). */
static int delivered(void *ctx, const char *domain)
{
    char ep[256];
    void *server = tu_socket(ctx, ZMQ_PULL), *client = tu_socket(ctx, ZMQ_PUSH);
    if (*domain)
        OK(zmq_setsockopt(server, ZMQ_ZAP_DOMAIN, domain, strlen(domain)));
    tu_bind(server, "tcp://127.0.0.1:*", ep, sizeof ep);
    OK(zmq_connect(client, ep));
    tu_send_str(client, "hello", 0);
    tu_set_int(server, ZMQ_RCVTIMEO, 300);
    char buf[8];
    int ok = zmq_recv(server, buf, sizeof buf, 0) == 5;
    OK(zmq_close(client));
    OK(zmq_close(server));
    return ok;
}

static void test_with_handler(void)
{
    void *ctx = zmq_ctx_new();
    void *handler = zmq_socket(ctx, ZMQ_REP);
    tu_set_int(handler, ZMQ_LINGER, 0);
    OK(zmq_bind(handler, "inproc://zeromq.zap.01"));
    void *t = zmq_threadstart(zap_handler, handler);
    CHECK(delivered(ctx, "good"));
    CHECK(!delivered(ctx, "bad"));
    CHECK(delivered(ctx, "")); /* no domain: no ZAP for NULL */
    OK(zmq_ctx_shutdown(ctx));
    zmq_threadclose(t);
    OK(zmq_close(handler));
    OK(zmq_ctx_term(ctx));
}

static void test_without_handler(void)
{
    void *ctx = zmq_ctx_new();
    CHECK(delivered(ctx, "any")); /* a domain but no handler: not checked */
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(60);
    RUN(test_with_handler);
    RUN(test_without_handler);
    return tu_done();
}
