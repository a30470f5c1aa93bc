/* Deprecated ZMQ_SRCFD (after libzmq's test_srcfd): zmq_msg_get reports
 * the descriptor of the connection a message arrived on, so getpeername
 * names the sender; messages that did not come from a connection report
 * -1; the descriptor is closed once the sockets are. */
#include <netdb.h>
#include <sys/socket.h>
#include "testutil.h"

static int recv_srcfd(void *s, size_t want_size)
{
    zmq_msg_t msg;
    OK(zmq_msg_init(&msg));
    OK(zmq_msg_recv(&msg, s, 0));
    EQ_INT(zmq_msg_size(&msg), want_size);
    int fd = zmq_msg_get(&msg, ZMQ_SRCFD);
    OK(zmq_msg_close(&msg));
    return fd;
}

static void test_tcp(void)
{
    void *ctx = zmq_ctx_new();
    void *rep = tu_socket(ctx, ZMQ_REP), *req = tu_socket(ctx, ZMQ_REQ);
    char ep[256];
    tu_bind(rep, "tcp://127.0.0.1:*", ep, sizeof ep);
    OK(zmq_connect(req, ep));
    char tmp[20] = {0};
    EQ_INT(zmq_send(req, tmp, sizeof tmp, 0), sizeof tmp);
    int fd = recv_srcfd(rep, sizeof tmp);
    CHECK(fd >= 0);
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    EQ_INT(getpeername(fd, (struct sockaddr *) &ss, &len), 0);
    char host[NI_MAXHOST];
    EQ_INT(getnameinfo((struct sockaddr *) &ss, len, host, sizeof host, NULL, 0, NI_NUMERICHOST), 0);
    CHECK(strcmp(host, "127.0.0.1") == 0);
    /* Larger bodies (stored differently) carry it too. */
    static char big[100000];
    for (int i = 0; i < 2; i++) {
        size_t n = i ? sizeof big : 100;
        EQ_INT(zmq_send(rep, big, n, 0), (int) n);
        int rfd = recv_srcfd(req, n);
        CHECK(rfd >= 0 && rfd != fd);
        EQ_INT(zmq_send(req, big, n, 0), (int) n);
        EQ_INT(recv_srcfd(rep, n), fd);
    }
    /* The reply carries the REQ side's own descriptor, a different one. */
    EQ_INT(zmq_send(rep, "r", 1, 0), 1);
    int fd2 = recv_srcfd(req, 1);
    CHECK(fd2 >= 0 && fd2 != fd);
    OK(zmq_close(rep));
    OK(zmq_close(req));
    OK(zmq_ctx_term(ctx)); /* every connection is closed by now */
    len = sizeof ss;
    CHECK(getpeername(fd, (struct sockaddr *) &ss, &len) == -1 && errno == EBADF);
}

static void test_ipc(void)
{
    void *ctx = zmq_ctx_new();
    void *pull = tu_socket(ctx, ZMQ_PULL), *push = tu_socket(ctx, ZMQ_PUSH);
    char ep[256];
    tu_bind(pull, tu_ipc_endpoint(ep, sizeof ep, "srcfd"), ep, sizeof ep);
    OK(zmq_connect(push, ep));
    EQ_INT(zmq_send(push, "ab", 2, 0), 2);
    int fd = recv_srcfd(pull, 2);
    CHECK(fd >= 0);
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    EQ_INT(getsockname(fd, (struct sockaddr *) &ss, &len), 0);
    EQ_INT(ss.ss_family, AF_UNIX);
    OK(zmq_close(push));
    OK(zmq_close(pull));
    OK(zmq_ctx_term(ctx));
}

static void test_no_connection(void)
{
    void *ctx = zmq_ctx_new();
    void *a = tu_socket(ctx, ZMQ_PAIR), *b = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_bind(a, "inproc://srcfd"));
    OK(zmq_connect(b, "inproc://srcfd"));
    EQ_INT(zmq_send(b, "x", 1, 0), 1);
    EQ_INT(recv_srcfd(a, 1), -1);
    zmq_msg_t local;
    OK(zmq_msg_init_size(&local, 3));
    EQ_INT(zmq_msg_get(&local, ZMQ_SRCFD), -1);
    OK(zmq_msg_close(&local));
    OK(zmq_close(a));
    OK(zmq_close(b));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(30);
    RUN(test_tcp);
    RUN(test_ipc);
    RUN(test_no_connection);
    return tu_done();
}
