/* Port of libzmq's test_z85_decode_fuzzer: zmq_z85_decode of a fuzzed
 * string (truncated to a multiple of 5 characters, as the API requires,
 * and also as given) into a buffer of exactly 4/5 of its length. Beyond
 * not overrunning the buffer: a string of the wrong length is refused
 * with EINVAL, and a string that decodes encodes back to itself. Results
 * are compared with libzmq's (fz_result). */
#include "fuzz.h"

static void decode(const uint8_t *data, size_t size, char *result, size_t cap)
{
    char *s = malloc(size + 1);
    CHECK(s != NULL);
    memcpy(s, data, size);
    s[size] = 0;
    size_t len = strlen(s), out = len * 4 / 5;
    uint8_t *dest = malloc(out ? out : 1);
    CHECK(dest != NULL);
    errno = 0;
    uint8_t *rc = zmq_z85_decode(dest, s);
    int err = zmq_errno();
    if (!rc) {
        if (len % 5 == 0 && err != EINVAL)
            FAILF("decode failed with errno %d, want EINVAL", err);
        snprintf(result, cap, "NULL");
    } else {
        CHECK(rc == dest);
        CHECK(len % 5 == 0);
        char *back = malloc(len + 1);
        CHECK(back != NULL);
        CHECK(zmq_z85_encode(back, dest, out) == back);
        if (strcmp(back, s) != 0)
            FAILF("\"%s\" decodes, but its bytes encode as \"%s\"", s, back);
        free(back);
        size_t n = out < (cap - 1) / 2 ? out : (cap - 1) / 2;
        fz_hex(result, dest, n);
    }
    free(dest);
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char whole[512], cut[512], result[1100];
    decode(data, size, whole, sizeof whole);
    decode(data, size - size % 5, cut, sizeof cut);
    snprintf(result, sizeof result, "%s %s", whole, cut);
    fz_result(data, size, result);
    return 0;
}

void fuzz_target_teardown(void)
{
    fz_expect_check();
}

/* Valid strings (the RFC 32 test vector and fuzz.h's keys), the alphabet's
 * edges, and strings whose value overflows 32 bits. */
const struct fuzz_seed fuzz_builtin_seeds[] = {
    {"HelloWorld", 10},
    {FZ_SERVER_PUBLIC, 40},
    {FZ_CLIENT_SECRET, 40},
    {"00000", 5},
    {"#####", 5},
    {"%nSc0", 5},
    {"%nSc1", 5},
    {"ZZZZZ", 5},
    {"0000", 4},
    {"", 0},
    {NULL, 0},
};
