/* gozmq only: after fork() without exec, the child cannot use the library
 * (a Go runtime does not survive fork). Every call that needs it fails at
 * once with ENOTRECOVERABLE and a clear message, instead of hanging; the
 * message functions, pure C, keep working; the parent is unaffected.
 * libzmq has no such guard (its behaviour in the child is undefined), so
 * this runs against gozmq only; see COVERAGE.md. */
#include <sys/wait.h>
#include "testutil.h"

static void test_child_fails_fast(void)
{
    void *ctx = zmq_ctx_new();
    void *s = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_bind(s, "inproc://fork"));
    int pfd[2];
    CHECK(pipe(pfd) == 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        alarm(10); /* a hang fails the child, and so the test */
        int ok = 1;
        errno = 0;
        ok &= zmq_socket(ctx, ZMQ_PAIR) == NULL && zmq_errno() == ENOTRECOVERABLE;
        ok &= zmq_send(s, "x", 1, 0) == -1 && zmq_errno() == ENOTRECOVERABLE;
        ok &= zmq_close(s) == -1 && zmq_errno() == ENOTRECOVERABLE;
        ok &= zmq_ctx_new() == NULL && zmq_errno() == ENOTRECOVERABLE;
        ok &= zmq_ctx_term(ctx) == -1 && zmq_errno() == ENOTRECOVERABLE;
        ok &= strstr(zmq_strerror(ENOTRECOVERABLE), "fork") != NULL;
        zmq_msg_t m; /* pure C: still fine */
        ok &= zmq_msg_init_size(&m, 100) == 0 && zmq_msg_close(&m) == 0;
        char c = ok ? 'y' : 'n';
        if (write(pfd[1], &c, 1) != 1)
            _exit(2);
        _exit(ok ? 0 : 1);
    }
    close(pfd[1]);
    char c = 0;
    CHECK(read(pfd[0], &c, 1) == 1);
    close(pfd[0]);
    int st;
    CHECK(waitpid(pid, &st, 0) == pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0 && c == 'y');
    /* The parent carries on. */
    void *peer = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_connect(peer, "inproc://fork"));
    tu_send_str(peer, "still here", 0);
    tu_recv_str(s, "still here");
    OK(zmq_close(peer));
    OK(zmq_close(s));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(30);
    RUN(test_child_fails_fast);
    return tu_done();
}
