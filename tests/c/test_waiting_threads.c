/* Several application threads blocked in zmq_recv at once, in a process
 * confined to one CPU. gozmq starts its Go runtime with 2 Ps there and
 * raises them to 4 the first time as many threads wait in the library as
 * there are Ps (capi/procs.go): this runs that raise while other threads
 * are blocked, and checks that every request still gets its reply, in
 * rounds where all the threads wait together.
 *
 * The runtime reads its CPU count when the library loads, so the program
 * first confines itself to one CPU and re-executes itself. */
#include <pthread.h>
#include <sched.h>

#include "testutil.h"

#define THREADS 4
#define ROUNDS 300

static void *reps[THREADS];

static void echo_thread(void *arg)
{
    void *rep = reps[(long) arg];
    for (;;) {
        char buf[16];
        int n = zmq_recv(rep, buf, sizeof buf, 0);
        if (n < 0)
            FAILF("echo thread: zmq_recv errno %d", zmq_errno());
        if (zmq_send(rep, buf, (size_t) n, 0) != n)
            FAILF("echo thread: zmq_send errno %d", zmq_errno());
        if (n == 4 && memcmp(buf, "stop", 4) == 0)
            return;
    }
}

static void test_all_threads_waiting(void)
{
    void *ctx = zmq_ctx_new();
    void *reqs[THREADS];
    void *threads[THREADS];
    for (long i = 0; i < THREADS; i++) {
        char ep[256];
        reps[i] = tu_socket(ctx, ZMQ_REP);
        tu_bind(reps[i], "tcp://127.0.0.1:*", ep, sizeof ep);
        reqs[i] = tu_socket(ctx, ZMQ_REQ);
        tu_set_int(reqs[i], ZMQ_RCVTIMEO, 10000);
        OK(zmq_connect(reqs[i], ep));
        threads[i] = zmq_threadstart(echo_thread, (void *) i);
    }
    for (int r = 0; r < ROUNDS; r++) {
        char body[16];
        int len = snprintf(body, sizeof body, "r%d", r);
        for (int i = 0; i < THREADS; i++)
            EQ_INT(zmq_send(reqs[i], body, (size_t) len, 0), len);
        for (int i = 0; i < THREADS; i++) {
            char got[16];
            EQ_INT(zmq_recv(reqs[i], got, sizeof got, 0), len);
            CHECK(memcmp(got, body, (size_t) len) == 0);
        }
    }
    for (int i = 0; i < THREADS; i++) {
        tu_send_str(reqs[i], "stop", 0);
        tu_recv_str(reqs[i], "stop");
        zmq_threadclose(threads[i]);
        tu_set_int(reqs[i], ZMQ_LINGER, 0);
        OK(zmq_close(reqs[i]));
        OK(zmq_close(reps[i]));
    }
    OK(zmq_ctx_term(ctx));
}

int main(int argc, char *argv[])
{
    if (argc < 2 || strcmp(argv[1], "confined") != 0) {
        cpu_set_t all, one;
        CHECK(sched_getaffinity(0, sizeof all, &all) == 0);
        CPU_ZERO(&one);
        for (int c = 0; c < CPU_SETSIZE; c++)
            if (CPU_ISSET(c, &all)) {
                CPU_SET(c, &one);
                break;
            }
        CHECK(sched_setaffinity(0, sizeof one, &one) == 0);
        char *args[] = {argv[0], "confined", NULL};
        execv("/proc/self/exe", args);
        FAILF("execv: %s", strerror(errno));
    }
    tu_start(60);
    RUN(test_all_threads_waiting);
    return tu_done();
}
