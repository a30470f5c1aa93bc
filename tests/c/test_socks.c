/* ZMQ_SOCKS_PROXY (after libzmq's test_socks): a PULL connects to a PUSH
 * through a SOCKS5 proxy of our own (socks_server.h) on loopback, with
 * the target given as an IPv4 address, a name the proxy resolves, or an
 * IPv6 address (with and without brackets) that is not resolved locally;
 * with a source address for the connection to the proxy; and with the
 * proxy not yet listening, so the first attempts are refused. */
#include "socks_server.h"
#include "testraw.h"

static void communicate(void *push, void *pull)
{
    tu_send_str(push, "ABC", 0);
    tu_send_str(push, "DEF", 0);
    tu_recv_str(pull, "ABC");
    tu_recv_str(pull, "DEF");
}

/* Binds a PUSH and returns the tcp port it got, as a string. */
static void *push_server(void *ctx, char *port, size_t portlen)
{
    void *push = tu_socket(ctx, ZMQ_PUSH);
    char ep[256];
    tu_bind(push, "tcp://127.0.0.1:*", ep, sizeof ep);
    snprintf(port, portlen, "%s", strrchr(ep, ':') + 1);
    return push;
}

static void *pull_client(void *ctx, const char *target, const char *proxy)
{
    void *pull = tu_socket(ctx, ZMQ_PULL);
    tu_set_int(pull, ZMQ_RECONNECT_IVL, 20);
    if (proxy) {
        OK(zmq_setsockopt(pull, ZMQ_SOCKS_PROXY, proxy, strlen(proxy)));
        char got[128];
        size_t len = sizeof got;
        OK(zmq_getsockopt(pull, ZMQ_SOCKS_PROXY, got, &len));
        EQ_INT(len, strlen(proxy) + 1);
        CHECK(strcmp(got, proxy) == 0);
    }
    OK(zmq_connect(pull, target));
    return pull;
}

/* target_host "" means 127.0.0.1; proxy_prefix goes before the proxy's
 * address (a source address). */
static void through_proxy(const char *target_host, const char *proxy_prefix, int want_atyp,
                          const char *want_host)
{
    void *ctx = zmq_ctx_new();
    socks_server srv;
    socks_setup(&srv, NULL, NULL, 1);
    char port[16], target[128], proxy[160];
    void *push = push_server(ctx, port, sizeof port);
    snprintf(target, sizeof target, "tcp://%s:%s", target_host[0] ? target_host : "127.0.0.1", port);
    snprintf(proxy, sizeof proxy, "%s%s", proxy_prefix, srv.addr);
    void *thread = zmq_threadstart(socks_run, &srv);
    void *pull = pull_client(ctx, target, proxy);
    communicate(push, pull);
    OK(zmq_close(pull)); /* the proxy's relay ends with the connection */
    zmq_threadclose(thread);
    EQ_INT(srv.outcome, 0);
    EQ_INT(srv.atyp, want_atyp);
    CHECK(strcmp(srv.host, want_host) == 0);
    OK(zmq_close(push));
    OK(zmq_ctx_term(ctx));
}

static void test_no_socks(void)
{
    void *ctx = zmq_ctx_new();
    char port[16], target[64];
    void *push = push_server(ctx, port, sizeof port);
    snprintf(target, sizeof target, "tcp://127.0.0.1:%s", port);
    void *pull = pull_client(ctx, target, NULL);
    char got[16];
    size_t len = sizeof got;
    OK(zmq_getsockopt(pull, ZMQ_SOCKS_PROXY, got, &len));
    EQ_INT(len, 1); /* empty by default */
    communicate(push, pull);
    OK(zmq_close(pull));
    OK(zmq_close(push));
    OK(zmq_ctx_term(ctx));
}

static void test_socks_ipv4(void) { through_proxy("", "", 1, "127.0.0.1"); }
static void test_socks_domainname(void) { through_proxy("somedomainname.org", "", 3, "somedomainname.org"); }
static void test_socks_ipv6(void) { through_proxy("::1", "", 4, "::1"); }
static void test_socks_ipv6_brackets(void) { through_proxy("[::1]", "", 4, "::1"); }
static void test_socks_source_address(void) { through_proxy("", "127.0.0.1:0;", 1, "127.0.0.1"); }

/* The proxy is not listening at first: the connecter retries until it
 * is (seen through CONNECT_RETRIED), then gets through. */
static void test_socks_delay(void)
{
    void *ctx = zmq_ctx_new();
    socks_server srv;
    socks_setup(&srv, NULL, NULL, 0);
    char port[16], target[64];
    void *push = push_server(ctx, port, sizeof port);
    snprintf(target, sizeof target, "tcp://127.0.0.1:%s", port);
    void *pull = tu_socket(ctx, ZMQ_PULL);
    tu_set_int(pull, ZMQ_RECONNECT_IVL, 20);
    OK(zmq_setsockopt(pull, ZMQ_SOCKS_PROXY, srv.addr, strlen(srv.addr)));
    OK(zmq_socket_monitor(pull, "inproc://socks-mon", ZMQ_EVENT_CONNECT_RETRIED));
    void *mon = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_connect(mon, "inproc://socks-mon"));
    OK(zmq_connect(pull, target));
    tr_wait_event(mon, ZMQ_EVENT_CONNECT_RETRIED, 50);
    void *thread = zmq_threadstart(socks_run, &srv);
    communicate(push, pull);
    OK(zmq_socket_monitor(pull, NULL, 0));
    OK(zmq_close(mon));
    OK(zmq_close(pull));
    zmq_threadclose(thread);
    EQ_INT(srv.outcome, 0);
    OK(zmq_close(push));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(60);
    RUN(test_no_socks);
    RUN(test_socks_ipv4);
    RUN(test_socks_domainname);
    RUN(test_socks_ipv6);
    RUN(test_socks_ipv6_brackets);
    RUN(test_socks_source_address);
    RUN(test_socks_delay);
    return tu_done();
}
