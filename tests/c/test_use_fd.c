/* ZMQ_USE_FD and ZMQ_BACKLOG (modelled on libzmq's test_use_fd): bind on
 * a listening socket made by the application; the backlog is accepted. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "testutil.h"

static void test_tcp_fd(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(fd, (struct sockaddr *) &a, sizeof a) == 0 && listen(fd, 8) == 0);
    socklen_t len = sizeof a;
    getsockname(fd, (struct sockaddr *) &a, &len);
    char ep[64];
    snprintf(ep, sizeof ep, "tcp://127.0.0.1:%d", ntohs(a.sin_port));

    void *ctx = zmq_ctx_new();
    void *pull = tu_socket(ctx, ZMQ_PULL), *push = tu_socket(ctx, ZMQ_PUSH);
    tu_set_int(pull, ZMQ_USE_FD, fd);
    EQ_INT(tu_get_int(pull, ZMQ_USE_FD), fd);
    tu_set_int(pull, ZMQ_BACKLOG, 5);
    OK(zmq_bind(pull, ep));
    OK(zmq_connect(push, ep));
    tu_send_str(push, "via fd", 0);
    tu_recv_str(pull, "via fd");
    OK(zmq_close(push));
    OK(zmq_close(pull));
    OK(zmq_ctx_term(ctx));
    close(fd);
}

static void test_ipc_fd(void)
{
    char ep[256];
    tu_ipc_endpoint(ep, sizeof ep, "usefd.sock");
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = {0};
    a.sun_family = AF_UNIX;
    strncpy(a.sun_path, ep + 6, sizeof a.sun_path - 1);
    CHECK(bind(fd, (struct sockaddr *) &a, sizeof a) == 0 && listen(fd, 8) == 0);
    void *ctx = zmq_ctx_new();
    void *pull = tu_socket(ctx, ZMQ_PULL), *push = tu_socket(ctx, ZMQ_PUSH);
    tu_set_int(pull, ZMQ_USE_FD, fd);
    OK(zmq_bind(pull, ep));
    OK(zmq_connect(push, ep));
    tu_send_str(push, "via ipc fd", 0);
    tu_recv_str(pull, "via ipc fd");
    OK(zmq_close(push));
    OK(zmq_close(pull));
    OK(zmq_ctx_term(ctx));
    close(fd);
}

int main(void)
{
    tu_start(30);
    RUN(test_tcp_fd);
    RUN(test_ipc_fd);
    return tu_done();
}
