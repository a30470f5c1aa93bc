/* Port of libzmq's test_bind_null_fuzzer: a raw TCP client sends a
 * fuzzed byte stream (a ZMTP greeting, NULL handshake and traffic when
 * taken from a real SUB) to a bound PUB. The PUB must survive it and
 * still publish to a well-formed SUB, connected before the first input,
 * after every input. */
#include "fuzz.h"

static void *ctx, *pub, *sub;
static char ep[256];
static unsigned checks;

static void setup(void)
{
    ctx = zmq_ctx_new();
    CHECK(ctx != NULL);
    pub = tu_socket(ctx, ZMQ_PUB);
    fz_maxmsgsize(pub);
    tu_bind(pub, "tcp://127.0.0.1:*", ep, sizeof ep);
    sub = tu_socket(ctx, ZMQ_SUB);
    OK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "", 0));
    OK(zmq_connect(sub, ep));
    fz_wait_subscribed(pub, sub);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ctx)
        setup();
    fz_play(tr_connect(ep), data, size, 1, pub, fz_drain_all, NULL);
    char want[32], got[32];
    int n = snprintf(want, sizeof want, "check %u", ++checks);
    tu_send_str(pub, want, 0);
    int m = zmq_recv(sub, got, sizeof got, 0);
    if (m != n)
        FAILF("the good SUB got %d (errno %d: %s), want \"%s\"", m, zmq_errno(),
              zmq_strerror(zmq_errno()), want);
    CHECK(memcmp(got, want, (size_t) n) == 0);
    return 0;
}

void fuzz_target_teardown(void)
{
    if (!ctx)
        return;
    OK(zmq_close(sub));
    OK(zmq_close(pub));
    OK(zmq_ctx_term(ctx));
    ctx = NULL;
}

/* A hand-made SUB handshake (ZMTP 3.1 greeting, READY, SUBSCRIBE ""),
 * besides the captured ones in corpus/null-c2s. */
const struct fuzz_seed fuzz_builtin_seeds[] = {
    {"\xff\0\0\0\0\0\0\0\x01\x7f\x03\x01NULL\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
     "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
     "\x04\x19\x05READY\x0bSocket-Type\0\0\0\x03SUB"
     "\x04\x0a\x09SUBSCRIBE",
     64 + 27 + 12},
    {"", 0},
    {NULL, 0},
};
