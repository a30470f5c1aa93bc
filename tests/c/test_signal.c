/* A blocking call returns EINTR when its thread receives a signal whose
 * handler was installed without SA_RESTART: pyzmq turns that into
 * KeyboardInterrupt. Covers zmq_recv, zmq_send (blocked at HWM), zmq_poll
 * and zmq_msg_recv. */
#include <pthread.h>
#include <signal.h>
#include "testutil.h"

static volatile sig_atomic_t hits;
static void on_usr1(int sig)
{
    (void) sig;
    hits++;
}

typedef struct {
    void *s;
    int op; /* 0 recv, 1 send, 2 poll, 3 msg_recv */
    volatile int started;
    int rc, err;
} job_t;

static void *blocker(void *p)
{
    job_t *j = p;
    char buf[8];
    j->started = 1;
    switch (j->op) {
    case 0:
        j->rc = zmq_recv(j->s, buf, sizeof buf, 0);
        break;
    case 1:
        j->rc = zmq_send(j->s, "x", 1, 0);
        break;
    case 2: {
        zmq_pollitem_t it = {j->s, 0, ZMQ_POLLIN, 0};
        j->rc = zmq_poll(&it, 1, -1);
        break;
    }
    default: {
        zmq_msg_t m;
        zmq_msg_init(&m);
        j->rc = zmq_msg_recv(&m, j->s, 0);
        zmq_msg_close(&m);
    }
    }
    j->err = zmq_errno();
    return NULL;
}

/* Signals the thread until its call returns (a signal that lands before
 * the call blocks is absorbed by the handler; the next one interrupts). */
static void interrupt(job_t *j)
{
    pthread_t t;
    j->rc = 0;
    j->err = 0;
    j->started = 0;
    int done = 0;
    pthread_create(&t, NULL, blocker, j);
    for (int i = 0; i < 500 && !done; i++) {
        zmq_poll(NULL, 0, 10);
        if (j->started)
            pthread_kill(t, SIGUSR1);
        done = j->err != 0 || j->rc != 0;
    }
    pthread_join(t, NULL);
    EQ_INT(j->rc, -1);
    EQ_INT(j->err, EINTR);
}

int main(void)
{
    tu_start(60);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1; /* no SA_RESTART */
    sigaction(SIGUSR1, &sa, NULL);

    void *ctx = zmq_ctx_new();
    void *pull = zmq_socket(ctx, ZMQ_PULL);
    tu_set_int(pull, ZMQ_LINGER, 0);
    OK(zmq_bind(pull, "inproc://sig"));
    void *push = zmq_socket(ctx, ZMQ_PUSH);
    tu_set_int(push, ZMQ_LINGER, 0);
    tu_set_int(push, ZMQ_SNDHWM, 1);
    OK(zmq_bind(push, "tcp://127.0.0.1:*")); /* no peer: send blocks */

    job_t j = {pull, 0, 0, 0, 0};
    tu_case = "recv";
    interrupt(&j);
    tu_passed++;
    tu_case = "send";
    j.s = push;
    j.op = 1;
    interrupt(&j);
    tu_passed++;
    tu_case = "poll";
    j.s = pull;
    j.op = 2;
    interrupt(&j);
    tu_passed++;
    tu_case = "msg_recv";
    j.op = 3;
    interrupt(&j);
    tu_passed++;
    CHECK(hits > 0);

    /* The socket still works after an interrupted call. */
    void *feed = zmq_socket(ctx, ZMQ_PUSH);
    tu_set_int(feed, ZMQ_LINGER, 0);
    OK(zmq_connect(feed, "inproc://sig"));
    tu_set_int(pull, ZMQ_RCVTIMEO, 5000);
    tu_send_str(feed, "after", 0);
    tu_recv_str(pull, "after");
    OK(zmq_close(feed));
    OK(zmq_close(push));
    OK(zmq_close(pull));
    OK(zmq_ctx_term(ctx));
    return tu_done();
}
