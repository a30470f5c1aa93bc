/* Port of libzmq's test_bind_curve_fuzzer: a raw TCP client sends a
 * fuzzed byte stream (from a real CURVE client: greeting, HELLO,
 * INITIATE, boxed messages) to a bound CURVE server (a DEALER with the
 * fixed server key the captures were made against, so a replayed HELLO
 * opens and the server answers WELCOME). The server must survive and keep
 * exchanging messages with a well-formed CURVE client after every input. */
#include "fuzz.h"

static void *ctx, *server, *client;
static char ep[256];
static unsigned checks;

static void setup(void)
{
    ctx = zmq_ctx_new();
    CHECK(ctx != NULL);
    server = tu_socket(ctx, ZMQ_DEALER);
    fz_curve_server(server);
    fz_maxmsgsize(server);
    tu_bind(server, "tcp://127.0.0.1:*", ep, sizeof ep);
    client = tu_socket(ctx, ZMQ_DEALER);
    fz_curve_client(client);
    OK(zmq_connect(client, ep));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ctx)
        setup();
    fz_play(tr_connect(ep), data, size, 1, server, fz_drain_all, NULL);
    char want[32];
    snprintf(want, sizeof want, "check %u", ++checks);
    tu_send_str(client, want, 0);
    tu_recv_str(server, want);
    tu_send_str(server, want, 0);
    tu_recv_str(client, want);
    return 0;
}

void fuzz_target_teardown(void)
{
    if (!ctx)
        return;
    OK(zmq_close(client));
    OK(zmq_close(server));
    OK(zmq_ctx_term(ctx));
    ctx = NULL;
}

const struct fuzz_seed fuzz_builtin_seeds[] = {
    {"\xff\0\0\0\0\0\0\0\x01\x7f\x03\x01" "CURVE", 17},
    {"", 0},
    {NULL, 0},
};
