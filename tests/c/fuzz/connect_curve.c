/* Port of libzmq's test_connect_curve_fuzzer: a CURVE client (DEALER)
 * connects to a raw TCP listener that answers with a fuzzed byte stream
 * (from a real CURVE server: greeting, WELCOME, READY, boxed messages;
 * replayed, its boxes no longer open for the client's fresh short-term
 * key). The client, which also connects to a well-formed CURVE ROUTER,
 * must survive and still get that ROUTER's messages after every input. */
#include "fuzz.h"

static void *ctx, *router;
static char router_ep[256];
static unsigned inputs;

static void setup(void)
{
    ctx = zmq_ctx_new();
    CHECK(ctx != NULL);
    router = tu_socket(ctx, ZMQ_ROUTER);
    fz_curve_server(router);
    tu_set_int(router, ZMQ_ROUTER_MANDATORY, 1);
    tu_bind(router, "tcp://127.0.0.1:*", router_ep, sizeof router_ep);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ctx)
        setup();
    char ep[256], id[32];
    int id_len = snprintf(id, sizeof id, "client %u", ++inputs);
    int lfd = tr_listen(ep, sizeof ep);
    void *client = tu_socket(ctx, ZMQ_DEALER);
    fz_curve_client(client);
    fz_maxmsgsize(client);
    OK(zmq_setsockopt(client, ZMQ_ROUTING_ID, id, (size_t) id_len));
    OK(zmq_connect(client, ep));
    OK(zmq_connect(client, router_ep));
    /* One connection only: later reconnections are refused. */
    int fd = tr_accept(lfd, FZ_WAIT_MS);
    close(lfd);
    fz_play(fd, data, size, 1, client, fz_drain_all, NULL);
    /* The ROUTER knows the client once its handshake is done. */
    int sent = 0;
    for (int i = 0; i < FZ_WAIT_MS / 2 && !sent; i++) {
        if (zmq_send(router, id, (size_t) id_len, ZMQ_SNDMORE | ZMQ_DONTWAIT) == id_len) {
            tu_send_str(router, "check", 0);
            sent = 1;
        } else {
            EQ_INT(zmq_errno(), EHOSTUNREACH);
            zmq_poll(NULL, 0, 2);
        }
    }
    CHECK(sent);
    tu_recv_str(client, "check");
    OK(zmq_close(client));
    return 0;
}

void fuzz_target_teardown(void)
{
    if (!ctx)
        return;
    OK(zmq_close(router));
    OK(zmq_ctx_term(ctx));
    ctx = NULL;
}

const struct fuzz_seed fuzz_builtin_seeds[] = {
    {"\xff\0\0\0\0\0\0\0\x01\x7f\x03\x01" "CURVE", 17},
    {"", 0},
    {NULL, 0},
};
