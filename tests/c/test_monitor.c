/* zmq_socket_monitor (modelled on libzmq's test_monitor): events arrive
 * as two frames, [event uint16 + value uint32][endpoint], on a PAIR the
 * library binds to the inproc address (the application connects to it); monitoring stops with a NULL address
 * or when the socket closes (MONITOR_STOPPED). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <sys/socket.h>
#include "testutil.h"

/* Reads the next event; returns its number (-1 on timeout). */
static int next_event(void *mon, uint32_t *value, char *ep, size_t eplen)
{
    unsigned char head[6];
    if (zmq_recv(mon, head, sizeof head, 0) != 6)
        return -1;
    CHECK(tu_get_int(mon, ZMQ_RCVMORE));
    uint16_t ev;
    memcpy(&ev, head, 2);
    memcpy(value, head + 2, 4);
    int n = zmq_recv(mon, ep, eplen - 1, 0);
    CHECK(n >= 0);
    ep[n] = 0;
    return ev;
}

/* Waits for event `want`, skipping the optional ones libzmq may add
 * (CONNECT_DELAYED, CONNECT_RETRIED). */
static void expect(void *mon, int want, char *ep, size_t eplen)
{
    uint32_t value;
    for (;;) {
        int ev = next_event(mon, &value, ep, eplen);
        if (ev == want)
            return;
        if (ev == ZMQ_EVENT_CONNECT_DELAYED || ev == ZMQ_EVENT_CONNECT_RETRIED)
            continue;
        /* A closing socket may report its connection ending first. */
        if (want == ZMQ_EVENT_MONITOR_STOPPED && ev == ZMQ_EVENT_DISCONNECTED)
            continue;
        FAILF("event 0x%x, want 0x%x", ev, want);
    }
}

static void test_lifecycle(void)
{
    void *ctx = zmq_ctx_new();
    void *server = tu_socket(ctx, ZMQ_DEALER), *client = tu_socket(ctx, ZMQ_DEALER);
    OK(zmq_socket_monitor(server, "inproc://mon-server", ZMQ_EVENT_ALL));
    OK(zmq_socket_monitor(client, "inproc://mon-client", ZMQ_EVENT_ALL));
    void *smon = tu_socket(ctx, ZMQ_PAIR), *cmon = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_connect(smon, "inproc://mon-server"));
    OK(zmq_connect(cmon, "inproc://mon-client"));
    char ep[256], got[256];
    tu_bind(server, "tcp://127.0.0.1:*", ep, sizeof ep);
    expect(smon, ZMQ_EVENT_LISTENING, got, sizeof got);
    CHECK(strcmp(got, ep) == 0);
    OK(zmq_connect(client, ep));
    expect(cmon, ZMQ_EVENT_CONNECTED, got, sizeof got);
    CHECK(strcmp(got, ep) == 0);
    expect(cmon, ZMQ_EVENT_HANDSHAKE_SUCCEEDED, got, sizeof got);
    expect(smon, ZMQ_EVENT_ACCEPTED, got, sizeof got);
    expect(smon, ZMQ_EVENT_HANDSHAKE_SUCCEEDED, got, sizeof got);
    /* The client leaves: the server sees it go. */
    OK(zmq_close(client));
    expect(cmon, ZMQ_EVENT_MONITOR_STOPPED, got, sizeof got);
    expect(smon, ZMQ_EVENT_DISCONNECTED, got, sizeof got);
    /* Closing the server closes its listener, then stops monitoring. */
    OK(zmq_close(server));
    expect(smon, ZMQ_EVENT_CLOSED, got, sizeof got);
    expect(smon, ZMQ_EVENT_MONITOR_STOPPED, got, sizeof got);
    OK(zmq_close(smon));
    OK(zmq_close(cmon));
    OK(zmq_ctx_term(ctx));
}

static void test_bind_failed_and_stop(void)
{
    void *ctx = zmq_ctx_new();
    void *a = tu_socket(ctx, ZMQ_PULL), *b = tu_socket(ctx, ZMQ_PULL);
    char ep[256], got[256];
    tu_bind(a, "tcp://127.0.0.1:*", ep, sizeof ep);
    OK(zmq_socket_monitor(b, "inproc://mon-b", ZMQ_EVENT_BIND_FAILED | ZMQ_EVENT_MONITOR_STOPPED));
    void *mon = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_connect(mon, "inproc://mon-b"));
    /* (libzmq clobbers errno while it reports the event, so only the
     * return value and the event's value are checked.) */
    CHECK(zmq_bind(b, ep) == -1);
    uint32_t value = 0;
    EQ_INT(next_event(mon, &value, got, sizeof got), ZMQ_EVENT_BIND_FAILED);
    EQ_INT(value, EADDRINUSE);
    /* Stopping: MONITOR_STOPPED, then nothing more. */
    OK(zmq_socket_monitor(b, NULL, 0));
    EQ_INT(next_event(mon, &value, got, sizeof got), ZMQ_EVENT_MONITOR_STOPPED);
    /* Only inproc monitors exist. */
    FAILS(zmq_socket_monitor(b, "tcp://127.0.0.1:9", ZMQ_EVENT_ALL), EPROTONOSUPPORT);
    OK(zmq_close(mon));
    OK(zmq_close(a));
    OK(zmq_close(b));
    OK(zmq_ctx_term(ctx));
}

/* A peer offering another security mechanism fails the handshake:
 * HANDSHAKE_FAILED_PROTOCOL with ZMTP_MECHANISM_MISMATCH. */
static void test_mechanism_mismatch(void)
{
    void *ctx = zmq_ctx_new();
    void *s = tu_socket(ctx, ZMQ_PULL);
    OK(zmq_socket_monitor(s, "inproc://mon-mech", ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL));
    void *mon = tu_socket(ctx, ZMQ_PAIR);
    OK(zmq_connect(mon, "inproc://mon-mech"));
    char ep[256], got[256];
    tu_bind(s, "tcp://127.0.0.1:*", ep, sizeof ep);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t) atoi(strrchr(ep, ':') + 1));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(connect(fd, (struct sockaddr *) &a, sizeof a) == 0);
    unsigned char greeting[64] = {0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0x7F, 3, 0, 'P', 'L', 'A', 'I', 'N'};
    CHECK(write(fd, greeting, sizeof greeting) == (ssize_t) sizeof greeting);
    uint32_t value = 0;
    EQ_INT(next_event(mon, &value, got, sizeof got), ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL);
    EQ_INT(value, ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH);
    close(fd);
    OK(zmq_close(mon));
    OK(zmq_close(s));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(30);
    RUN(test_lifecycle);
    RUN(test_bind_failed_and_stop);
    RUN(test_mechanism_mismatch);
    return tu_done();
}
