/* Shared by the bind and connect endpoint fuzzers (ports of libzmq's
 * test_bind_fuzzer and test_connect_fuzzer): which fuzzed endpoint
 * strings are safe to hand to the library on a shared test machine. */
#ifndef GOZMQ_FUZZ_ENDPOINT_H
#define GOZMQ_FUZZ_ENDPOINT_H

#include <ctype.h>
#include "fuzz.h"

/* Whether s[0..n) might name a real port: any non-zero digit counts
 * ("80", "+80", "80x"; and "99999" or "-1", which libzmq truncates to a
 * 16-bit port and uses). Only "*", "0" and digit-free strings are safe. */
static inline int fz_has_port_number(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= '1' && s[i] <= '9')
            return 1;
    return 0;
}

/* One "host:port" of a tcp endpoint: loopback only, and never a real
 * port number (which might belong to another test running in parallel). */
static inline int fz_tcp_part_safe(const char *s, size_t n)
{
    static const char *hosts[] = {"127.0.0.1:", "[::1]:", "localhost:", "lo:"};
    for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++) {
        size_t hl = strlen(hosts[i]);
        if (n >= hl && memcmp(s, hosts[i], hl) == 0)
            return !fz_has_port_number(s + hl, n - hl);
    }
    return 0;
}

/* Whether zmq_bind/zmq_connect may be given ep: loopback tcp without a
 * fixed port, ipc relative to the working directory (a private temporary
 * one) or abstract, inproc, and strings whose scheme no transport claims.
 * Multicast and other network transports (pgm, epgm, norm, udp, ws, tipc,
 * vmci) are refused: Debian's libzmq has some of them. */
