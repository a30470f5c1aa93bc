/* Port of libzmq's test_connect_fuzzer: zmq_connect given a fuzzed
 * endpoint string must succeed or fail with a proper errno; once
 * connected, zmq_disconnect takes the same string back. Endpoints that
 * would leave the loopback interface or reach a real port are not tried
 * (endpoint.h). */
#include "endpoint.h"

static void *ctx;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ctx) {
        fz_enter_tmpdir();
        ctx = zmq_ctx_new();
        CHECK(ctx != NULL);
    }
    char *ep = fz_private_abstract(fz_cstring(data, size));
    if (fz_endpoint_safe(ep)) {
        void *s = tu_socket(ctx, ZMQ_PUB);
        int rc = zmq_connect(s, ep), err = rc ? zmq_errno() : 0;
        char result[64];
        snprintf(result, sizeof result, "%d %d", rc, err);
        fz_result(data, size, result);
        if (rc == 0) {
            if (zmq_disconnect(s, ep) != 0)
                FAILF("connected to \"%s\" but cannot disconnect: errno %d", ep, zmq_errno());
        } else if (!fz_endpoint_errno_ok(err)) {
            FAILF("zmq_connect(\"%s\"): unexpected errno %d (%s)", ep, err, zmq_strerror(err));
        }
        OK(zmq_close(s));
    }
    free(ep);
    return 0;
}

void fuzz_target_teardown(void)
{
    fz_expect_check();
    if (!ctx)
        return;
    OK(zmq_ctx_term(ctx));
    ctx = NULL;
}

const struct fuzz_seed fuzz_builtin_seeds[] = {FZ_ENDPOINT_SEEDS, {NULL, 0}};
