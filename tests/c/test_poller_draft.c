/* The draft zmq_poller_* API (modelled on libzmq's test_poller): sockets
 * and fds with user data, modify/remove, timeouts, error cases. Runs on
 * gozmq's draft build only (Debian's libzmq has no draft API). */
#include "testutil.h"

static void test_sockets_and_fds(void)
{
    void *ctx = zmq_ctx_new();
    void *a = tu_socket(ctx, ZMQ_PAIR), *b = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_bind(a, "inproc://poller"));
    OK(zmq_connect(b, "inproc://poller"));
    int p[2];
    CHECK(pipe(p) == 0);
    void *poller = zmq_poller_new();
    CHECK(poller != NULL);
    int tag_a = 1, tag_fd = 2;
    OK(zmq_poller_add(poller, a, &tag_a, ZMQ_POLLIN));
    OK(zmq_poller_add_fd(poller, p[0], &tag_fd, ZMQ_POLLIN));
    EQ_INT(zmq_poller_size(poller), 2);
    FAILS(zmq_poller_add(poller, a, NULL, ZMQ_POLLIN), EINVAL); /* twice */
    zmq_poller_event_t ev[4];
    FAILS(zmq_poller_wait_all(poller, ev, 4, 0), EAGAIN);
    tu_send_str(b, "x", 0);
    CHECK(write(p[1], "y", 1) == 1);
    EQ_INT(zmq_poller_wait_all(poller, ev, 4, 5000), 2);
    CHECK(ev[0].socket == a && ev[0].user_data == &tag_a && ev[0].events == ZMQ_POLLIN);
    CHECK(ev[1].socket == NULL && ev[1].fd == p[0] && ev[1].user_data == &tag_fd);
    OK(zmq_poller_wait(poller, ev, 0));
    tu_recv_str(a, "x");
    char c;
    CHECK(read(p[0], &c, 1) == 1);
    /* Modify: now only POLLOUT on a, which is writable. */
    OK(zmq_poller_modify(poller, a, ZMQ_POLLOUT));
    EQ_INT(zmq_poller_wait_all(poller, ev, 4, 0), 1);
    EQ_INT(ev[0].events, ZMQ_POLLOUT);
    OK(zmq_poller_remove(poller, a));
    FAILS(zmq_poller_remove(poller, a), EINVAL);
    OK(zmq_poller_remove_fd(poller, p[0]));
    EQ_INT(zmq_poller_size(poller), 0);
    FAILS(zmq_poller_wait(poller, ev, -1), EFAULT); /* nothing to wait for */
    FAILS(zmq_poller_add(poller, NULL, NULL, ZMQ_POLLIN), ENOTSOCK);
    FAILS(zmq_poller_add_fd(poller, -1, NULL, ZMQ_POLLIN), EBADF);
    zmq_fd_t fd;
    FAILS(zmq_poller_fd(poller, &fd), EINVAL);
    OK(zmq_poller_destroy(&poller));
    CHECK(poller == NULL);
    close(p[0]);
    close(p[1]);
    OK(zmq_close(a));
    OK(zmq_close(b));
    OK(zmq_ctx_term(ctx));
}

static void test_draft_msg_functions(void)
{
    zmq_msg_t m;
    OK(zmq_msg_init_buffer(&m, "abc", 3));
    CHECK(memcmp(zmq_msg_data(&m), "abc", 3) == 0);
    OK(zmq_msg_set_routing_id(&m, 42));
    EQ_INT(zmq_msg_routing_id(&m), 42);
    OK(zmq_msg_set_group(&m, "grp"));
    CHECK(strcmp(zmq_msg_group(&m), "grp") == 0);
    OK(zmq_msg_close(&m));
}

int main(void)
{
    tu_start(30);
    RUN(test_sockets_and_fds);
    RUN(test_draft_msg_functions);
    return tu_done();
}
