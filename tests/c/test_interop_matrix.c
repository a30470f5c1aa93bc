/* Every compatible pair of socket types, one side on each library, in
 * two processes (the peer re-executes this program under the other
 * library, as test_interop does), over tcp and ipc: request/reply with
 * multipart bodies through REQ, REP, DEALER and ROUTER, and publish/
 * subscribe with filtering through PUB, SUB, XPUB and XSUB. */
#include <poll.h>
#include <sys/wait.h>
#include "testutil.h"

#define ROUNDS 5

static void *ctx;

/* ---- the peer side ------------------------------------------------------ */

static int stdin_closed(void)
{
    struct pollfd p = {0, POLLIN, 0};
    char c;
    return poll(&p, 1, 0) > 0 && read(0, &c, 1) <= 0;
}

/* Lengths of the parts last received (routing ids are binary, so parts
 * are not C strings). */
static int lens[8];

/* Receives one whole message into parts (at most 8). */
static int recv_parts(void *s, char parts[][64], int *n)
{
    int more = 1;
    *n = 0;
    while (more && *n < 8) {
        int len = zmq_recv(s, parts[*n], 63, 0);
        if (len < 0)
            return -1;
        parts[*n][len] = 0;
        lens[*n] = len;
        (*n)++;
        more = tu_get_int(s, ZMQ_RCVMORE);
    }
    return 0;
}

/* Sends parts; binary ones (received) keep their lengths when echoed. */
static void send_echo(void *s, char parts[][64], int n)
{
    for (int i = 0; i < n; i++)
        CHECK(zmq_send(s, parts[i], (size_t) lens[i], i + 1 < n ? ZMQ_SNDMORE : 0) >= 0);
}

static void send_parts(void *s, char parts[][64], int n)
{
    for (int i = 0; i < n; i++)
        CHECK(zmq_send(s, parts[i], strlen(parts[i]), i + 1 < n ? ZMQ_SNDMORE : 0) >= 0);
}

static int peer(const char *role, const char *ep)
{
    tu_case = role;
    void *c = zmq_ctx_new();
    char parts[8][64];
    int n;
    int type = strcmp(role, "rep") == 0           ? ZMQ_REP
               : strcmp(role, "router") == 0      ? ZMQ_ROUTER
               : strcmp(role, "dealer") == 0      ? ZMQ_DEALER
               : strcmp(role, "dealer_client") == 0 ? ZMQ_DEALER
               : strcmp(role, "req") == 0         ? ZMQ_REQ
               : strcmp(role, "sub") == 0         ? ZMQ_SUB
               : strcmp(role, "xsub") == 0        ? ZMQ_XSUB
               : strcmp(role, "pub") == 0         ? ZMQ_PUB
                                                  : ZMQ_XPUB;
    void *s = tu_socket(c, type);
    tu_set_int(s, ZMQ_RCVTIMEO, 20000);
    tu_set_int(s, ZMQ_LINGER, 5000); /* the last reply must still go out */
    OK(zmq_connect(s, ep));
    if (type == ZMQ_REP || type == ZMQ_ROUTER || strcmp(role, "dealer") == 0) {
        /* Echo servers: send back what came in (ROUTER and DEALER echo
         * their envelope too, so the reply finds its way). */
        for (int r = 0; r < ROUNDS; r++) {
            OK(recv_parts(s, parts, &n));
            send_echo(s, parts, n);
        }
    } else if (type == ZMQ_REQ || type == ZMQ_DEALER) {
        for (int r = 0; r < ROUNDS; r++) {
            char body[64];
            snprintf(body, sizeof body, "request %d", r);
            int k = 0;
            if (type == ZMQ_DEALER)
                strcpy(parts[k++], "");
            strcpy(parts[k++], body);
            strcpy(parts[k++], "tail");
            send_parts(s, parts, k);
            OK(recv_parts(s, parts, &n));
            CHECK(n == k && strcmp(parts[k - 2], body) == 0 && strcmp(parts[k - 1], "tail") == 0);
        }
    } else if (type == ZMQ_SUB || type == ZMQ_XSUB) {
        if (type == ZMQ_SUB)
            OK(zmq_setsockopt(s, ZMQ_SUBSCRIBE, "A", 1));
        else
            CHECK(zmq_send(s, "\1A", 2, 0) == 2);
        for (int r = 0; r < ROUNDS; r++) {
            OK(recv_parts(s, parts, &n));
            CHECK(parts[0][0] == 'A'); /* B was filtered by the publisher */
        }
    } else {
        /* Publishers: XPUB first sees the subscription, then both publish
         * until the parent closes our stdin. */
        if (type == ZMQ_XPUB) {
            char sub[8];
            CHECK(zmq_recv(s, sub, sizeof sub, 0) == 2 && sub[0] == 1 && sub[1] == 'A');
        }
        for (int i = 0; i < 20000 && !stdin_closed(); i++) {
            zmq_send(s, "B-not-wanted", 12, 0);
            zmq_send(s, "A-wanted", 8, 0);
            zmq_poll(NULL, 0, 2);
        }
    }
    OK(zmq_close(s));
    OK(zmq_ctx_term(c));
    return 0;
}

/* ---- the parent side ------------------------------------------------------ */

