/* Shared harness for gozmq's C fuzz targets (ports of libzmq's
 * test_*_fuzzer programs). Each target defines LLVMFuzzerTestOneInput,
 * so it builds as a libFuzzer target (clang -fsanitize=fuzzer, `make
 * fuzz-c`) or, linked with driver.c, as a ctest program that replays
 * seeds and seeded-PRNG mutations of them.
 *
 * A target keeps its long-lived sockets in static state (created on the
 * first input) so that one socket faces every malformed peer in turn, and
 * after each input it checks that the socket still serves a well-formed
 * peer. Failures go through testutil.h's FAILF: exit(1), which libFuzzer
 * also reports. Every wait is bounded. */
#ifndef GOZMQ_FUZZ_H
#define GOZMQ_FUZZ_H

#include <fcntl.h>
#include <sys/stat.h>
#include <stddef.h>
#include <stdint.h>
#include "../testraw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Releases the target's static state (the driver calls it at exit so that
 * leak checkers see a clean process; libFuzzer never does). */
void fuzz_target_teardown(void);

/* Seeds every target has built in (beyond corpus files): a NULL-
 * terminated list of {bytes, length}. */
struct fuzz_seed {
    const char *data;
    size_t size;
};
extern const struct fuzz_seed fuzz_builtin_seeds[];

/* Fixed CURVE keys (generated for these tests with zmq_curve_keypair):
 * captured handshakes in corpus/ were made against this server key, so a
 * replayed HELLO still opens. */
#define FZ_SERVER_PUBLIC "3o92dRt&:{3KWq#n(Yd)+Rx9CV+z11?hn(mNbC2R"
#define FZ_SERVER_SECRET "ajL^VZcq?pptLTcF*3Xak63Q/o*mpj*Hz7je$1P5"
#define FZ_CLIENT_PUBLIC "y#Ra0OLdTSOhjf+w-Ki{1KBPnV]Rafuz6E^N)9Y="
#define FZ_CLIENT_SECRET "}m>eXpa48*Icf8s]TpDeSGwF$CIK=8Hm-hZU1V{>"

/* The largest message a fuzzed peer may announce (as libzmq's fuzzers:
 * no limit by default, but a sanitizer's allocator balks at gigabytes). */
#define FZ_MAXMSGSIZE (64 * 1024 * 1024)
#define FZ_WAIT_MS 5000

static inline void fz_set_str(void *s, int opt, const char *v)
{
    OK(zmq_setsockopt(s, opt, v, strlen(v)));
}

static inline void fz_curve_server(void *s)
{
    tu_set_int(s, ZMQ_CURVE_SERVER, 1);
    fz_set_str(s, ZMQ_CURVE_SECRETKEY, FZ_SERVER_SECRET);
}

static inline void fz_curve_client(void *s)
{
    fz_set_str(s, ZMQ_CURVE_SERVERKEY, FZ_SERVER_PUBLIC);
    fz_set_str(s, ZMQ_CURVE_PUBLICKEY, FZ_CLIENT_PUBLIC);
    fz_set_str(s, ZMQ_CURVE_SECRETKEY, FZ_CLIENT_SECRET);
}

static inline void fz_maxmsgsize(void *s)
{
    int64_t max = FZ_MAXMSGSIZE;
    OK(zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &max, sizeof max));
}

/* Differential check against libzmq. Targets whose results are plain
 * values (endpoint strings, option values, Z85) report each input's
 * result with fz_result(input, result). The inputs a driver run feeds are
 * fixed (seeds, then a PRNG with a fixed seed), so the results of a whole
 * run fold into one digest; expected/<target>.txt holds the digest of a
 * run against Debian's libzmq, and with GOZMQ_FUZZ_EXPECT=that-file the
 * run must produce the same one: a behaviour that differs from libzmq's
 * fails the test. To see which inputs differ, run the target against
 * each library with GOZMQ_FUZZ_RECORD=file (one line per input) and diff
 * the two files; the record run prints the digest to store. */
