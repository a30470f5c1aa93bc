/* CURVE security (modelled on libzmq's test_security_curve and the
 * CURVE cases of test_security_zap): key options in binary and Z85
 * forms, a handshake with and without a ZAP handler, a client with the
 * wrong server key, a client refused by ZAP (HANDSHAKE_FAILED_AUTH), and
 * a client on the other library in another process. */
#include <stdint.h>
#include <sys/wait.h>
#include "testutil.h"

static char server_pub[41], server_sec[41], client_pub[41], client_sec[41];

static void setkey(void *s, int opt, const char *z85) { OK(zmq_setsockopt(s, opt, z85, 40)); }

/* Admits only client_pub; replies User-Id "curve-client". */
static void zap_handler(void *handler)
{
    for (;;) {
        unsigned char f[8][64];
        int len[8], n = 0, more = 1;
        while (more && n < 8) {
            len[n] = zmq_recv(handler, f[n], 63, 0);
            if (len[n] < 0)
                return;
            more = tu_get_int(handler, ZMQ_RCVMORE);
            n++;
        }
        uint8_t allowed[32];
        zmq_z85_decode(allowed, client_pub);
        int ok = n == 7 && len[5] == 5 && memcmp(f[5], "CURVE", 5) == 0 && len[6] == 32 &&
                 memcmp(f[6], allowed, 32) == 0;
        zmq_send(handler, "1.0", 3, ZMQ_SNDMORE);
        zmq_send(handler, f[1], (size_t) len[1], ZMQ_SNDMORE);
        zmq_send(handler, ok ? "200" : "400", 3, ZMQ_SNDMORE);
        zmq_send(handler, "", 0, ZMQ_SNDMORE);
        zmq_send(handler, ok ? "curve-client" : "", ok ? 12 : 0, ZMQ_SNDMORE);
        zmq_send(handler, "", 0, 0);
    }
}

static void *server(void *ctx, char *ep, size_t len)
{
    void *s = tu_socket(ctx, ZMQ_PULL);
    tu_set_int(s, ZMQ_CURVE_SERVER, 1);
    setkey(s, ZMQ_CURVE_SECRETKEY, server_sec);
    tu_bind(s, "tcp://127.0.0.1:*", ep, len);
    return s;
}

static void *client(void *ctx, const char *ep, const char *serverkey, const char *pub, const char *sec)
{
    void *c = tu_socket(ctx, ZMQ_PUSH);
    tu_set_int(c, ZMQ_LINGER, 3000);
    setkey(c, ZMQ_CURVE_SERVERKEY, serverkey);
    setkey(c, ZMQ_CURVE_PUBLICKEY, pub);
    setkey(c, ZMQ_CURVE_SECRETKEY, sec);
    OK(zmq_connect(c, ep));
    return c;
}

static void test_options(void)
{
    EQ_INT(zmq_has("curve"), 1);
    void *ctx = zmq_ctx_new();
    void *s = zmq_socket(ctx, ZMQ_PULL);
    tu_set_int(s, ZMQ_CURVE_SERVER, 1);
    EQ_INT(tu_get_int(s, ZMQ_MECHANISM), ZMQ_CURVE);
    setkey(s, ZMQ_CURVE_SECRETKEY, server_sec);
    char z85[41];
    size_t len = sizeof z85;
    OK(zmq_getsockopt(s, ZMQ_CURVE_SECRETKEY, z85, &len));
    EQ_INT(len, 41);
    CHECK(strcmp(z85, server_sec) == 0);
    uint8_t bin[32], want[32];
    len = sizeof bin;
    OK(zmq_getsockopt(s, ZMQ_CURVE_SECRETKEY, bin, &len));
    zmq_z85_decode(want, server_sec);
    CHECK(len == 32 && memcmp(bin, want, 32) == 0);
    OK(zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, want, 32)); /* binary form */
    FAILS(zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, "short", 5), EINVAL);
    OK(zmq_close(s));
    OK(zmq_ctx_term(ctx));
}

