/* Edge and stress cases (modelled on libzmq's test_router_mandatory_hwm,
 * test_shutdown_stress and test_stream_exceeds_buffer): a mandatory
 * ROUTER at its HWM, sockets and contexts created and torn down
 * concurrently, and a STREAM peer sending more than one read holds. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "testutil.h"

/* ROUTER_MANDATORY + a full pipe: EAGAIN, not a silent drop. */
static void test_router_mandatory_hwm(void)
{
    void *ctx = zmq_ctx_new();
    void *router = tu_socket(ctx, ZMQ_ROUTER);
    tu_set_int(router, ZMQ_ROUTER_MANDATORY, 1);
    tu_set_int(router, ZMQ_SNDHWM, 1);
    OK(zmq_bind(router, "inproc://mhwm"));
    void *dealer = tu_socket(ctx, ZMQ_DEALER);
    tu_set_int(dealer, ZMQ_RCVHWM, 1);
    OK(zmq_setsockopt(dealer, ZMQ_ROUTING_ID, "D", 1));
    OK(zmq_connect(dealer, "inproc://mhwm"));
    tu_send_str(dealer, "hi", 0);
    char buf[8];
    EQ_INT(zmq_recv(router, buf, sizeof buf, 0), 1);
    tu_recv_str(router, "hi");
    int sent = 0;
    for (int i = 0; i < 100; i++) {
        if (zmq_send(router, "D", 1, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0) {
            EQ_INT(zmq_errno(), EAGAIN);
            break;
        }
        OK(zmq_send(router, "data", 4, ZMQ_DONTWAIT));
        sent++;
    }
    CHECK(sent > 0 && sent < 100);
    for (int i = 0; i < sent; i++)
        tu_recv_str(dealer, "data");
    OK(zmq_close(dealer));
    OK(zmq_close(router));
    OK(zmq_ctx_term(ctx));
}

static void churn(void *ctx)
{
    for (int i = 0; i < 20; i++) {
        char ep[256];
        void *pull = zmq_socket(ctx, ZMQ_PULL), *push = zmq_socket(ctx, ZMQ_PUSH);
        if (!pull || !push)
            return; /* ETERM while shutting down is fine */
        tu_set_int(pull, ZMQ_LINGER, 0);
        tu_set_int(push, ZMQ_LINGER, 0);
        size_t len = sizeof ep;
        if (zmq_bind(pull, "tcp://127.0.0.1:*") == 0 &&
            zmq_getsockopt(pull, ZMQ_LAST_ENDPOINT, ep, &len) == 0)
            zmq_connect(push, ep);
        zmq_send(push, "x", 1, ZMQ_DONTWAIT);
        zmq_close(push);
        zmq_close(pull);
    }
}

/* Several threads create, connect and close sockets in one context,
 * several times over; every round terminates promptly. */
static void test_shutdown_stress(void)
{
    for (int round = 0; round < 5; round++) {
        void *ctx = zmq_ctx_new();
        void *t[4];
        for (int i = 0; i < 4; i++)
            t[i] = zmq_threadstart(churn, ctx);
        for (int i = 0; i < 4; i++)
            zmq_threadclose(t[i]);
        OK(zmq_ctx_term(ctx));
    }
}

/* A raw peer sends 256 KiB at once: STREAM delivers it all, in as many
 * messages as it takes. */
static void test_stream_large_input(void)
{
    char ep[256], id[256];
    void *ctx = zmq_ctx_new();
    void *s = tu_socket(ctx, ZMQ_STREAM);
    tu_bind(s, "tcp://127.0.0.1:*", ep, sizeof ep);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t) atoi(strrchr(ep, ':') + 1));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(connect(fd, (struct sockaddr *) &a, sizeof a) == 0);
    enum { SIZE = 256 * 1024 };
    static char out[SIZE], in[SIZE];
    for (int i = 0; i < SIZE; i++)
        out[i] = (char) (i * 7);
    size_t off = 0;
    while (off < SIZE) {
        ssize_t w = write(fd, out + off, SIZE - off);
        CHECK(w > 0);
        off += (size_t) w;
    }
    size_t got = 0;
    while (got < SIZE) {
        CHECK(zmq_recv(s, id, sizeof id, 0) > 0);
        int n = zmq_recv(s, in + got, SIZE - got, 0);
        CHECK(n >= 0);
        got += (size_t) n; /* the connect notification has n == 0 */
    }
    CHECK(got == SIZE && memcmp(in, out, SIZE) == 0);
    close(fd);
    OK(zmq_close(s));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(90);
    RUN(test_router_mandatory_hwm);
    RUN(test_shutdown_stress);
    RUN(test_stream_large_input);
    return tu_done();
}
