/* PLAIN security with a ZAP handler (modelled on libzmq's
 * test_security_plain, test_security_zap and test_security_no_zap_handler):
 * options; a handler that admits admin/secret; a client with the right
 * password (also on the other library, in another process), a wrong one
 * (HANDSHAKE_FAILED_AUTH 400), a NULL client, and no handler at all. */
#include <stdint.h>
#include <sys/wait.h>
#include "testutil.h"

/* A ZAP handler (RFC 27) in a thread: admin/secret gets 200 and user id
 * "admin", anything else 400. Stops when its context is shut down. */
static void zap_handler(void *handler)
{
    for (;;) {
        char f[8][64];
        int len[8], n = 0, more = 1;
        while (more && n < 8) {
            len[n] = zmq_recv(handler, f[n], 63, 0);
            if (len[n] < 0)
                return; /* ETERM */
            f[n][len[n]] = 0;
            more = tu_get_int(handler, ZMQ_RCVMORE);
            n++;
        }
        /* version, id, domain, address, identity, mechanism, user, pass */
        int ok = n == 8 && strcmp(f[0], "1.0") == 0 && strcmp(f[5], "PLAIN") == 0 &&
                 strcmp(f[6], "admin") == 0 && strcmp(f[7], "secret") == 0;
        zmq_send(handler, "1.0", 3, ZMQ_SNDMORE);
        zmq_send(handler, f[1], (size_t) len[1], ZMQ_SNDMORE);
        zmq_send(handler, ok ? "200" : "400", 3, ZMQ_SNDMORE);
        zmq_send(handler, ok ? "OK" : "Denied", ok ? 2 : 6, ZMQ_SNDMORE);
        zmq_send(handler, ok ? "admin" : "", ok ? 5 : 0, ZMQ_SNDMORE);
        zmq_send(handler, "", 0, 0);
    }
}

typedef struct {
    void *socket, *thread;
} zap_t;

static zap_t start_zap(void *ctx)
{
    zap_t z;
    z.socket = zmq_socket(ctx, ZMQ_REP);
    tu_set_int(z.socket, ZMQ_LINGER, 0);
    OK(zmq_bind(z.socket, "inproc://zeromq.zap.01"));
    z.thread = zmq_threadstart(zap_handler, z.socket);
    return z;
}

/* Ends a test context that runs a handler: shutdown wakes the handler
 * with ETERM, then everything closes. */
static void finish(void *ctx, zap_t *z)
{
    OK(zmq_ctx_shutdown(ctx));
    zmq_threadclose(z->thread);
    OK(zmq_close(z->socket));
    OK(zmq_ctx_term(ctx));
}

static void setstr(void *s, int opt, const char *v)
{
    OK(zmq_setsockopt(s, opt, v, strlen(v)));
}

static void test_options(void)
{
    void *ctx = zmq_ctx_new();
    void *s = zmq_socket(ctx, ZMQ_PULL);
    EQ_INT(tu_get_int(s, ZMQ_MECHANISM), ZMQ_NULL);
    tu_set_int(s, ZMQ_PLAIN_SERVER, 1);
    EQ_INT(tu_get_int(s, ZMQ_MECHANISM), ZMQ_PLAIN);
    EQ_INT(tu_get_int(s, ZMQ_PLAIN_SERVER), 1);
    void *c = zmq_socket(ctx, ZMQ_PUSH);
    setstr(c, ZMQ_PLAIN_USERNAME, "admin");
    setstr(c, ZMQ_PLAIN_PASSWORD, "secret");
    EQ_INT(tu_get_int(c, ZMQ_MECHANISM), ZMQ_PLAIN);
    EQ_INT(tu_get_int(c, ZMQ_PLAIN_SERVER), 0);
    char buf[64];
    size_t len = sizeof buf;
    OK(zmq_getsockopt(c, ZMQ_PLAIN_USERNAME, buf, &len));
    CHECK(strcmp(buf, "admin") == 0);
    OK(zmq_close(s));
    OK(zmq_close(c));
    OK(zmq_ctx_term(ctx));
}

static void *plain_server(void *ctx, char *ep, size_t eplen)
{
    void *s = tu_socket(ctx, ZMQ_PULL);
    tu_set_int(s, ZMQ_PLAIN_SERVER, 1);
    tu_bind(s, "tcp://127.0.0.1:*", ep, eplen);
    return s;
}

static void *plain_client(void *ctx, const char *ep)
{
    void *c = tu_socket(ctx, ZMQ_PUSH);
    tu_set_int(c, ZMQ_LINGER, 5000);
    setstr(c, ZMQ_PLAIN_USERNAME, "admin");
    setstr(c, ZMQ_PLAIN_PASSWORD, "secret");
    OK(zmq_connect(c, ep));
    return c;
}

