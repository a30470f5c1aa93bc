/* Port of libzmq's test_connect_fuzzer: zmq_connect given a fuzzed
 * endpoint string must succeed or fail with a proper errno; once
 * connected, zmq_disconnect takes the same string back. Endpoints that
 * would leave the loopback interface or reach a real port are not tried
 * (endpoint.h). */
#include "endpoint.h"

static void disconnect(void *s, const char *ep)
{
    if (zmq_disconnect(s, ep) != 0)
        FAILF("connected to \"%s\" but cannot disconnect: errno %d", ep, zmq_errno());
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_endpoint_one(data, size, "zmq_connect", zmq_connect, disconnect);
    return 0;
}

void fuzz_target_teardown(void)
{
    fz_endpoint_teardown();
}

const struct fuzz_seed fuzz_builtin_seeds[] = {FZ_ENDPOINT_SEEDS, {NULL, 0}};
