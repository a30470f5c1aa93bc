/* Port of libzmq's test_bind_fuzzer: zmq_bind given a fuzzed endpoint
 * string must succeed or fail with a proper errno; once bound, the socket
 * reports the endpoint and unbinds it. Endpoints that would leave the
 * loopback interface or take a fixed port are not tried (endpoint.h). */
#include "endpoint.h"

static void unbind(void *s, const char *ep)
{
    char last[1024];
    size_t len = sizeof last;
    OK(zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, last, &len));
    CHECK(len >= 1 && len <= sizeof last && last[len - 1] == 0);
    if (zmq_unbind(s, last) != 0)
        FAILF("bound \"%s\" as \"%s\" but cannot unbind it: errno %d", ep, last, zmq_errno());
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_endpoint_one(data, size, "zmq_bind", zmq_bind, unbind);
    return 0;
}

void fuzz_target_teardown(void)
{
    fz_endpoint_teardown();
}

const struct fuzz_seed fuzz_builtin_seeds[] = {FZ_ENDPOINT_SEEDS, {NULL, 0}};
