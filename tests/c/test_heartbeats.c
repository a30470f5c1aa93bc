/* Heartbeats (RFC 37 PING/PONG; modelled on libzmq's test_heartbeats):
 * a peer that completes the handshake and then goes silent is detected
 * through HEARTBEAT_IVL/HEARTBEAT_TIMEOUT, dropped and reconnected to;
 * PINGs carry the TTL; a live peer gets PONG answers. The silent peer is
 * a hand-written ZMTP server on a raw TCP socket. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include "testutil.h"

static int listen_tcp(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(fd, (struct sockaddr *) &a, sizeof a) == 0 && listen(fd, 4) == 0);
    socklen_t len = sizeof a;
    getsockname(fd, (struct sockaddr *) &a, &len);
    *port = ntohs(a.sin_port);
    return fd;
}

/* Reads exactly n bytes within 5 s. */
static void read_n(int fd, unsigned char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        struct pollfd p = {fd, POLLIN, 0};
        CHECK(poll(&p, 1, 5000) == 1);
        ssize_t r = read(fd, buf + got, n - got);
        CHECK(r > 0);
        got += (size_t) r;
    }
}

static int accept_within(int lfd, int ms)
{
    struct pollfd p = {lfd, POLLIN, 0};
    if (poll(&p, 1, ms) != 1)
        return -1;
    return accept(lfd, NULL, NULL);
}

/* Plays the server side of a NULL handshake as a ROUTER. */
static void handshake(int fd)
{
    unsigned char greeting[64] = {0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0x7F, 3, 1, 'N', 'U', 'L', 'L'};
    CHECK(write(fd, greeting, 64) == 64);
    static const unsigned char ready[] = {4, 28, 5, 'R', 'E', 'A', 'D', 'Y', 11, 'S', 'o', 'c', 'k', 'e', 't',
                                          '-', 'T', 'y', 'p', 'e', 0, 0, 0, 6, 'R', 'O', 'U', 'T', 'E', 'R'};
    CHECK(write(fd, ready, sizeof ready) == (ssize_t) sizeof ready);
    unsigned char buf[600];
    read_n(fd, buf, 64); /* the peer's greeting */
    CHECK(buf[0] == 0xFF && buf[10] == 3);
    read_n(fd, buf, 2);  /* its READY command */
    CHECK(buf[0] == 4);
    read_n(fd, buf, buf[1]);
}

static void test_silent_peer_is_dropped(void)
{
    int port;
    int lfd = listen_tcp(&port);
    void *ctx = zmq_ctx_new();
    void *s = tu_socket(ctx, ZMQ_DEALER);
    tu_set_int(s, ZMQ_HEARTBEAT_IVL, 50);
    tu_set_int(s, ZMQ_HEARTBEAT_TIMEOUT, 150);
    tu_set_int(s, ZMQ_HEARTBEAT_TTL, 1000);
    tu_set_int(s, ZMQ_RECONNECT_IVL, 20);
    char ep[64];
    snprintf(ep, sizeof ep, "tcp://127.0.0.1:%d", port);
    OK(zmq_connect(s, ep));
    int fd = accept_within(lfd, 5000);
    CHECK(fd >= 0);
    handshake(fd);
    /* The first thing after the handshake is a PING with TTL 10 ds. */
    unsigned char cmd[32];
    read_n(fd, cmd, 2);
    CHECK(cmd[0] == 4 && cmd[1] >= 7);
    read_n(fd, cmd, cmd[1]);
    CHECK(cmd[0] == 4 && memcmp(cmd + 1, "PING", 4) == 0);
    CHECK(cmd[5] == 0 && cmd[6] == 10);
    /* We never answer: the socket gives up on us and reconnects. */
    int again = accept_within(lfd, 5000);
    CHECK(again >= 0);
    close(again);
    close(fd);
    OK(zmq_close(s));
    OK(zmq_ctx_term(ctx));
    close(lfd);
}

/* Two live peers with heartbeats keep their connection. */
static void test_live_peers_stay_connected(void)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    void *a = tu_socket(ctx, ZMQ_PAIR), *b = tu_socket(ctx, ZMQ_PAIR);
    tu_set_int(a, ZMQ_HEARTBEAT_IVL, 20);
    tu_set_int(b, ZMQ_HEARTBEAT_IVL, 20);
    tu_bind(a, "tcp://127.0.0.1:*", ep, sizeof ep);
    OK(zmq_connect(b, ep));
    tu_send_str(b, "one", 0);
    tu_recv_str(a, "one");
    /* Several heartbeat intervals of silence on the API side. */
    zmq_poll(NULL, 0, 200);
    tu_send_str(a, "still there", 0);
    tu_recv_str(b, "still there");
    OK(zmq_close(a));
    OK(zmq_close(b));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(60);
    RUN(test_silent_peer_is_dropped);
    RUN(test_live_peers_stay_connected);
    return tu_done();
}
