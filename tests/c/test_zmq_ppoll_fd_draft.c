/* Draft zmq_ppoll with file descriptors (after libzmq's test_zmq_ppoll_fd):
 * a raw UDP socket and a ZeroMQ socket in one item list; only the fd that
 * has data is reported. With a NULL sigmask zmq_ppoll is zmq_poll:
 * timeouts, socket readiness and argument errors. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "testutil.h"

static void test_ppoll_fd(void)
{
    int rx = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(rx >= 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(rx, (struct sockaddr *) &sa, sizeof sa) == 0);
    socklen_t len = sizeof sa;
    CHECK(getsockname(rx, (struct sockaddr *) &sa, &len) == 0);

    void *ctx = zmq_ctx_new();
    void *rep = tu_socket(ctx, ZMQ_REP);
    OK(zmq_bind(rep, "tcp://127.0.0.1:*"));
    zmq_pollitem_t items[] = {{rep, 0, ZMQ_POLLIN, 0}, {NULL, rx, ZMQ_POLLIN, 0}};

    /* Nothing yet: the timeout passes. */
    EQ_INT(zmq_ppoll(items, 2, 10, NULL), 0);

    int tx = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(tx >= 0);
    char buf[10];
    memset(buf, 1, sizeof buf);
    CHECK(sendto(tx, buf, sizeof buf, 0, (struct sockaddr *) &sa, sizeof sa) == (ssize_t) sizeof buf);
    EQ_INT(zmq_ppoll(items, 2, 5000, NULL), 1);
    EQ_INT(items[0].revents & ZMQ_POLLIN, 0);
    CHECK(items[1].revents & ZMQ_POLLIN);
    close(tx);
    close(rx);
    OK(zmq_close(rep));
    OK(zmq_ctx_term(ctx));
}

static void test_ppoll_sockets(void)
{
    void *ctx = zmq_ctx_new();
    void *a = tu_socket(ctx, ZMQ_PAIR), *b = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_bind(a, "inproc://ppoll"));
    OK(zmq_connect(b, "inproc://ppoll"));
    zmq_pollitem_t it = {a, 0, ZMQ_POLLIN, 0};
    EQ_INT(zmq_ppoll(&it, 1, 0, NULL), 0);
    tu_send_str(b, "x", 0);
    EQ_INT(zmq_ppoll(&it, 1, -1, NULL), 1);
    EQ_INT(it.revents, ZMQ_POLLIN);
    /* An empty signal mask (nothing blocked) changes nothing here. */
    sigset_t none;
    sigemptyset(&none);
    EQ_INT(zmq_ppoll(&it, 1, 1000, &none), 1);
    tu_recv_str(a, "x");
    EQ_INT(zmq_ppoll(&it, 1, 10, &none), 0);
    /* Errors as zmq_ppoll(3) gives them; no items is a bounded wait. */
    FAILS(zmq_ppoll(NULL, 1, 0, NULL), EFAULT);
    FAILS(zmq_ppoll(&it, -1, 0, NULL), EINVAL);
    EQ_INT(zmq_ppoll(NULL, 0, 10, &none), 0);
    OK(zmq_close(a));
    OK(zmq_close(b));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(30);
    RUN(test_ppoll_fd);
    RUN(test_ppoll_sockets);
    return tu_done();
}
