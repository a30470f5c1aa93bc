/* Port of libzmq's test_socket_options_fuzzer: every stable option
 * number from ZMQ_AFFINITY to ZMQ_BINDTODEVICE is set from the fuzzed
 * bytes, then read back into a large buffer, on an XPUB (as libzmq's
 * fuzzer) and on the other types that own options (ROUTER, DEALER, REQ,
 * XSUB, STREAM). Nothing may crash; each call returns 0 or -1 with a
 * proper errno; a read never reports more bytes than the buffer holds;
 * and the results (return codes, errnos, sizes and values) are compared
 * with libzmq's (fz_result), except for the options gozmq deliberately
 * does not implement: GSSAPI (zmq_has("gssapi") is 0) and the deprecated
 * ROUTER_RAW (see tests/c/COVERAGE.md). */
#include "fuzz.h"

#define FIRST_OPTION ZMQ_AFFINITY
#define LAST_OPTION ZMQ_BINDTODEVICE

static void *ctx;

/* Options whose value depends on the process, not on the input. */
static int value_varies(int opt)
{
    return opt == ZMQ_FD || opt == ZMQ_EVENTS;
}

/* Options gozmq refuses on purpose (not compared with libzmq). */
static int not_implemented(int opt)
{
    switch (opt) {
    case ZMQ_GSSAPI_SERVER:
    case ZMQ_GSSAPI_PRINCIPAL:
    case ZMQ_GSSAPI_SERVICE_PRINCIPAL:
    case ZMQ_GSSAPI_PLAINTEXT:
    case ZMQ_GSSAPI_PRINCIPAL_NAMETYPE:
    case ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE:
    case ZMQ_ROUTER_RAW:
        return 1;
    }
    return 0;
}

static const int types[] = {ZMQ_XPUB, ZMQ_ROUTER, ZMQ_DEALER, ZMQ_REQ, ZMQ_XSUB, ZMQ_STREAM};
#define NTYPES (sizeof types / sizeof types[0])

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Six sockets per input: a fresh context every 100 inputs keeps one
     * below libzmq's 1023 even if its reaper lags (see endpoint.h). */
    static unsigned uses;
    if (ctx && ++uses % 100 == 0) {
        OK(zmq_ctx_term(ctx));
        ctx = NULL;
    }
    if (!ctx) {
        ctx = zmq_ctx_new();
        CHECK(ctx != NULL);
    }
    static char result[NTYPES * (LAST_OPTION - FIRST_OPTION + 1) * 48];
    size_t at = 0;
    result[0] = 0;
    for (size_t t = 0; t < NTYPES; t++) {
    void *s = zmq_socket(ctx, types[t]);
    CHECK(s != NULL);
    for (int opt = FIRST_OPTION; opt <= LAST_OPTION; opt++) {
        uint8_t out[8192];
        size_t out_size = sizeof out;
        int set = zmq_setsockopt(s, opt, data, size);
        int set_err = set ? zmq_errno() : 0;
        CHECK(set == 0 || set == -1);
        if (set && set_err != EINVAL)
            FAILF("setsockopt(%d) errno %d (%s), want EINVAL", opt, set_err, zmq_strerror(set_err));
        int get = zmq_getsockopt(s, opt, out, &out_size);
        int get_err = get ? zmq_errno() : 0;
        CHECK(get == 0 || get == -1);
        if (get && get_err != EINVAL)
            FAILF("getsockopt(%d) errno %d (%s), want EINVAL", opt, get_err, zmq_strerror(get_err));
        CHECK(out_size <= sizeof out);
        if (not_implemented(opt))
            continue;
        /* Summarise: set result, get result, size, first value bytes. */
        char hex[17] = "";
        if (!get && !value_varies(opt))
            fz_hex(hex, out, out_size < 8 ? out_size : 8);
        at += (size_t) snprintf(result + at, sizeof result - at, "%d:%d/%d/%zu/%s ", opt, set_err,
                                get_err, get ? (size_t) 0 : out_size, hex);
        CHECK(at < sizeof result);
    }
    tu_set_int(s, ZMQ_LINGER, 0);
    OK(zmq_close(s));
    at += (size_t) snprintf(result + at, sizeof result - at, "| ");
    }
    fz_result(data, size, result);
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

/* Integers of 4 and 8 bytes, strings, Z85 and binary CURVE keys. */
const struct fuzz_seed fuzz_builtin_seeds[] = {
    {"\x00\x00\x00\x00", 4},
    {"\x01\x00\x00\x00", 4},
    {"\xff\xff\xff\xff", 4},
    {"\xff\xff\xff\x7f", 4},
    {"\x64\x00\x00\x00", 4},
    {"\x00\x00\x00\x80", 4},
    {"\x01\x00\x00\x00\x00\x00\x00\x00", 8},
    {"\xff\xff\xff\xff\xff\xff\xff\xff", 8},
    {"\x00\x10\x00\x00\x00\x00\x00\x00", 8},
    {"\x01", 1},
    {"tcp://127.0.0.1:*", 17},
    {"lo", 2},
    {"a routing id", 12},
    {FZ_SERVER_PUBLIC, 40},
    {FZ_SERVER_PUBLIC "\0", 41},
    {"0123456789abcdef0123456789abcdef", 32},
    {"", 0},
    {NULL, 0},
};
