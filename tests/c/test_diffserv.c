/* ZMQ_TOS (modelled on libzmq's test_diffserv): a bound and a connecting
 * socket each with its own type-of-service byte. Beyond reading the
 * option back, this checks what goes on the wire: the monitor's
 * ACCEPTED/CONNECTED events carry the connection's fd, whose IP_TOS must
 * be the socket's value, and a raw server asking the kernel for the TOS
 * of the connection it accepted (IP_RECVTOS + IP_PKTOPTIONS) must see the
 * connecting socket's value. */
#include <netinet/ip.h>
#include "testraw.h"

static int fd_tos(int fd)
{
    int tos = -1;
    socklen_t len = sizeof tos;
    if (getsockopt(fd, IPPROTO_IP, IP_TOS, &tos, &len) != 0)
        FAILF("getsockopt(IP_TOS) on fd %d: %s", fd, strerror(errno));
    return tos;
}

static void test_diffserv(void)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    void *sb = tu_socket(ctx, ZMQ_PAIR);
    tu_set_int(sb, ZMQ_TOS, 0x28);
    void *mon_b = tr_monitor(ctx, sb, "sb", ZMQ_EVENT_ACCEPTED);
    tu_bind(sb, "tcp://127.0.0.1:*", ep, sizeof ep);
    EQ_INT(tu_get_int(sb, ZMQ_TOS), 0x28);

    void *sc = tu_socket(ctx, ZMQ_PAIR);
    tu_set_int(sc, ZMQ_TOS, 0x58);
    void *mon_c = tr_monitor(ctx, sc, "sc", ZMQ_EVENT_CONNECTED);
    OK(zmq_connect(sc, ep));
    EQ_INT(tu_get_int(sc, ZMQ_TOS), 0x58);

    tu_wait_connected(sc, sb);
    tu_send_str(sb, "pong", 0);
    tu_recv_str(sc, "pong");
    /* The connection is up, so both fds are open while we look. */
    EQ_INT(fd_tos((int) tr_wait_event(mon_b, ZMQ_EVENT_ACCEPTED, 10)), 0x28);
    EQ_INT(fd_tos((int) tr_wait_event(mon_c, ZMQ_EVENT_CONNECTED, 10)), 0x58);

    OK(zmq_close(mon_b));
    OK(zmq_close(mon_c));
    OK(zmq_close(sc));
    OK(zmq_close(sb));
    OK(zmq_ctx_term(ctx));
}

/* The TOS of the last packet a raw TCP socket received, as the kernel
 * recorded it (IP_PKTOPTIONS returns it as an IP_TOS control message). */
static int received_tos(int fd)
{
    unsigned char ctl[256];
    socklen_t len = sizeof ctl;
    if (getsockopt(fd, IPPROTO_IP, IP_PKTOPTIONS, ctl, &len) != 0)
        FAILF("getsockopt(IP_PKTOPTIONS): %s", strerror(errno));
    struct msghdr mh;
    memset(&mh, 0, sizeof mh);
    mh.msg_control = ctl;
    mh.msg_controllen = len;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TOS)
            return *(unsigned char *) CMSG_DATA(c);
    FAILF("no IP_TOS in the received packet options");
}

/* The packets a connecting socket sends carry its TOS from the very
 * first (the kernel records the SYN's TOS for the accepted socket, so the
 * option must be set before connect(2)). */
static void test_on_the_wire(void)
{
    char ep[256];
    unsigned char greeting[10];
    int on = 1, fd;
    void *ctx = zmq_ctx_new();

    int lfd = tr_listen(ep, sizeof ep);
    void *sc = tu_socket(ctx, ZMQ_DEALER);
    tu_set_int(sc, ZMQ_TOS, 0x58);
    OK(zmq_connect(sc, ep));
    fd = tr_accept(lfd, 5000);
    CHECK(setsockopt(fd, IPPROTO_IP, IP_RECVTOS, &on, sizeof on) == 0);
    tr_read_exact(fd, greeting, sizeof greeting, 5000);
    EQ_INT(greeting[0], 0xff);
    EQ_INT(received_tos(fd), 0x58);
    close(fd);
    close(lfd);

    OK(zmq_close(sc));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(30);
    RUN(test_diffserv);
    RUN(test_on_the_wire);
    return tu_done();
}
