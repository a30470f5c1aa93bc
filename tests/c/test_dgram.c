/* Draft DGRAM over udp (libzmq's test_dgram): connecting is refused, a
 * question and its answer travel between two bound DGRAM sockets as
 * [address][body] messages, and badly shaped sends are refused. Stable
 * API calls only, so it runs on both libraries. udp endpoints cannot use
 * "*" ports portably (libzmq then reports "*" in ZMQ_LAST_ENDPOINT), so
 * each port is picked by the kernel for a throwaway socket first. */
#define ZMQ_BUILD_DRAFT_API
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "testutil.h"

/* A udp port on 127.0.0.1 that was free a moment ago. */
static int free_udp_port(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    CHECK(bind(fd, (struct sockaddr *) &a, sizeof a) == 0);
    CHECK(getsockname(fd, (struct sockaddr *) &a, &len) == 0);
    close(fd);
    return ntohs(a.sin_port);
}

/* Receives [address][body]; checks both (the address part is "ip:port",
 * NUL-terminated as libzmq sends it). */
static void recv_from(void *s, const char *want_addr, const char *want_body, char *addr_out)
{
    char addr[64] = {0}, body[64] = {0};
    int n = zmq_recv(s, addr, sizeof addr - 1, 0);
    CHECK(n > 0);
    EQ_INT(tu_get_int(s, ZMQ_RCVMORE), 1);
    if (strcmp(addr, want_addr) != 0)
        FAILF("from \"%s\", want \"%s\"", addr, want_addr);
    n = zmq_recv(s, body, sizeof body - 1, 0);
    CHECK(n >= 0);
    EQ_INT(tu_get_int(s, ZMQ_RCVMORE), 0);
    if (strcmp(body, want_body) != 0)
        FAILF("got \"%s\", want \"%s\"", body, want_body);
    if (addr_out)
        strcpy(addr_out, addr);
}

static void test_connect_fails(void)
{
    void *ctx = zmq_ctx_new();
    void *s = tu_socket(ctx, ZMQ_DGRAM);
    char ep[64];
    snprintf(ep, sizeof ep, "udp://127.0.0.1:%d", free_udp_port());
    FAILS(zmq_connect(s, ep), ENOCOMPATPROTO);
    OK(zmq_close(s));
    OK(zmq_ctx_term(ctx));
}

static void test_roundtrip(void)
{
    void *ctx = zmq_ctx_new();
    void *listener = tu_socket(ctx, ZMQ_DGRAM), *sender = tu_socket(ctx, ZMQ_DGRAM);
    EQ_INT(tu_get_int(listener, ZMQ_THREAD_SAFE), 0);
    char lep[64], sep[64], laddr[32], saddr[32], from[64];
    int lp = free_udp_port(), sp = free_udp_port();
    snprintf(lep, sizeof lep, "udp://127.0.0.1:%d", lp);
    snprintf(sep, sizeof sep, "udp://127.0.0.1:%d", sp);
    snprintf(laddr, sizeof laddr, "127.0.0.1:%d", lp);
    snprintf(saddr, sizeof saddr, "127.0.0.1:%d", sp);
    OK(zmq_bind(listener, lep));
    OK(zmq_bind(sender, sep));
    tu_send_str(sender, laddr, ZMQ_SNDMORE);
    tu_send_str(sender, "Is someone there ?", 0);
    recv_from(listener, saddr, "Is someone there ?", from);
    /* Reply to the address as received (with its NUL). */
    CHECK(zmq_send(listener, from, strlen(from) + 1, ZMQ_SNDMORE) >= 0);
    tu_send_str(listener, "Yes, there is !", 0);
    recv_from(sender, laddr, "Yes, there is !", NULL);
    OK(zmq_close(sender));
    OK(zmq_close(listener));
    OK(zmq_ctx_term(ctx));
}

/* Messages are exactly two parts: an address, then a body. */
static void test_shapes(void)
{
    void *ctx = zmq_ctx_new();
    void *s = tu_socket(ctx, ZMQ_DGRAM);
    char ep[64];
    snprintf(ep, sizeof ep, "udp://127.0.0.1:%d", free_udp_port());
    OK(zmq_bind(s, ep));
    FAILS(zmq_send(s, "body", 4, 0), EINVAL);                /* no address */
    tu_send_str(s, "127.0.0.1:9", ZMQ_SNDMORE);
    FAILS(zmq_send(s, "more", 4, ZMQ_SNDMORE), EINVAL);     /* a third part */
    tu_send_str(s, "body", 0);
    OK(zmq_close(s));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(60);
    RUN(test_connect_fails);
    RUN(test_roundtrip);
    RUN(test_shapes);
    return tu_done();
}