static uint64_t fz_digest = 0xcbf29ce484222325ULL; /* FNV-1a */
static unsigned long fz_results;
static FILE *fz_record_file;
static int fz_record_checked;

static inline void fz_hex(char *out, const uint8_t *data, size_t size)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < size; i++) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 15];
    }
    out[2 * size] = 0;
}

static inline void fz_fold(const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        fz_digest ^= b[i];
        fz_digest *= 0x100000001b3ULL;
    }
}

static inline void fz_result(const uint8_t *data, size_t size, const char *result)
{
    if (!fz_record_checked) {
        fz_record_checked = 1;
        const char *rec = getenv("GOZMQ_FUZZ_RECORD");
        if (rec && !(fz_record_file = fopen(rec, "w")))
            FAILF("GOZMQ_FUZZ_RECORD=%s: %s", rec, strerror(errno));
    }
    fz_fold(data, size);
    fz_fold("\t", 1);
    fz_fold(result, strlen(result) + 1);
    fz_results++;
    if (fz_record_file) {
        char *key = malloc(2 * size + 1);
        CHECK(key != NULL);
        fz_hex(key, data, size);
        fprintf(fz_record_file, "%s\t%s\n", key, result);
        free(key);
    }
}

/* Compares the run's digest with GOZMQ_FUZZ_EXPECT's (at teardown). */
static inline void fz_expect_check(void)
{
    if (fz_record_file) {
        fclose(fz_record_file);
        fz_record_file = NULL;
        printf("digest %016llx %lu\n", (unsigned long long) fz_digest, fz_results);
        return;
    }
    const char *path = getenv("GOZMQ_FUZZ_EXPECT");
    if (!path)
        return;
    FILE *f = fopen(path, "r");
    if (!f)
        FAILF("GOZMQ_FUZZ_EXPECT=%s: %s", path, strerror(errno));
    unsigned long long want = 0;
    unsigned long want_n = 0;
    char line[256];
    int found = 0;
    while (!found && fgets(line, sizeof line, f))
        found = sscanf(line, "digest %llx %lu", &want, &want_n) == 2;
    fclose(f);
    if (!found)
        FAILF("%s holds no digest line", path);
    if (want != fz_digest || want_n != fz_results)
        FAILF("results differ from libzmq's: digest %016llx over %lu inputs, libzmq's %016llx "
              "over %lu (%s); find the inputs with GOZMQ_FUZZ_RECORD (see fuzz.h)",
              (unsigned long long) fz_digest, fz_results, want, want_n, path);
}

/* Publishes "ping" on pub until sub receives it (bounded: FZ_WAIT_MS):
 * the subscription has then reached the publisher. Anything else sub
 * receives first (left by a fuzzed peer) is dropped. */
static inline void fz_wait_subscribed(void *pub, void *sub)
{
    char buf[16];
    for (int i = 0; i < FZ_WAIT_MS / 5; i++) {
        tu_send_str(pub, "ping", ZMQ_DONTWAIT);
        zmq_pollitem_t it = {sub, 0, ZMQ_POLLIN, 0};
        if (zmq_poll(&it, 1, 5) != 1)
            continue;
        int n;
        while ((n = zmq_recv(sub, buf, sizeof buf, ZMQ_DONTWAIT)) >= 0)
            if (n == 4 && memcmp(buf, "ping", 4) == 0) {
                /* Pings sent after this one may follow. */
                while (zmq_recv(sub, buf, sizeof buf, ZMQ_DONTWAIT) >= 0) {
                }
                return;
            }
    }
    FAILF("the subscription never reached the publisher");
}

/* Called while the harness waits on the raw peer: lets the library's
 * socket run (receive what it has, process its commands) so it never
 * stalls on a full queue. The target may collect what arrives. */
