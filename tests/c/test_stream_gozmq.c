/* gozmq only: a STREAM socket closes a connection when it sends the
 * peer's routing id followed by an empty message, as zmq_socket(3)
 * documents. Debian's libzmq 4.3.4 leaves the connection open (checked
 * with pyzmq over it), so this does not run against it; see COVERAGE.md. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include "testutil.h"

static void test_empty_message_hangs_up(void)
{
    char ep[256], id[256], buf[8];
    void *ctx = zmq_ctx_new();
    void *s = tu_socket(ctx, ZMQ_STREAM);
    tu_bind(s, "tcp://127.0.0.1:*", ep, sizeof ep);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t) atoi(strrchr(ep, ':') + 1));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(connect(fd, (struct sockaddr *) &a, sizeof a) == 0);
    int idlen = zmq_recv(s, id, sizeof id, 0);
    CHECK(idlen > 0);
    EQ_INT(zmq_recv(s, buf, sizeof buf, 0), 0);
    OK(zmq_send(s, id, (size_t) idlen, ZMQ_SNDMORE));
    OK(zmq_send(s, "", 0, 0));
    struct pollfd p = {fd, POLLIN, 0};
    CHECK(poll(&p, 1, 5000) == 1);
    CHECK(read(fd, buf, sizeof buf) == 0); /* EOF: we hung up */
    close(fd);
    OK(zmq_close(s));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(30);
    RUN(test_empty_message_hangs_up);
    return tu_done();
}