static void test_plain_handshake(void)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    zap_t z = start_zap(ctx);
    void *server = plain_server(ctx, ep, sizeof ep);
    void *client = plain_client(ctx, ep);
    tu_send_str(client, "over plain", 0);
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    EQ_INT(zmq_msg_recv(&m, server, 0), 10);
    const char *uid = zmq_msg_gets(&m, "User-Id");
    CHECK(uid && strcmp(uid, "admin") == 0); /* from the handler's reply */
    OK(zmq_msg_close(&m));
    OK(zmq_close(client));
    OK(zmq_close(server));
    finish(ctx, &z);
}

/* Wrong password: refused with HANDSHAKE_FAILED_AUTH, status 400. */
static void test_wrong_password(void)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    zap_t z = start_zap(ctx);
    void *server = plain_server(ctx, ep, sizeof ep);
    OK(zmq_socket_monitor(server, "inproc://mon-auth", ZMQ_EVENT_HANDSHAKE_FAILED_AUTH));
    void *mon = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_connect(mon, "inproc://mon-auth"));
    void *client = tu_socket(ctx, ZMQ_PUSH);
    setstr(client, ZMQ_PLAIN_USERNAME, "admin");
    setstr(client, ZMQ_PLAIN_PASSWORD, "wrong");
    OK(zmq_connect(client, ep));
    tu_send_str(client, "never", 0);
    unsigned char head[6];
    EQ_INT(zmq_recv(mon, head, sizeof head, 0), 6);
    uint16_t ev;
    uint32_t value;
    memcpy(&ev, head, 2);
    memcpy(&value, head + 2, 4);
    EQ_INT(ev, ZMQ_EVENT_HANDSHAKE_FAILED_AUTH);
    EQ_INT(value, 400);
    char buf[64];
    CHECK(zmq_recv(mon, buf, sizeof buf, 0) >= 0);
    tu_set_int(server, ZMQ_RCVTIMEO, 100);
    FAILS(zmq_recv(server, buf, sizeof buf, 0), EAGAIN);
    OK(zmq_close(mon));
    OK(zmq_close(client));
    OK(zmq_close(server));
    finish(ctx, &z);
}

/* A NULL client cannot talk to a PLAIN server. */
static void test_null_client_refused(void)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    zap_t z = start_zap(ctx);
    void *server = plain_server(ctx, ep, sizeof ep);
    void *client = tu_socket(ctx, ZMQ_PUSH);
    OK(zmq_connect(client, ep));
    tu_send_str(client, "refused", 0);
    tu_set_int(server, ZMQ_RCVTIMEO, 200);
    char buf[16];
    FAILS(zmq_recv(server, buf, sizeof buf, 0), EAGAIN);
    OK(zmq_close(client));
    OK(zmq_close(server));
    finish(ctx, &z);
}

/* Without a ZAP handler a PLAIN server admits nobody (libzmq 4.3). */
static void test_no_handler(void)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    void *server = plain_server(ctx, ep, sizeof ep);
    void *client = plain_client(ctx, ep);
    tu_send_str(client, "nobody listens", 0);
    tu_set_int(server, ZMQ_RCVTIMEO, 200);
    char buf[16];
    FAILS(zmq_recv(server, buf, sizeof buf, 0), EAGAIN);
    tu_set_int(client, ZMQ_LINGER, 0);
    OK(zmq_close(client));
    OK(zmq_close(server));
    OK(zmq_ctx_term(ctx));
}

/* The peer (this program, re-executed on the other library) is the
 * PLAIN client. */
static void test_plain_interop(void)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    zap_t z = start_zap(ctx);
    void *server = plain_server(ctx, ep, sizeof ep);
    tu_set_int(server, ZMQ_RCVTIMEO, 20000);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        const char *libdir = getenv("GOZMQ_LIB_DIR");
        setenv("LD_LIBRARY_PATH", tu_is_gozmq() ? "" : (libdir ? libdir : ""), 1);
        unsetenv("GOZMQ_UNDER");
        char *args[] = {"/proc/self/exe", "client", ep, NULL};
        execv("/proc/self/exe", args);
        _exit(127);
    }
    tu_recv_str(server, "from the other library");
    int st;
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    OK(zmq_close(server));
    finish(ctx, &z);
}

int main(int argc, char **argv)
{
    tu_start(60);
    if (argc == 3 && strcmp(argv[1], "client") == 0) {
        void *ctx = zmq_ctx_new();
        void *c = plain_client(ctx, argv[2]);
        tu_send_str(c, "from the other library", 0);
        OK(zmq_close(c));
        OK(zmq_ctx_term(ctx));
        return 0;
    }
    RUN(test_options);
    RUN(test_plain_handshake);
    RUN(test_wrong_password);
    RUN(test_null_client_refused);
    RUN(test_no_handler);
    RUN(test_plain_interop);
    return tu_done();
}
