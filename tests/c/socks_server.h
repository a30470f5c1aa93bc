/* A minimal SOCKS5 proxy (RFC 1928, RFC 1929 username/password) for the
 * socks tests: it serves exactly one client on loopback, in a thread,
 * then relays bytes between that client and the target until either side
 * closes. Names are resolved by a fixed table: "somedomainname.org" and
 * the IPv6 address ::1 both lead to 127.0.0.1, so the tests need no DNS
 * and no IPv6 listener. */
#ifndef GOZMQ_SOCKS_SERVER_H
#define GOZMQ_SOCKS_SERVER_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include "testutil.h"

typedef struct {
    int fd;           /* listening (or, before socks_listen, bound) socket */
    char addr[64];    /* "127.0.0.1:port", for ZMQ_SOCKS_PROXY */
    const char *user; /* NULL: no authentication required */
    const char *pass;
    int listening;
    /* Filled in by the thread: */
    int outcome; /* 0 relayed, 1 no acceptable method, 2 bad credentials,
                    3 bad request, 4 I/O error */
    int atyp;    /* address type the client asked for */
    char host[256];
} socks_server;

/* Binds the proxy's socket; with listen_now 0 it refuses connections
 * until socks_listen is called. */
static void socks_setup(socks_server *s, const char *user, const char *pass, int listen_now)
{
    memset(s, 0, sizeof *s);
    s->user = user;
    s->pass = pass ? pass : "";
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(s->fd >= 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(s->fd, (struct sockaddr *) &sa, sizeof sa) == 0);
    socklen_t len = sizeof sa;
    CHECK(getsockname(s->fd, (struct sockaddr *) &sa, &len) == 0);
    snprintf(s->addr, sizeof s->addr, "127.0.0.1:%d", ntohs(sa.sin_port));
    if (listen_now) {
        CHECK(listen(s->fd, 4) == 0);
        s->listening = 1;
    }
}

static int socks_read(int fd, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = recv(fd, (char *) buf + got, n - got, 0);
        if (r <= 0)
            return -1;
        got += (size_t) r;
    }
    return 0;
}

static int socks_write(int fd, const void *buf, size_t n)
{
    return send(fd, buf, n, MSG_NOSIGNAL) == (ssize_t) n ? 0 : -1;
}

/* Greeting and authentication; 0 when the client may go on. */
static int socks_auth(socks_server *s, int c)
{
    unsigned char b[600];
    if (socks_read(c, b, 2) || b[0] != 5 || socks_read(c, b + 2, b[1]))
        return 4;
    int want = s->user ? 2 : 0, offered = 0;
    for (int i = 0; i < b[1]; i++)
        offered |= b[2 + i] == want;
    unsigned char reply[2] = {5, offered ? (unsigned char) want : 0xff};
    if (socks_write(c, reply, 2))
        return 4;
    if (!offered)
        return 1;
    if (!s->user)
        return 0;
    unsigned char ulen, plen;
    char user[256], pass[256];
    if (socks_read(c, b, 2) || b[0] != 1)
        return 4;
    ulen = b[1];
    if (socks_read(c, user, ulen) || socks_read(c, &plen, 1) || socks_read(c, pass, plen))
        return 4;
    user[ulen] = pass[plen] = 0;
    int ok = strcmp(user, s->user) == 0 && strcmp(pass, s->pass) == 0;
    unsigned char status[2] = {1, ok ? 0 : 1};
    if (socks_write(c, status, 2))
        return 4;
    return ok ? 0 : 2;
}

/* Reads a CONNECT request and connects to the target; returns the
 * target's fd, or -1 after replying with an error. */
static int socks_connect(socks_server *s, int c)
{
    unsigned char h[4];
    uint16_t nport;
    struct sockaddr_in to;
    memset(&to, 0, sizeof to);
    to.sin_family = AF_INET;
    if (socks_read(c, h, 4) || h[0] != 5 || h[1] != 1 || h[2] != 0)
        return -1;
    s->atyp = h[3];
    int known = 0;
    if (h[3] == 1) {
        unsigned char a[4];
        if (socks_read(c, a, 4))
            return -1;
        inet_ntop(AF_INET, a, s->host, sizeof s->host);
        memcpy(&to.sin_addr, a, 4);
        known = 1;
    } else if (h[3] == 3) {
        unsigned char n;
        if (socks_read(c, &n, 1) || socks_read(c, s->host, n))
            return -1;
        s->host[n] = 0;
        known = strcmp(s->host, "somedomainname.org") == 0;
    } else if (h[3] == 4) {
        unsigned char a[16], lo[16] = {0};
        lo[15] = 1;
        if (socks_read(c, a, 16))
            return -1;
        inet_ntop(AF_INET6, a, s->host, sizeof s->host);
        known = memcmp(a, lo, 16) == 0;
    }
    if (socks_read(c, &nport, 2))
        return -1;
    if (h[3] != 1)
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to.sin_port = nport;
    int t = -1;
    unsigned char rep = 4; /* host unreachable */
    if (known) {
        t = socket(AF_INET, SOCK_STREAM, 0);
        if (t >= 0 && connect(t, (struct sockaddr *) &to, sizeof to) == 0)
            rep = 0;
        else
            rep = 5; /* connection refused */
    }
    /* The reply's bound address: an IPv4 one, whatever was asked. */
    unsigned char r[10] = {5, rep, 0, 1, 127, 0, 0, 1, 0, 0};
    if (socks_write(c, r, sizeof r) || rep != 0) {
        if (t >= 0)
            close(t);
        return -1;
    }
    return t;
}

static void socks_relay(int a, int b)
{
    struct pollfd p[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
    char buf[4096];
    for (;;) {
        if (poll(p, 2, -1) < 0)
            return;
        for (int i = 0; i < 2; i++) {
            if (!p[i].revents)
                continue;
            ssize_t n = recv(p[i].fd, buf, sizeof buf, 0);
            if (n <= 0 || socks_write(p[1 - i].fd, buf, (size_t) n))
                return;
        }
    }
}

static void socks_listen(socks_server *s)
{
    CHECK(listen(s->fd, 4) == 0);
    s->listening = 1;
}

/* The thread (zmq_threadstart): one client, then the proxy closes. */
static void socks_run(void *arg)
{
    socks_server *s = arg;
    if (!s->listening)
        socks_listen(s);
    int c = accept(s->fd, NULL, NULL);
    close(s->fd);
    if (c < 0) {
        s->outcome = 4;
        return;
    }
    s->outcome = socks_auth(s, c);
    if (s->outcome == 0) {
        int t = socks_connect(s, c);
        if (t < 0)
            s->outcome = 3;
        else {
            socks_relay(c, t);
            close(t);
        }
    }
    close(c);
}

#endif
