/* Draft ZMQ_SOCKS_USERNAME / ZMQ_SOCKS_PASSWORD (the authenticated cases
 * of libzmq's test_socks): with a username the client offers only
 * username/password authentication (RFC 1929); an empty or NULL username
 * means no authentication; a proxy that refuses the credentials or the
 * method lets nothing through. */
#include "socks_server.h"

static void *push_server(void *ctx, char *target, size_t len)
{
    void *push = tu_socket(ctx, ZMQ_PUSH);
    tu_bind(push, "tcp://127.0.0.1:*", target, len);
    return push;
}

static void set_str(void *s, int opt, const char *v)
{
    OK(zmq_setsockopt(s, opt, v, v ? strlen(v) : 0));
}

/* The proxy wants srv_user/srv_pass (NULL user: no authentication);
 * the client is configured with user/pass. */
static void run(const char *srv_user, const char *srv_pass, const char *user, const char *pass,
                int want_outcome)
{
    void *ctx = zmq_ctx_new();
    socks_server srv;
    socks_setup(&srv, srv_user, srv_pass, 1);
    char target[256];
    void *push = push_server(ctx, target, sizeof target);
    void *thread = zmq_threadstart(socks_run, &srv);
    void *pull = tu_socket(ctx, ZMQ_PULL);
    tu_set_int(pull, ZMQ_RECONNECT_IVL, 20);
    set_str(pull, ZMQ_SOCKS_PROXY, srv.addr);
    set_str(pull, ZMQ_SOCKS_USERNAME, user);
    set_str(pull, ZMQ_SOCKS_PASSWORD, pass);
    OK(zmq_connect(pull, target));
    if (want_outcome == 0) {
        tu_send_str(push, "ABC", 0);
        tu_recv_str(pull, "ABC");
        OK(zmq_close(pull));
        zmq_threadclose(thread);
    } else {
        zmq_threadclose(thread); /* the proxy turned its one client away */
        zmq_send(push, "ABC", 3, ZMQ_DONTWAIT); /* no peer: EAGAIN */
        char buf[8];
        FAILS(zmq_recv(pull, buf, sizeof buf, ZMQ_DONTWAIT), EAGAIN);
        OK(zmq_close(pull));
    }
    EQ_INT(srv.outcome, want_outcome);
    OK(zmq_close(push));
    OK(zmq_ctx_term(ctx));
}

static void test_basic_auth(void) { run("someuser", "somepass", "someuser", "somepass", 0); }
static void test_basic_auth_no_pass(void) { run("someuser", NULL, "someuser", NULL, 0); }
static void test_empty_user_no_auth(void) { run(NULL, NULL, "", NULL, 0); }
static void test_null_user_no_auth(void) { run(NULL, NULL, NULL, NULL, 0); }
static void test_empty_pass(void) { run("someuser", "", "someuser", "", 0); }
static void test_wrong_password(void) { run("someuser", "somepass", "someuser", "wrong", 2); }
static void test_auth_required(void) { run("someuser", "somepass", NULL, NULL, 1); }
static void test_auth_not_offered(void) { run(NULL, NULL, "someuser", "somepass", 1); }

/* The values read back; at most 255 bytes each. */
static void test_options(void)
{
    void *ctx = zmq_ctx_new();
    void *s = tu_socket(ctx, ZMQ_PULL);
    set_str(s, ZMQ_SOCKS_USERNAME, "user");
    set_str(s, ZMQ_SOCKS_PASSWORD, "pass");
    char buf[300];
    size_t len = sizeof buf;
    OK(zmq_getsockopt(s, ZMQ_SOCKS_USERNAME, buf, &len));
    CHECK(len == 5 && strcmp(buf, "user") == 0);
    len = sizeof buf;
    OK(zmq_getsockopt(s, ZMQ_SOCKS_PASSWORD, buf, &len));
    CHECK(len == 5 && strcmp(buf, "pass") == 0);
    memset(buf, 'x', sizeof buf);
    FAILS(zmq_setsockopt(s, ZMQ_SOCKS_USERNAME, buf, 256), EINVAL);
    FAILS(zmq_setsockopt(s, ZMQ_SOCKS_PASSWORD, buf, 256), EINVAL);
    set_str(s, ZMQ_SOCKS_USERNAME, NULL);
    len = sizeof buf;
    OK(zmq_getsockopt(s, ZMQ_SOCKS_USERNAME, buf, &len));
    EQ_INT(len, 1);
    OK(zmq_close(s));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(60);
    RUN(test_basic_auth);
    RUN(test_basic_auth_no_pass);
    RUN(test_empty_user_no_auth);
    RUN(test_null_user_no_auth);
    RUN(test_empty_pass);
    RUN(test_wrong_password);
    RUN(test_auth_required);
    RUN(test_auth_not_offered);
    RUN(test_options);
    return tu_done();
}
