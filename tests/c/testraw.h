/* Raw TCP and monitor helpers for tests that play a peer by hand (mock
 * ZMTP peers, fuzz harnesses, fd-level checks). Loopback only; every wait
 * is bounded. */
#ifndef GOZMQ_TESTRAW_H
#define GOZMQ_TESTRAW_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>
#include "testutil.h"

static inline long tr_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/* poll(2) that sits out EINTR: in a process with a Go runtime (gozmq),
 * the runtime's preemption signal may land on any thread that has
 * called into the library, and poll is never restarted. */
static inline int tr_poll(struct pollfd *p, nfds_t n, int ms)
{
    long deadline = tr_now_ms() + ms;
    for (;;) {
        int rc = poll(p, n, ms);
        if (rc >= 0 || errno != EINTR)
            return rc;
        long left = deadline - tr_now_ms();
        ms = left > 0 ? (int) left : 0;
    }
}

/* Connects a plain TCP socket to "tcp://127.0.0.1:port". */
static inline int tr_connect(const char *ep)
{
    const char *port = strrchr(ep, ':');
    CHECK(port != NULL);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(fd >= 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t) atoi(port + 1));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *) &a, sizeof a) != 0) {
        /* Interrupted (see tr_poll), the connection goes on in the
         * background: wait for it and read its outcome. */
        if (errno != EINTR)
            FAILF("connect %s: %s", ep, strerror(errno));
        struct pollfd p = {fd, POLLOUT, 0};
        int err = 0;
        socklen_t len = sizeof err;
        if (tr_poll(&p, 1, 5000) != 1 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err)
            FAILF("connect %s (after EINTR): %s", ep, strerror(err ? err : ETIMEDOUT));
    }
    return fd;
}

/* A listening TCP socket on 127.0.0.1 with a kernel-chosen port; its
 * endpoint ("tcp://127.0.0.1:port") is written to ep. */
static inline int tr_listen(char *ep, size_t eplen)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(fd >= 0);
    /* Ports whose last connections linger in TIME_WAIT stay usable (long
     * fuzz runs open thousands of listeners). */
    int on = 1;
    CHECK(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(fd, (struct sockaddr *) &a, sizeof a) == 0);
    CHECK(listen(fd, 16) == 0);
    socklen_t len = sizeof a;
    CHECK(getsockname(fd, (struct sockaddr *) &a, &len) == 0);
    snprintf(ep, eplen, "tcp://127.0.0.1:%d", ntohs(a.sin_port));
    return fd;
}

/* Accepts one connection, waiting at most ms milliseconds. */
static inline int tr_accept(int lfd, int ms)
{
    struct pollfd p = {lfd, POLLIN, 0};
    if (tr_poll(&p, 1, ms) != 1)
        FAILF("no connection to accept within %d ms", ms);
    int fd;
    do
        fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    CHECK(fd >= 0);
    return fd;
}

static inline void tr_write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            FAILF("raw write: %s", strerror(errno));
        p += w;
        n -= (size_t) w;
    }
}