static void test_handshake_with_zap(void)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    void *h = zmq_socket(ctx, ZMQ_REP);
    tu_set_int(h, ZMQ_LINGER, 0);
    OK(zmq_bind(h, "inproc://zeromq.zap.01"));
    void *t = zmq_threadstart(zap_handler, h);
    void *s = server(ctx, ep, sizeof ep);
    void *c = client(ctx, ep, server_pub, client_pub, client_sec);
    tu_send_str(c, "secret message", 0);
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    EQ_INT(zmq_msg_recv(&m, s, 0), 14);
    CHECK(memcmp(zmq_msg_data(&m), "secret message", 14) == 0);
    const char *uid = zmq_msg_gets(&m, "User-Id");
    CHECK(uid && strcmp(uid, "curve-client") == 0);
    OK(zmq_msg_close(&m));
    /* A client whose key the handler does not know is refused. */
    char other_pub[41], other_sec[41];
    OK(zmq_curve_keypair(other_pub, other_sec));
    OK(zmq_socket_monitor(s, "inproc://curve-mon", ZMQ_EVENT_HANDSHAKE_FAILED_AUTH));
    void *mon = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_connect(mon, "inproc://curve-mon"));
    void *stranger = client(ctx, ep, server_pub, other_pub, other_sec);
    tu_send_str(stranger, "let me in", 0);
    unsigned char head[6];
    EQ_INT(zmq_recv(mon, head, sizeof head, 0), 6);
    uint16_t ev;
    uint32_t value;
    memcpy(&ev, head, 2);
    memcpy(&value, head + 2, 4);
    EQ_INT(ev, ZMQ_EVENT_HANDSHAKE_FAILED_AUTH);
    EQ_INT(value, 400);
    tu_set_int(stranger, ZMQ_LINGER, 0);
    OK(zmq_close(stranger));
    OK(zmq_close(mon));
    OK(zmq_close(c));
    OK(zmq_close(s));
    OK(zmq_ctx_shutdown(ctx));
    zmq_threadclose(t);
    OK(zmq_close(h));
    OK(zmq_ctx_term(ctx));
}

/* Without a handler CURVE admits any client that completes the
 * handshake; a client with the wrong server key never does. */
static void test_without_handler(void)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    void *s = server(ctx, ep, sizeof ep);
    void *good = client(ctx, ep, server_pub, client_pub, client_sec);
    tu_send_str(good, "admitted", 0);
    tu_recv_str(s, "admitted");
    void *bad = client(ctx, ep, client_pub /* not the server's key */, client_pub, client_sec);
    tu_set_int(bad, ZMQ_LINGER, 0);
    tu_send_str(bad, "wrong key", 0);
    tu_set_int(s, ZMQ_RCVTIMEO, 200);
    char buf[16];
    FAILS(zmq_recv(s, buf, sizeof buf, 0), EAGAIN);
    OK(zmq_close(bad));
    OK(zmq_close(good));
    OK(zmq_close(s));
    OK(zmq_ctx_term(ctx));
}

/* The client runs on the other library; the server (this side) asks its
 * ZAP handler, which knows the client's key. */
static void test_interop(void)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    void *h = zmq_socket(ctx, ZMQ_REP);
    tu_set_int(h, ZMQ_LINGER, 0);
    OK(zmq_bind(h, "inproc://zeromq.zap.01"));
    void *t = zmq_threadstart(zap_handler, h);
    void *s = server(ctx, ep, sizeof ep);
    tu_set_int(s, ZMQ_RCVTIMEO, 20000);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        const char *libdir = getenv("GOZMQ_LIB_DIR");
        setenv("LD_LIBRARY_PATH", tu_is_gozmq() ? "" : (libdir ? libdir : ""), 1);
        unsetenv("GOZMQ_UNDER");
        char *args[] = {"/proc/self/exe", "client", ep, server_pub, client_pub, client_sec, NULL};
        execv("/proc/self/exe", args);
        _exit(127);
    }
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    EQ_INT(zmq_msg_recv(&m, s, 0), 26);
    CHECK(memcmp(zmq_msg_data(&m), "boxed by the other library", 26) == 0);
    const char *uid = zmq_msg_gets(&m, "User-Id");
    CHECK(uid && strcmp(uid, "curve-client") == 0);
    OK(zmq_msg_close(&m));
    int st;
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    OK(zmq_close(s));
    OK(zmq_ctx_shutdown(ctx));
    zmq_threadclose(t);
    OK(zmq_close(h));
    OK(zmq_ctx_term(ctx));
}

int main(int argc, char **argv)
{
    tu_start(60);
    if (argc == 6 && strcmp(argv[1], "client") == 0) {
        void *ctx = zmq_ctx_new();
        void *c = client(ctx, argv[2], argv[3], argv[4], argv[5]);
        tu_send_str(c, "boxed by the other library", 0);
        OK(zmq_close(c));
        OK(zmq_ctx_term(ctx));
        return 0;
    }
    OK(zmq_curve_keypair(server_pub, server_sec));
    OK(zmq_curve_keypair(client_pub, client_sec));
    RUN(test_options);
    RUN(test_handshake_with_zap);
    RUN(test_without_handler);
    RUN(test_interop);
    return tu_done();
}
