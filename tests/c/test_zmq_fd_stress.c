/* ZMQ_FD under load (issue 4's stress test): a second process sends
 * 100 000 messages while this one waits in epoll on the receiving
 * socket's ZMQ_FD, edge-triggered, following the documented contract
 * (after each wake-up, and after every receive, read ZMQ_EVENTS and keep
 * receiving while it reports POLLIN). A lost wake-up shows up as a
 * stall, which the bounded epoll wait turns into a failure. */
#include <errno.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include "testutil.h"

#define COUNT 100000

static int sender(const char *ep)
{
    void *ctx = zmq_ctx_new();
    void *push = zmq_socket(ctx, ZMQ_PUSH);
    tu_set_int(push, ZMQ_SNDHWM, 100); /* keep the pipes short: many edges */
    OK(zmq_connect(push, ep));
    char body[16] = "0123456789abcdef";
    for (int i = 0; i < COUNT; i++)
        CHECK(zmq_send(push, body, sizeof body, 0) == sizeof body);
    OK(zmq_close(push)); /* LINGER -1: everything is delivered */
    OK(zmq_ctx_term(ctx));
    return 0;
}

static void test_epoll_on_zmq_fd(void)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    void *pull = tu_socket(ctx, ZMQ_PULL);
    tu_set_int(pull, ZMQ_RCVHWM, 100);
    tu_bind(pull, "tcp://127.0.0.1:*", ep, sizeof ep);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        /* A fresh process image: the library does not survive fork. */
        char *args[] = {"/proc/self/exe", "send", ep, NULL};
        execv("/proc/self/exe", args);
        _exit(127);
    }
    int fd;
    size_t len = sizeof fd;
    OK(zmq_getsockopt(pull, ZMQ_FD, &fd, &len));
    int ep_fd = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.fd = fd};
    CHECK(epoll_ctl(ep_fd, EPOLL_CTL_ADD, fd, &ev) == 0);
    int got = 0, wakeups = 0;
    char buf[32];
    while (got < COUNT) {
        /* Drain everything ZMQ_EVENTS says is there. */
        while (tu_get_int(pull, ZMQ_EVENTS) & ZMQ_POLLIN) {
            CHECK(zmq_recv(pull, buf, sizeof buf, ZMQ_DONTWAIT) == 16);
            got++;
        }
        if (got == COUNT)
            break;
        struct epoll_event out;
        int n = epoll_wait(ep_fd, &out, 1, 10000);
        /* A signal can always interrupt a wait; here it can also be the
         * Go runtime's preemption signal (README, "Signals"): retry. */
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0)
            FAILF("stalled after %d messages: a wake-up was lost", got);
        CHECK(n == 1);
        wakeups++;
    }
    EQ_INT(got, COUNT);
    CHECK(wakeups > 0);
    int st;
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    close(ep_fd);
    OK(zmq_close(pull));
    OK(zmq_ctx_term(ctx));
}

int main(int argc, char **argv)
{
    tu_start(120);
    if (argc == 3 && strcmp(argv[1], "send") == 0)
        return sender(argv[2]);
    RUN(test_epoll_on_zmq_fd);
    return tu_done();
}