/* Reads exactly n bytes, each wait bounded by ms; fails otherwise. */
static inline void tr_read_exact(int fd, void *buf, size_t n, int ms)
{
    char *p = buf;
    while (n > 0) {
        struct pollfd pf = {fd, POLLIN, 0};
        if (tr_poll(&pf, 1, ms) != 1)
            FAILF("raw read: %zu bytes missing after %d ms", n, ms);
        ssize_t r = recv(fd, p, n, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            FAILF("raw read: %s with %zu bytes missing", r == 0 ? "EOF" : strerror(errno), n);
        p += r;
        n -= (size_t) r;
    }
}

/* Reads one ZMTP frame (RFC 23 section "Framing"): returns the flags
 * byte and stores the body (at most cap bytes) and its size. */
static inline int tr_read_frame(int fd, unsigned char *body, size_t cap, size_t *size, int ms)
{
    unsigned char flags, len[8];
    tr_read_exact(fd, &flags, 1, ms);
    uint64_t n = 0;
    if (flags & 0x02) {
        tr_read_exact(fd, len, 8, ms);
        for (int i = 0; i < 8; i++)
            n = (n << 8) | len[i];
    } else {
        tr_read_exact(fd, len, 1, ms);
        n = len[0];
    }
    if (n > cap)
        FAILF("frame of %llu bytes, room for %zu", (unsigned long long) n, cap);
    tr_read_exact(fd, body, (size_t) n, ms);
    *size = (size_t) n;
    return flags;
}

/* Writes one short ZMTP frame (flags: 1 MORE, 4 COMMAND). */
static inline void tr_write_frame(int fd, int flags, const void *body, size_t n)
{
    CHECK(n < 256);
    unsigned char hdr[2] = {(unsigned char) flags, (unsigned char) n};
    tr_write_all(fd, hdr, 2);
    tr_write_all(fd, body, n);
}

/* A hand-written peer's side of the handshake (RFC 23/37): greeting
 * (NULL mechanism, version 3.minor), then READY with Socket-Type my_type;
 * checks the library's greeting and READY (its Socket-Type must be
 * want_type). Each read waits at most 5 s. */
static inline void tr_handshake(int fd, int minor, const char *my_type, const char *want_type)
{
    unsigned char g[64];
    memset(g, 0, sizeof g);
    g[0] = 0xff;
    g[9] = 0x7f;
    g[10] = 3;
    g[11] = (unsigned char) minor;
    memcpy(g + 12, "NULL", 4);
    tr_write_all(fd, g, sizeof g);

    unsigned char peer[64];
    tr_read_exact(fd, peer, sizeof peer, 5000);
    EQ_INT(peer[0], 0xff);
    EQ_INT(peer[9], 0x7f);
    EQ_INT(peer[10], 3);
    CHECK(memcmp(peer + 12, "NULL\0", 5) == 0);
    EQ_INT(peer[32], 0); /* as-server: NULL has no roles */

    /* READY: [5]"READY" [11]"Socket-Type" [len u32] type */
    unsigned char ready[64];
    size_t tl = strlen(my_type), n = 0;
    CHECK(tl <= 32);
    ready[n++] = 5;
    memcpy(ready + n, "READY", 5), n += 5;
    ready[n++] = 11;
    memcpy(ready + n, "Socket-Type", 11), n += 11;
    ready[n++] = 0, ready[n++] = 0, ready[n++] = 0, ready[n++] = (unsigned char) tl;
    memcpy(ready + n, my_type, tl), n += tl;
    tr_write_frame(fd, 0x04, ready, n);

    unsigned char body[512];
    size_t size;
    int flags = tr_read_frame(fd, body, sizeof body, &size, 5000);
    EQ_INT(flags, 0x04);
    CHECK(size >= 6 && body[0] == 5 && memcmp(body + 1, "READY", 5) == 0);
    /* Walk the properties for Socket-Type. */
    size_t at = 6;
    int found = 0;
    while (at < size) {
        size_t nl = body[at++];
        CHECK(at + nl + 4 <= size);
        const unsigned char *name = body + at;
        at += nl;
        size_t vl = (size_t) body[at] << 24 | (size_t) body[at + 1] << 16
                    | (size_t) body[at + 2] << 8 | body[at + 3];
        at += 4;
        CHECK(at + vl <= size);
        if (nl == 11 && memcmp(name, "Socket-Type", 11) == 0) {
            EQ_INT(vl, strlen(want_type));
            CHECK(memcmp(body + at, want_type, vl) == 0);
            found = 1;
        }
        at += vl;
    }
    if (!found)
        FAILF("READY does not name Socket-Type %s", want_type);
}

/* Reads the next monitor event (two frames: [event u16][value u32] and
 * the endpoint); returns the event number, or -1 if none came within
 * the monitor socket's receive timeout. */
static inline int tr_monitor_event(void *mon, uint32_t *value)
{
    unsigned char head[6];
    char ep[512];
    if (zmq_recv(mon, head, sizeof head, 0) != 6)
        return -1;
    CHECK(tu_get_int(mon, ZMQ_RCVMORE));
    uint16_t ev;
    memcpy(&ev, head, 2);
    if (value)
        memcpy(value, head + 2, 4);
    CHECK(zmq_recv(mon, ep, sizeof ep, 0) >= 0);
    return ev;
}

/* Reads monitor events until one numbered want (at most tries of them);
 * returns its value. Fails if none comes. */
static inline uint32_t tr_wait_event(void *mon, int want, int tries)
{
    uint32_t value = 0;
    for (int i = 0; i < tries; i++) {
        int ev = tr_monitor_event(mon, &value);
        if (ev == want)
            return value;
        if (ev == -1)
            break;
    }
    FAILF("no monitor event 0x%x", want);
}

/* Starts monitoring s for the events in mask and returns the PAIR that
 * receives them (5 s receive timeout). name makes the inproc address
 * unique within the context. */
static inline void *tr_monitor(void *ctx, void *s, const char *name, int mask)
{
    char addr[128];
    snprintf(addr, sizeof addr, "inproc://monitor-%s", name);
    OK(zmq_socket_monitor(s, addr, mask));
    void *mon = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_connect(mon, addr));
    return mon;
}

#endif