static pid_t spawn(const char *role, const char *ep, int *stdin_fd)
{
    const char *libdir = getenv("GOZMQ_LIB_DIR");
    CHECK(libdir != NULL);
    int ours = tu_is_gozmq();
    int p[2];
    CHECK(pipe(p) == 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        dup2(p[0], 0);
        close(p[1]);
        setenv("LD_LIBRARY_PATH", ours ? "" : libdir, 1);
        unsetenv("GOZMQ_UNDER");
        char *args[] = {"/proc/self/exe", "peer", (char *) role, (char *) ep, NULL};
        execv("/proc/self/exe", args);
        _exit(127);
    }
    close(p[0]);
    *stdin_fd = p[1];
    return pid;
}

static void reap(pid_t pid, const char *what)
{
    int st = 0;
    CHECK(waitpid(pid, &st, 0) == pid);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        FAILF("%s: peer failed (status %d)", what, st);
}

static void run(int type, const char *role, const char *bind_ep)
{
    char ep[256], parts[8][64], what[64];
    int n, in;
    snprintf(what, sizeof what, "type %d with %s", type, role);
    tu_case = what;
    void *s = tu_socket(ctx, type);
    tu_set_int(s, ZMQ_RCVTIMEO, 20000);
    tu_bind(s, bind_ep, ep, sizeof ep);
    if (type == ZMQ_SUB)
        OK(zmq_setsockopt(s, ZMQ_SUBSCRIBE, "A", 1));
    if (type == ZMQ_XSUB)
        CHECK(zmq_send(s, "\1A", 2, 0) == 2);
    pid_t pid = spawn(role, ep, &in);
    for (int r = 0; r < ROUNDS; r++) {
        char body[64];
        snprintf(body, sizeof body, "payload %d", r);
        switch (type) {
        case ZMQ_REQ:
            strcpy(parts[0], body);
            strcpy(parts[1], "second part");
            send_parts(s, parts, 2);
            OK(recv_parts(s, parts, &n));
            CHECK(n == 2 && strcmp(parts[0], body) == 0);
            break;
        case ZMQ_DEALER:
            strcpy(parts[0], "");
            strcpy(parts[1], body);
            send_parts(s, parts, 2);
            OK(recv_parts(s, parts, &n));
            CHECK(n == 2 && parts[0][0] == 0 && strcmp(parts[1], body) == 0);
            break;
        case ZMQ_ROUTER:
        case ZMQ_REP:
            /* The peer is the client: echo what it asks. */
            OK(recv_parts(s, parts, &n));
            send_echo(s, parts, n);
            break;
        default: /* SUB, XSUB */
            OK(recv_parts(s, parts, &n));
            CHECK(parts[0][0] == 'A');
        }
    }
    close(in);
    reap(pid, what);
    OK(zmq_close(s));
}

/* Publishers run until the subscriber has had its fill: its exit status
 * is the verdict. */
static void run_pubsub(int type, const char *role, const char *bind_ep)
{
    char ep[256], what[64];
    int in;
    snprintf(what, sizeof what, "type %d with %s", type, role);
    tu_case = what;
    void *s = tu_socket(ctx, type);
    tu_set_int(s, ZMQ_RCVTIMEO, 20000);
    tu_bind(s, bind_ep, ep, sizeof ep);
    pid_t pid = spawn(role, ep, &in);
    if (type == ZMQ_XPUB) {
        char sub[8];
        CHECK(zmq_recv(s, sub, sizeof sub, 0) == 2 && sub[0] == 1 && sub[1] == 'A');
    }
    int st = 0;
    pid_t done = 0;
    for (int i = 0; i < 20000 && done == 0; i++) {
        zmq_send(s, "B-not-wanted", 12, 0);
        zmq_send(s, "A-wanted", 8, 0);
        zmq_poll(NULL, 0, 2);
        done = waitpid(pid, &st, WNOHANG);
    }
    close(in);
    if (done == 0)
        CHECK(waitpid(pid, &st, 0) == pid);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        FAILF("%s: subscriber failed (status %d)", what, st);
    OK(zmq_close(s));
}

static void matrix(const char *ep)
{
    run(ZMQ_REQ, "rep", ep);
    run(ZMQ_REQ, "router", ep);
    run(ZMQ_DEALER, "rep", ep);
    run(ZMQ_DEALER, "router", ep);
    run(ZMQ_DEALER, "dealer", ep);
    run(ZMQ_ROUTER, "req", ep);
    run(ZMQ_ROUTER, "dealer_client", ep);
    run(ZMQ_REP, "req", ep);
    run(ZMQ_REP, "dealer_client", ep);
    run(ZMQ_SUB, "pub", ep);
    run(ZMQ_SUB, "xpub", ep);
    run(ZMQ_XSUB, "pub", ep);
    run(ZMQ_XSUB, "xpub", ep);
    run_pubsub(ZMQ_PUB, "sub", ep);
    run_pubsub(ZMQ_PUB, "xsub", ep);
    run_pubsub(ZMQ_XPUB, "sub", ep);
    run_pubsub(ZMQ_XPUB, "xsub", ep);
}

static void test_tcp(void) { matrix("tcp://127.0.0.1:*"); }
static void test_ipc(void) { matrix("ipc://*"); }

int main(int argc, char **argv)
{
    tu_start(240);
    if (argc == 4 && strcmp(argv[1], "peer") == 0)
        return peer(argv[2], argv[3]);
    ctx = zmq_ctx_new();
    RUN(test_tcp);
    RUN(test_ipc);
    OK(zmq_ctx_term(ctx));
    return tu_done();
}
