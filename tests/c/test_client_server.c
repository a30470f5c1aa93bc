/* Draft CLIENT/SERVER (RFC 41; libzmq's test_client_server, without the
 * routing-id part, which needs draft functions: test_client_server_draft):
 * multipart sends refused on both sides, a SERVER send without a routing
 * id refused, clients' messages reach the server, the thread-safe options.
 * Debian's libzmq aborts in these types' ZMTP handshake, so this file
 * uses inproc and stable API calls only and runs on both libraries. */
#define ZMQ_BUILD_DRAFT_API
#include "testutil.h"

static void *ctx, *server, *client;

static void setup(const char *name)
{
    char ep[64];
    snprintf(ep, sizeof ep, "inproc://%s", name);
    ctx = zmq_ctx_new();
    server = tu_socket(ctx, ZMQ_SERVER);
    client = tu_socket(ctx, ZMQ_CLIENT);
    OK(zmq_bind(server, ep));
    OK(zmq_connect(client, ep));
}

static void teardown(void)
{
    OK(zmq_close(client));
    OK(zmq_close(server));
    OK(zmq_ctx_term(ctx));
}

static void test_client_sndmore_fails(void)
{
    setup("cs-client-more");
    FAILS(zmq_send(client, "X", 1, ZMQ_SNDMORE), EINVAL);
    teardown();
}

static void test_server_sndmore_fails(void)
{
    setup("cs-server-more");
    FAILS(zmq_send(server, "X", 1, ZMQ_SNDMORE), EINVAL);
    teardown();
}

/* zmq_send cannot name a peer, so a SERVER has nowhere to send it. */
static void test_server_send_needs_routing_id(void)
{
    setup("cs-noid");
    tu_send_str(client, "hello", 0);
    tu_recv_str(server, "hello");
    FAILS(zmq_send(server, "X", 1, 0), EHOSTUNREACH);
    teardown();
}

static void test_messages_from_two_clients(void)
{
    setup("cs-two");
    void *client2 = tu_socket(ctx, ZMQ_CLIENT);
    OK(zmq_connect(client2, "inproc://cs-two"));
    for (int i = 0; i < 3; i++) {
        tu_send_str(client, "one", 0);
        tu_send_str(client2, "two", 0);
    }
    int ones = 0, twos = 0;
    for (int i = 0; i < 6; i++) {
        char buf[8] = {0};
        EQ_INT(zmq_recv(server, buf, sizeof buf - 1, 0), 3);
        EQ_INT(tu_get_int(server, ZMQ_RCVMORE), 0);
        ones += strcmp(buf, "one") == 0;
        twos += strcmp(buf, "two") == 0;
    }
    EQ_INT(ones, 3);
    EQ_INT(twos, 3);
    OK(zmq_close(client2));
    teardown();
}

/* A CLIENT connected to two servers load-balances over them. */
static void test_client_load_balances(void)
{
    setup("cs-lb1");
    void *server2 = tu_socket(ctx, ZMQ_SERVER);
    OK(zmq_bind(server2, "inproc://cs-lb2"));
    OK(zmq_connect(client, "inproc://cs-lb2"));
    for (int i = 0; i < 4; i++)
        tu_send_str(client, "x", 0);
    char buf[4];
    int n1 = 0, n2 = 0;
    while (zmq_recv(server, buf, sizeof buf, ZMQ_DONTWAIT) == 1)
        n1++;
    while (zmq_recv(server2, buf, sizeof buf, ZMQ_DONTWAIT) == 1)
        n2++;
    EQ_INT(n1, 2);
    EQ_INT(n2, 2);
    OK(zmq_close(server2));
    teardown();
}

static void test_thread_safe_options(void)
{
    setup("cs-opts");
    void *socks[] = {client, server};
    for (int i = 0; i < 2; i++) {
        EQ_INT(tu_get_int(socks[i], ZMQ_THREAD_SAFE), 1);
        int fd;
        size_t len = sizeof fd;
        FAILS(zmq_getsockopt(socks[i], ZMQ_FD, &fd, &len), EINVAL);
    }
    EQ_INT(tu_get_int(client, ZMQ_TYPE), ZMQ_CLIENT);
    teardown();
}

int main(void)
{
    tu_start(60);
    RUN(test_client_sndmore_fails);
    RUN(test_server_sndmore_fails);
    RUN(test_server_send_needs_routing_id);
    RUN(test_messages_from_two_clients);
    RUN(test_client_load_balances);
    RUN(test_thread_safe_options);
    return tu_done();
}
