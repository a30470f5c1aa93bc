/* Port of libzmq's test_bind_fuzzer: zmq_bind given a fuzzed endpoint
 * string must succeed or fail with a proper errno; once bound, the socket
 * reports the endpoint and unbinds it. Endpoints that would leave the
 * loopback interface or take a fixed port are not tried (endpoint.h). */
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
        int rc = zmq_bind(s, ep), err = rc ? zmq_errno() : 0;
        char result[64];
        snprintf(result, sizeof result, "%d %d", rc, err);
        fz_result(data, size, result);
        if (rc == 0) {
            char last[1024];
            size_t len = sizeof last;
            OK(zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, last, &len));
            CHECK(len >= 1 && len <= sizeof last && last[len - 1] == 0);
            if (zmq_unbind(s, last) != 0)
                FAILF("bound \"%s\" as \"%s\" but cannot unbind it: errno %d", ep, last, zmq_errno());
        } else if (!fz_endpoint_errno_ok(err)) {
            FAILF("zmq_bind(\"%s\"): unexpected errno %d (%s)", ep, err, zmq_strerror(err));
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
