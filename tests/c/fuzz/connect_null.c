/* Port of libzmq's test_connect_null_fuzzer: a SUB connects to a raw TCP
 * listener that answers with a fuzzed byte stream (from a real PUB:
 * greeting, READY, published messages). The SUB, which also connects to
 * a well-formed PUB, must survive and still receive that PUB's messages
 * after every input. */
#include "fuzz.h"

static void *ctx, *pub;
static char pub_ep[256];

static void setup(void)
{
    ctx = zmq_ctx_new();
    CHECK(ctx != NULL);
    pub = tu_socket(ctx, ZMQ_PUB);
    tu_bind(pub, "tcp://127.0.0.1:*", pub_ep, sizeof pub_ep);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ctx)
        setup();
    char ep[256];
    int lfd = tr_listen(ep, sizeof ep);
    void *sub = tu_socket(ctx, ZMQ_SUB);
    fz_maxmsgsize(sub);
    OK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "", 0));
    OK(zmq_connect(sub, ep));
    OK(zmq_connect(sub, pub_ep));
    /* One connection only: later reconnections are refused. */
    int fd = tr_accept(lfd, FZ_WAIT_MS);
    close(lfd);
    fz_play(fd, data, size, 1, sub, fz_drain_all, NULL);
    fz_wait_subscribed(pub, sub);
    OK(zmq_close(sub));
    return 0;
}

void fuzz_target_teardown(void)
{
    if (!ctx)
        return;
    OK(zmq_close(pub));
    OK(zmq_ctx_term(ctx));
    ctx = NULL;
}

/* A hand-made PUB side (ZMTP 3.0 greeting, READY, one message). */
const struct fuzz_seed fuzz_builtin_seeds[] = {
    {"\xff\0\0\0\0\0\0\0\x01\x7f\x03\x00NULL\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
     "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
     "\x04\x19\x05READY\x0bSocket-Type\0\0\0\x03PUB"
     "\x00\x05hello",
     64 + 27 + 7},
    {"", 0},
    {NULL, 0},
};