static inline int fz_endpoint_safe(const char *ep)
{
    const char *sep = strstr(ep, "://");
    if (!sep)
        return 1;
    size_t sl = (size_t) (sep - ep);
    const char *rest = sep + 3;
    if (sl == 3 && memcmp(ep, "tcp", 3) == 0) {
        /* host:port, or source;host:port for connect */
        const char *semi = strchr(rest, ';');
        if (semi && !fz_tcp_part_safe(rest, (size_t) (semi - rest)))
            return 0;
        const char *last = semi ? semi + 1 : rest;
        return fz_tcp_part_safe(last, strlen(last));
    }
    if (sl == 3 && memcmp(ep, "ipc", 3) == 0)
        return strchr(rest, '/') == NULL;
    if (sl == 6 && memcmp(ep, "inproc", 6) == 0)
        return 1;
    static const char *known[] = {"pgm", "epgm", "norm", "udp", "ws", "wss", "tipc", "vmci"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (sl == strlen(known[i]) && memcmp(ep, known[i], sl) == 0)
            return 0;
    return 1;
}

/* errno values zmq_bind/zmq_connect may give a malformed endpoint. */
static inline int fz_endpoint_errno_ok(int e)
{
    switch (e) {
    case EINVAL:
    case EPROTONOSUPPORT:
    case ENOCOMPATPROTO:
    case EADDRINUSE:
    case EADDRNOTAVAIL:
    case ENODEV:
    case ENOENT:
    case ENOTDIR:
    case EACCES:
    case ENAMETOOLONG:
    case EAFNOSUPPORT:
    case EISDIR:
    case EEXIST:
        return 1;
    default:
        return 0;
    }
}

/* Moves into a private temporary directory (once): relative ipc paths
 * land there. */
static inline void fz_enter_tmpdir(void)
{
    static char dir[64];
    if (dir[0])
        return;
    snprintf(dir, sizeof dir, "/tmp/gozmq-fuzz-XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
    CHECK(chdir(dir) == 0);
}

/* The input as a NUL-terminated string (the API takes C strings; bytes
 * after an embedded NUL are not seen, as in libzmq's fuzzers). */
static inline char *fz_cstring(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    CHECK(s != NULL);
    memcpy(s, data, size);
    s[size] = 0;
    return s;
}

/* Abstract ipc names are shared by the whole machine, and this target
 * runs against both libraries at once: "ipc://@name" becomes
 * "ipc://@<pid, 8 digits>.name" (same length in every run). */
static inline char *fz_private_abstract(char *ep)
{
    if (strncmp(ep, "ipc://@", 7) != 0 || ep[7] == 0)
        return ep;
    size_t n = strlen(ep) + 10;
    char *out = malloc(n);
    CHECK(out != NULL);
    snprintf(out, n, "ipc://@%08d.%s", (int) getpid() % 100000000, ep + 7);
    free(ep);
    return out;
}

/* The whole of the bind and connect targets but the call: op (zmq_bind
 * or zmq_connect, named what) on a PUB given the fuzzed endpoint; its
 * result goes into the digest, a failure must carry an errno allowed
 * above, and a success must be undone by undo. */
static void *fz_ep_ctx;
static unsigned fz_ep_uses;

/* libzmq frees a closed socket's slot later, on its reaper thread, and a
 * context refuses a 1024th socket with EMFILE: on a loaded machine the
 * reaper fell that far behind. A fresh context every 256 inputs bounds
 * the sockets one context can have (zmq_ctx_term waits for the reaper). */
#define FZ_CTX_INPUTS 256

static inline void fz_endpoint_one(const uint8_t *data, size_t size, const char *what,
                                   int (*op)(void *, const char *), void (*undo)(void *, const char *))
{
    if (fz_ep_ctx && ++fz_ep_uses % FZ_CTX_INPUTS == 0) {
        OK(zmq_ctx_term(fz_ep_ctx));
        fz_ep_ctx = zmq_ctx_new();
        CHECK(fz_ep_ctx != NULL);
    }
    if (!fz_ep_ctx) {
        fz_enter_tmpdir();
        fz_ep_ctx = zmq_ctx_new();
        CHECK(fz_ep_ctx != NULL);
    }
    char *ep = fz_private_abstract(fz_cstring(data, size));
    if (fz_endpoint_safe(ep)) {
        void *s = tu_socket(fz_ep_ctx, ZMQ_PUB);
        int rc = op(s, ep), err = rc ? zmq_errno() : 0;
        char result[64];
        snprintf(result, sizeof result, "%d %d", rc, err);
        fz_result(data, size, result);
        if (rc == 0)
            undo(s, ep);
        else if (!fz_endpoint_errno_ok(err))
            FAILF("%s(\"%s\"): unexpected errno %d (%s)", what, ep, err, zmq_strerror(err));
        OK(zmq_close(s));
    }
    free(ep);
}

static inline void fz_endpoint_teardown(void)
{
    fz_expect_check();
    if (!fz_ep_ctx)
        return;
    OK(zmq_ctx_term(fz_ep_ctx));
    fz_ep_ctx = NULL;
}

#define FZ_ENDPOINT_SEEDS                                                      \
    {"tcp://127.0.0.1:*", 17}, {"tcp://127.0.0.1:0", 17}, {"tcp://[::1]:*", 13},     \
        {"tcp://localhost:*", 17}, {"tcp://lo:*", 10}, {"tcp://127.0.0.1:x", 17},     \
        {"tcp://127.0.0.1:-0", 18}, {"tcp://127.0.0.1:", 16}, {"tcp://127.0.0.1", 15},   \
        {"tcp://:*", 8}, {"tcp://127.0.0.1:*;127.0.0.1:*", 29},                          \
        {"tcp://[::1:*", 12}, {"tcp://[]:*", 10}, {"ipc://fuzz-endpoint", 19},           \
        {"ipc://@gozmq-fuzz-abstract", 26}, {"ipc://*", 7}, {"ipc://", 6},               \
        {"inproc://fuzz", 13}, {"inproc://", 9}, {"udp://127.0.0.1:*", 17},              \
        {"pgm://lo;239.192.1.1:*", 22}, {"bogus://x", 9}, {"tcp:/127.0.0.1:*", 16},      \
        {"://", 3}, {"", 0}
#endif
