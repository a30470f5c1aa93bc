/* STREAM sockets: raw TCP with routing ids (modelled on libzmq's
 * test_stream, test_stream_empty, test_stream_disconnect): connect and
 * disconnect notifications, raw bytes both ways, closing a peer by
 * sending an empty message. The peer is a plain TCP socket. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include "testutil.h"

static int tcp_connect(const char *ep)
{
    const char *port = strrchr(ep, ':') + 1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t) atoi(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(connect(fd, (struct sockaddr *) &a, sizeof a) == 0);
    return fd;
}

static int recv_id(void *s, char *id)
{
    int n = zmq_recv(s, id, 256, 0);
    CHECK(n > 0 && tu_get_int(s, ZMQ_RCVMORE));
    return n;
}

static void test_server(void)
{
    char ep[256], id[256], buf[64];
    void *ctx = zmq_ctx_new();
    void *s = tu_socket(ctx, ZMQ_STREAM);
    tu_bind(s, "tcp://127.0.0.1:*", ep, sizeof ep);
    int fd = tcp_connect(ep);
    /* Connection notification: [id][empty]. */
    int idlen = recv_id(s, id);
    EQ_INT(zmq_recv(s, buf, sizeof buf, 0), 0);
    /* Raw bytes in... */
    CHECK(write(fd, "GET / HTTP/1.0\r\n\r\n", 18) == 18);
    char id2[256];
    EQ_INT(recv_id(s, id2), idlen);
    CHECK(memcmp(id, id2, (size_t) idlen) == 0);
    int got = 0;
    while (got < 18) {
        int n = zmq_recv(s, buf + got, sizeof buf - (size_t) got, 0);
        CHECK(n > 0);
        got += n;
        if (got < 18)
            recv_id(s, id2);
    }
    CHECK(memcmp(buf, "GET / HTTP/1.0\r\n\r\n", 18) == 0);
    /* ...raw bytes out... */
    OK(zmq_send(s, id, (size_t) idlen, ZMQ_SNDMORE));
    tu_send_str(s, "HTTP/1.0 200 OK\r\n", 0);
    char resp[32] = {0};
    struct pollfd p = {fd, POLLIN, 0};
    CHECK(poll(&p, 1, 5000) == 1);
    CHECK(read(fd, resp, sizeof resp - 1) == 17);
    CHECK(strcmp(resp, "HTTP/1.0 200 OK\r\n") == 0);
    /* (Hanging up with an empty message is checked in
     * test_stream_gozmq: Debian's libzmq 4.3.4 does not close.) */
    close(fd);
    /* The disconnection is announced. */
    recv_id(s, id2);
    EQ_INT(zmq_recv(s, buf, sizeof buf, 0), 0);
    OK(zmq_close(s));
    OK(zmq_ctx_term(ctx));
}

/* The peer closing its end is announced as [id][empty]. */
static void test_peer_disconnects(void)
{
    char ep[256], id[256], buf[8];
    void *ctx = zmq_ctx_new();
    void *s = tu_socket(ctx, ZMQ_STREAM);
    tu_bind(s, "tcp://127.0.0.1:*", ep, sizeof ep);
    int fd = tcp_connect(ep);
    recv_id(s, id);
    EQ_INT(zmq_recv(s, buf, sizeof buf, 0), 0);
    close(fd);
    recv_id(s, id);
    EQ_INT(zmq_recv(s, buf, sizeof buf, 0), 0);
    OK(zmq_close(s));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(30);
    RUN(test_server);
    RUN(test_peer_disconnects);
    return tu_done();
}
