/* Interop with a peer running the OTHER library in another process: this
 * program re-executes itself as the peer with LD_LIBRARY_PATH switched, so
 * under gozmq the peer is Debian's libzmq and under libzmq it is gozmq.
 * Both directions, PUSH/PULL and PAIR, over tcp and ipc, with multipart
 * messages of 0, 30, 255, 256, 64 KiB and 8 MiB parts checked byte by
 * byte. */
#include <sys/wait.h>
#include "testutil.h"

static const size_t sizes[] = {0, 30, 255, 256, 65536, 8 << 20};
#define NPARTS (sizeof sizes / sizeof *sizes)
#define ROUNDS 3

static unsigned char pattern(size_t part, size_t j, int round)
{
    return (unsigned char) (part * 31 + j * 7 + (size_t) round);
}

static void send_message(void *s, int round)
{
    for (size_t i = 0; i < NPARTS; i++) {
        zmq_msg_t m;
        OK(zmq_msg_init_size(&m, sizes[i]));
        unsigned char *p = zmq_msg_data(&m);
        for (size_t j = 0; j < sizes[i]; j++)
            p[j] = pattern(i, j, round);
        EQ_INT(zmq_msg_send(&m, s, i + 1 < NPARTS ? ZMQ_SNDMORE : 0), (int) sizes[i]);
    }
}

static void recv_message(void *s, int round)
{
    for (size_t i = 0; i < NPARTS; i++) {
        zmq_msg_t m;
        OK(zmq_msg_init(&m));
        EQ_INT(zmq_msg_recv(&m, s, 0), (int) sizes[i]);
        const unsigned char *p = zmq_msg_data(&m);
        for (size_t j = 0; j < sizes[i]; j++)
            if (p[j] != pattern(i, j, round))
                FAILF("round %d part %zu byte %zu differs", round, i, j);
        EQ_INT(zmq_msg_more(&m), i + 1 < NPARTS);
        OK(zmq_msg_close(&m));
    }
}

/* Echo a message back part by part (PAIR peer). */
static void echo_message(void *s)
{
    int more = 1;
    while (more) {
        zmq_msg_t m;
        OK(zmq_msg_init(&m));
        CHECK(zmq_msg_recv(&m, s, 0) >= 0);
        more = zmq_msg_more(&m);
        CHECK(zmq_msg_send(&m, s, more ? ZMQ_SNDMORE : 0) >= 0);
    }
}

/* The peer process: argv = self "peer" role endpoint expected-library. */
static int peer_main(const char *role, const char *ep, const char *lib)
{
    tu_case = role;
    if ((strcmp(lib, "gozmq") == 0) != tu_is_gozmq())
        FAILF("peer should run on %s", lib);
    void *ctx = zmq_ctx_new();
    int type = strcmp(role, "pull") == 0 ? ZMQ_PULL : strcmp(role, "push") == 0 ? ZMQ_PUSH : ZMQ_PAIR;
    void *s = tu_socket(ctx, type);
    tu_set_int(s, ZMQ_LINGER, 5000);
    /* As long as the test's own side waits (a loaded machine running the
     * sanitizer build once took over 5 s for a round). */
    tu_set_int(s, ZMQ_RCVTIMEO, 20000);
    tu_set_int(s, ZMQ_SNDTIMEO, 20000);
    OK(zmq_connect(s, ep));
    for (int r = 0; r < ROUNDS; r++) {
        if (type == ZMQ_PULL)
            recv_message(s, r);
        else if (type == ZMQ_PUSH)
            send_message(s, r);
        else
            echo_message(s);
    }
    OK(zmq_close(s));
    OK(zmq_ctx_term(ctx));
    return 0;
}

/* Starts this program as a peer on the other library. */
static pid_t spawn_peer(const char *role, const char *ep)
{
    const char *libdir = getenv("GOZMQ_LIB_DIR");
    CHECK(libdir != NULL);
    int ours = tu_is_gozmq();
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        setenv("LD_LIBRARY_PATH", ours ? "" : libdir, 1);
        unsetenv("GOZMQ_UNDER");
        char *args[] = {"/proc/self/exe", "peer", (char *) role, (char *) ep,
                        ours ? "libzmq" : "gozmq", NULL};
        execv("/proc/self/exe", args);
        _exit(127);
    }
    return pid;
}

static void reap(pid_t pid)
{
    int st = 0;
    CHECK(waitpid(pid, &st, 0) == pid);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        FAILF("peer process failed (status %d)", st);
}

static void *ctx;

static void run_case(const char *bind_ep, int my_type, const char *peer_role)
{
    char ep[256];
    void *s = tu_socket(ctx, my_type);
    tu_set_int(s, ZMQ_RCVTIMEO, 20000);
    tu_set_int(s, ZMQ_SNDTIMEO, 20000);
    tu_set_int(s, ZMQ_LINGER, 5000);
    tu_bind(s, bind_ep, ep, sizeof ep);
    pid_t pid = spawn_peer(peer_role, ep);
    for (int r = 0; r < ROUNDS; r++) {
        if (my_type == ZMQ_PUSH) {
            send_message(s, r);
        } else if (my_type == ZMQ_PULL) {
            recv_message(s, r);
        } else {
            send_message(s, r);
            recv_message(s, r);
        }
    }
    reap(pid);
    OK(zmq_close(s));
}

static char ipc_ep[256];

static void test_push_to_peer_tcp(void) { run_case("tcp://127.0.0.1:*", ZMQ_PUSH, "pull"); }
static void test_pull_from_peer_tcp(void) { run_case("tcp://127.0.0.1:*", ZMQ_PULL, "push"); }
static void test_pair_echo_tcp(void) { run_case("tcp://127.0.0.1:*", ZMQ_PAIR, "pair"); }
static void test_push_to_peer_ipc(void)
{
    run_case(tu_ipc_endpoint(ipc_ep, sizeof ipc_ep, "a"), ZMQ_PUSH, "pull");
}
static void test_pull_from_peer_ipc(void)
{
    run_case(tu_ipc_endpoint(ipc_ep, sizeof ipc_ep, "b"), ZMQ_PULL, "push");
}
static void test_pair_echo_ipc(void)
{
    run_case(tu_ipc_endpoint(ipc_ep, sizeof ipc_ep, "c"), ZMQ_PAIR, "pair");
}

int main(int argc, char **argv)
{
    tu_start(120);
    if (argc == 5 && strcmp(argv[1], "peer") == 0)
        return peer_main(argv[2], argv[3], argv[4]);
    ctx = zmq_ctx_new();
    RUN(test_push_to_peer_tcp);
    RUN(test_pull_from_peer_tcp);
    RUN(test_pair_echo_tcp);
    RUN(test_push_to_peer_ipc);
    RUN(test_pull_from_peer_ipc);
    RUN(test_pair_echo_ipc);
    OK(zmq_ctx_term(ctx));
    return tu_done();
}
