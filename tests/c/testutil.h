/* Shared helpers for gozmq's C tests. Tests include only zmq.h and this
 * file; they run unchanged against gozmq and against libzmq.
 *
 * Every program is bounded: a watchdog alarm fails it if it hangs, and
 * every blocking receive has a timeout. No test sleeps to synchronise. */
#ifndef GOZMQ_TESTUTIL_H
#define GOZMQ_TESTUTIL_H

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

static const char *tu_case = "?";
static int tu_passed;

#define FAILF(...)                                                             \
    do {                                                                       \
        fprintf(stderr, "%s:%d: [%s] ", __FILE__, __LINE__, tu_case);          \
        fprintf(stderr, __VA_ARGS__);                                          \
        fprintf(stderr, "\n0 passed, 1 failed\n");                             \
        exit(1);                                                               \
    } while (0)

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond))                                                           \
            FAILF("check failed: %s (errno %d: %s)", #cond, zmq_errno(),        \
                  zmq_strerror(zmq_errno()));                                  \
    } while (0)

/* A call that must succeed (return >= 0, or non-NULL for pointers). */
#define OK(call)                                                               \
    do {                                                                       \
        if ((call) < 0)                                                        \
            FAILF("%s failed: errno %d: %s", #call, zmq_errno(),               \
                  zmq_strerror(zmq_errno()));                                  \
    } while (0)

/* A call that must fail with errno e. */
#define FAILS(call, e)                                                         \
    do {                                                                       \
        errno = 0;                                                             \
        long rc_ = (long) (call);                                              \
        int err_ = zmq_errno();                                                \
        if (rc_ != -1 || err_ != (e))                                          \
            FAILF("%s returned %ld errno %d (%s), want -1 errno %d (%s)",      \
                  #call, rc_, err_, zmq_strerror(err_), (int) (e),             \
                  zmq_strerror(e));                                            \
    } while (0)

#define EQ_INT(a, b)                                                           \
    do {                                                                       \
        long a_ = (long) (a), b_ = (long) (b);                                 \
        if (a_ != b_)                                                          \
            FAILF("%s == %ld, want %s == %ld", #a, a_, #b, b_);                \
    } while (0)

static inline void tu_watchdog(int sig)
{
    (void) sig;
    static const char msg[] = "watchdog: test timed out\n0 passed, 1 failed\n";
    if (write(2, msg, sizeof msg - 1) < 0) {
    }
    _exit(1);
}

static inline int tu_is_gozmq(void);

/* Call first in main: fails the program if it runs longer than seconds,
 * and checks that the library loaded is the one ctest meant to test. */
static inline void tu_start(unsigned seconds)
{
    signal(SIGALRM, tu_watchdog);
    alarm(seconds);
    const char *under = getenv("GOZMQ_UNDER");
    if (under && (strcmp(under, "gozmq") == 0) != tu_is_gozmq())
        FAILF("GOZMQ_UNDER=%s but the library loaded is %s", under,
              tu_is_gozmq() ? "gozmq" : "libzmq");
}

#define RUN(fn)                                                                \
    do {                                                                       \
        tu_case = #fn;                                                         \
        fn();                                                                  \
        tu_passed++;                                                           \
    } while (0)

static inline int tu_done(void)
{
    printf("%d passed, 0 failed\n", tu_passed);
    return 0;
}

/* Which library is loaded: ours reports 4.3.5, Debian's 4.3.4. */
static inline int tu_is_gozmq(void)
{
    int ma, mi, pa;
    zmq_version(&ma, &mi, &pa);
    return ma == 4 && mi == 3 && pa == 5;
}

static inline void tu_set_int(void *s, int opt, int v)
{
    OK(zmq_setsockopt(s, opt, &v, sizeof v));
}

static inline int tu_get_int(void *s, int opt)
{
    int v = 0;
    size_t len = sizeof v;
    OK(zmq_getsockopt(s, opt, &v, &len));
    return v;
}

/* A socket with bounded blocking (5 s) and no linger. */
static inline void *tu_socket(void *ctx, int type)
{
    void *s = zmq_socket(ctx, type);
    CHECK(s != NULL);
    tu_set_int(s, ZMQ_RCVTIMEO, 5000);
    tu_set_int(s, ZMQ_SNDTIMEO, 5000);
    tu_set_int(s, ZMQ_LINGER, 0);
    return s;
}

/* Binds to ep (wildcards allowed) and returns the resolved endpoint. */
static inline char *tu_bind(void *s, const char *ep, char *out, size_t outlen)
{
    OK(zmq_bind(s, ep));
    size_t len = outlen;
    OK(zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, out, &len));
    return out;
}

/* A fresh ipc endpoint in a private temporary directory. */
static inline char *tu_ipc_endpoint(char *out, size_t outlen, const char *name)
{
    char dir[] = "/tmp/gozmq-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    snprintf(out, outlen, "ipc://%s/%s", dir, name);
    return out;
}

static inline void tu_send_str(void *s, const char *str, int flags)
{
    int n = zmq_send(s, str, strlen(str), flags);
    if (n != (int) strlen(str))
        FAILF("send \"%s\": %d errno %d (%s)", str, n, zmq_errno(), zmq_strerror(zmq_errno()));
}

/* Receives one part and checks it equals str. */
static inline void tu_recv_str(void *s, const char *str)
{
    char buf[256];
    int n = zmq_recv(s, buf, sizeof buf - 1, 0);
    if (n < 0)
        FAILF("recv (want \"%s\"): errno %d (%s)", str, zmq_errno(), zmq_strerror(zmq_errno()));
    buf[n < (int) sizeof buf - 1 ? n : (int) sizeof buf - 1] = 0;
    if (strcmp(buf, str) != 0)
        FAILF("recv \"%s\", want \"%s\"", buf, str);
}

/* Sends one "ping" from a (as soon as a accepts it) and waits for it at
 * b, proving the connection is up (bounded: 10 s). */
static inline void tu_wait_connected(void *a, void *b)
{
    tu_set_int(b, ZMQ_RCVTIMEO, 50);
    char buf[8];
    int sent = 0;
    for (int i = 0; i < 200; i++) {
        if (!sent) {
            zmq_pollitem_t it = {a, 0, ZMQ_POLLOUT, 0};
            zmq_poll(&it, 1, 50);
            sent = zmq_send(a, "ping", 4, ZMQ_DONTWAIT) == 4;
        }
        if (sent && zmq_recv(b, buf, sizeof buf, 0) == 4) {
            tu_set_int(b, ZMQ_RCVTIMEO, 5000);
            return;
        }
    }
    FAILF("peers never connected");
}

#endif
