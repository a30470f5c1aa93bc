/* Draft zmq_ppoll signal handling (after libzmq's test_zmq_ppoll_signals,
 * without its fork: a Go runtime does not survive fork, so signals are
 * sent to this thread with pthread_kill). A signal the thread blocks is
 * held pending through ordinary work and delivered only inside zmq_ppoll
 * when the given mask unblocks it: the call fails with EINTR and the
 * handler has run. Signals the mask keeps blocked do not interrupt, and
 * the next zmq_ppoll still sees a socket become ready. */
#include <pthread.h>
#include "testutil.h"

static volatile sig_atomic_t got_usr1, got_usr2;
static void on_usr1(int sig) { (void) sig; got_usr1 = 1; }
static void on_usr2(int sig) { (void) sig; got_usr2 = 1; }

static void install(int sig, void (*fn)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(sig, &sa, NULL) == 0);
}

/* A helper thread that waits for a request on a socket and answers it,
 * so the main thread's wait can end on socket activity. */
static void responder(void *sock)
{
    char buf[16];
    if (zmq_recv(sock, buf, sizeof buf, 0) >= 0)
        zmq_send(sock, "one-niner", 9, 0);
}

static void test_ppoll_signals(void)
{
    install(SIGUSR1, on_usr1);
    install(SIGUSR2, on_usr2);
    sigset_t block, waitmask, old;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigaddset(&block, SIGUSR2);
    CHECK(pthread_sigmask(SIG_BLOCK, &block, &old) == 0);
    waitmask = old; /* during zmq_ppoll: SIGUSR1 allowed, SIGUSR2 held */
    sigdelset(&waitmask, SIGUSR1);
    sigaddset(&waitmask, SIGUSR2);

    void *ctx = zmq_ctx_new();
    void *req = tu_socket(ctx, ZMQ_REQ), *rep = tu_socket(ctx, ZMQ_REP);
    char ep[256];
    tu_bind(rep, "tcp://127.0.0.1:*", ep, sizeof ep);
    OK(zmq_connect(req, ep));
    tu_send_str(req, "breaker breaker", 0);
    tu_recv_str(rep, "breaker breaker");
    tu_send_str(rep, "one-niner", 0);
    zmq_pollitem_t it = {req, 0, ZMQ_POLLIN, 0};

    /* SIGUSR2 stays blocked in the wait: no interruption, a timeout. */
    CHECK(pthread_kill(pthread_self(), SIGUSR2) == 0);
    CHECK(!got_usr2);
    tu_recv_str(req, "one-niner");
    EQ_INT(zmq_ppoll(&it, 1, 50, &waitmask), 0);
    CHECK(!got_usr2);

    /* SIGUSR1 arrives while blocked, during ordinary calls (it stays
     * pending), and is delivered by the next zmq_ppoll: EINTR. */
    CHECK(pthread_kill(pthread_self(), SIGUSR1) == 0);
    tu_send_str(req, "breaker breaker", 0);
    CHECK(!got_usr1);
    FAILS(zmq_ppoll(&it, 1, -1, &waitmask), EINTR);
    CHECK(got_usr1);
    CHECK(!got_usr2);

    /* The next zmq_ppoll waits for the socket as usual. */
    void *t = zmq_threadstart(responder, rep);
    CHECK(t != NULL);
    EQ_INT(zmq_ppoll(&it, 1, 5000, &waitmask), 1);
    CHECK(it.revents & ZMQ_POLLIN);
    tu_recv_str(req, "one-niner");
    zmq_threadclose(t);

    /* A NULL mask keeps the thread's own: SIGUSR1, blocked, waits. */
    got_usr1 = 0;
    CHECK(pthread_kill(pthread_self(), SIGUSR1) == 0);
    EQ_INT(zmq_ppoll(&it, 1, 20, NULL), 0);
    CHECK(!got_usr1);

    OK(zmq_close(req));
    OK(zmq_close(rep));
    OK(zmq_ctx_term(ctx));
    /* Unblocking delivers what is still pending. */
    CHECK(pthread_sigmask(SIG_SETMASK, &old, NULL) == 0);
    CHECK(got_usr1 && got_usr2);
}

int main(void)
{
    tu_start(30);
    RUN(test_ppoll_signals);
    return tu_done();
}