typedef void (*fz_drain_fn)(void *sock, void *arg);

/* The default drain: receive and drop everything readable. */
static inline void fz_drain_all(void *sock, void *arg)
{
    (void) arg;
    char buf[256];
    int events = 0;
    size_t len = sizeof events;
    zmq_getsockopt(sock, ZMQ_EVENTS, &events, &len);
    for (int i = 0; i < 10000 && zmq_recv(sock, buf, sizeof buf, ZMQ_DONTWAIT) >= 0; i++) {
    }
}

/* Plays the malformed peer on a connected raw fd (zmtp: the library
 * speaks ZMTP on it, as opposed to a STREAM socket): writes data (all of it,
 * unless the library hangs up first), discarding whatever the library
 * sends meanwhile, then half-closes and waits until the library closes
 * its end. That last step proves the library read every byte and handled
 * the end of the stream; it must happen within FZ_WAIT_MS. The fd is
 * closed on return. */
static inline void fz_play(int fd, const uint8_t *data, size_t size, int zmtp, void *sock,
                           fz_drain_fn drain, void *arg)
{
    CHECK(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0);
    char scratch[4096];
    size_t off = 0, got = 0;
    int peer_closed = 0, rounds = 0;
    /* Phase 0: as libzmq's fuzzers do, a full greeting goes first and the
     * library's signature (10 bytes, sent to every new connection) is
     * awaited, so the library answers the greeting before the rest
     * arrives. */
    if (zmtp && size >= 64) {
        tr_write_all(fd, data, 64);
        off = 64;
        for (int waited = 0; got < 10 && !peer_closed; waited += 10) {
            if (waited > FZ_WAIT_MS)
                FAILF("the library sent no ZMTP signature in %d ms", FZ_WAIT_MS);
            struct pollfd p = {fd, POLLIN, 0};
            if (tr_poll(&p, 1, 10) == 1) {
                ssize_t n = recv(fd, scratch, sizeof scratch, 0);
                if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
                    peer_closed = 1;
                got += n > 0 ? (size_t) n : 0;
            }
            drain(sock, arg);
        }
    }
    /* Phase 1: write while reading. */
    while (off < size && !peer_closed) {
        struct pollfd p = {fd, POLLIN | POLLOUT, 0};
        if (tr_poll(&p, 1, 10) == 0) {
            drain(sock, arg);
            if (++rounds > FZ_WAIT_MS / 10)
                FAILF("the library stopped reading (%zu of %zu bytes written)", off, size);
            continue;
        }
        rounds = 0;
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = recv(fd, scratch, sizeof scratch, 0);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
                peer_closed = 1;
            got += n > 0 ? (size_t) n : 0;
        }
        if (!peer_closed && (p.revents & POLLOUT)) {
            ssize_t n = send(fd, data + off, size - off, MSG_NOSIGNAL);
            if (n > 0)
                off += (size_t) n;
            else if (n < 0 && errno != EAGAIN && errno != EINTR)
                peer_closed = 1;
        }
        drain(sock, arg);
    }
    /* Phase 2: end of stream; the library must hang up. */
    shutdown(fd, SHUT_WR);
    for (int waited = 0; !peer_closed; waited += 10) {
        if (waited > FZ_WAIT_MS)
            FAILF("the library kept the connection open %d ms after EOF (input of %zu bytes)",
                  FZ_WAIT_MS, size);
        struct pollfd p = {fd, POLLIN, 0};
        if (tr_poll(&p, 1, 10) == 1) {
            ssize_t n = recv(fd, scratch, sizeof scratch, 0);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
                peer_closed = 1;
            got += n > 0 ? (size_t) n : 0;
        }
        drain(sock, arg);
    }
    close(fd);
    if (getenv("GOZMQ_FUZZ_VERBOSE"))
        fprintf(stderr, "input %zu bytes: wrote %zu, the library sent %zu\n", size, off, got);
}

#endif
