/* PUB/SUB against a hand-written ZMTP peer (modelled on libzmq's
 * test_mock_pub_sub): a raw TCP socket plays a SUB (to our XPUB) or an
 * XPUB (to our SUB), speaking ZMTP 3.1, where subscriptions are SUBSCRIBE
 * and CANCEL commands, or ZMTP 3.0, where they are messages starting
 * with 1 or 0 (RFC 37 / RFC 23). Everything on the wire is checked byte
 * for byte. */
#include "testraw.h"

#define WAIT_MS 5000

static void *server_socket(void *ctx, int type, char *ep, size_t eplen, void **mon)
{
    void *s = tu_socket(ctx, type);
    *mon = tr_monitor(ctx, s, "server",
                      ZMQ_EVENT_CONNECTED | ZMQ_EVENT_DISCONNECTED | ZMQ_EVENT_ACCEPTED);
    tu_bind(s, "tcp://127.0.0.1:*", ep, eplen);
    return s;
}

/* The mock is a SUB; the library's XPUB reports its subscription and
 * sends it matching messages. */
static void mock_sub(int minor)
{
    char ep[256], buf[32];
    void *ctx = zmq_ctx_new(), *mon;
    void *xpub = server_socket(ctx, ZMQ_XPUB, ep, sizeof ep, &mon);
    int fd = tr_connect(ep);
    tr_handshake(fd, minor, "SUB", "XPUB");
    EQ_INT(tr_monitor_event(mon, NULL), ZMQ_EVENT_ACCEPTED);

    if (minor >= 1)
        tr_write_all(fd, "\x04\x0b\x09SUBSCRIBEA", 13);
    else
        tr_write_all(fd, "\x00\x02\x01" "A", 4);
    EQ_INT(zmq_recv(xpub, buf, sizeof buf, 0), 2);
    CHECK(memcmp(buf, "\x01" "A", 2) == 0);

    tu_send_str(xpub, "BLOL", 0); /* filtered out */
    tu_send_str(xpub, "ALOL", 0);
    tr_read_exact(fd, buf, 6, WAIT_MS);
    CHECK(memcmp(buf, "\x00\x04" "ALOL", 6) == 0);

    /* And the cancellation. */
    if (minor >= 1)
        tr_write_all(fd, "\x04\x08\x06" "CANCELA", 10);
    else
        tr_write_all(fd, "\x00\x02\x00" "A", 4);
    EQ_INT(zmq_recv(xpub, buf, sizeof buf, 0), 2);
    CHECK(memcmp(buf, "\x00" "A", 2) == 0);

    close(fd);
    EQ_INT(tr_monitor_event(mon, NULL), ZMQ_EVENT_DISCONNECTED);
    OK(zmq_close(xpub));
    OK(zmq_close(mon));
    OK(zmq_ctx_term(ctx));
}

/* Reads the subscription the library's SUB sends for topic "A", in the
 * form the peer's version calls for. The SUB handles its pipe in its own
 * calls, so keep calling it while waiting (bounded). */
static void expect_subscription(int fd, void *sub, int minor, int subscribe)
{
    unsigned char want[16];
    size_t wn;
    if (minor >= 1 && subscribe)
        wn = 13, memcpy(want, "\x04\x0b\x09SUBSCRIBEA", wn);
    else if (minor >= 1)
        wn = 10, memcpy(want, "\x04\x08\x06" "CANCELA", wn);
    else
        wn = 4, memcpy(want, subscribe ? "\x00\x02\x01" "A" : "\x00\x02\x00" "A", wn);
    char scratch[16];
    for (int i = 0; i < 500; i++) {
        struct pollfd p = {fd, POLLIN, 0};
        if (tr_poll(&p, 1, 10) == 1)
            break;
        zmq_recv(sub, scratch, sizeof scratch, ZMQ_DONTWAIT);
    }
    unsigned char got[16];
    tr_read_exact(fd, got, wn, WAIT_MS);
    CHECK(memcmp(got, want, wn) == 0);
}

/* The mock is an XPUB; the library's SUB subscribes and receives. */
static void mock_pub(int minor)
{
    char ep[256], buf[32];
    void *ctx = zmq_ctx_new(), *mon;
    void *sub = server_socket(ctx, ZMQ_SUB, ep, sizeof ep, &mon);
    int fd = tr_connect(ep);
    tr_handshake(fd, minor, "XPUB", "SUB");
    EQ_INT(tr_monitor_event(mon, NULL), ZMQ_EVENT_ACCEPTED);

    OK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "A", 1));
    expect_subscription(fd, sub, minor, 1);
    tr_write_all(fd, "\x00\x04" "ALOL", 6);
    EQ_INT(zmq_recv(sub, buf, sizeof buf, 0), 4);
    CHECK(memcmp(buf, "ALOL", 4) == 0);

    OK(zmq_setsockopt(sub, ZMQ_UNSUBSCRIBE, "A", 1));
    expect_subscription(fd, sub, minor, 0);

    close(fd);
    EQ_INT(tr_monitor_event(mon, NULL), ZMQ_EVENT_DISCONNECTED);
    OK(zmq_close(sub));
    OK(zmq_close(mon));
    OK(zmq_ctx_term(ctx));
}

static void test_mock_sub_command(void)
{
    mock_sub(1);
}

static void test_mock_sub_legacy(void)
{
    mock_sub(0);
}

static void test_mock_pub_command(void)
{
    mock_pub(1);
}

static void test_mock_pub_legacy(void)
{
    mock_pub(0);
}

int main(void)
{
    tu_start(30);
    RUN(test_mock_sub_command);
    RUN(test_mock_sub_legacy);
    RUN(test_mock_pub_command);
    RUN(test_mock_pub_legacy);
    return tu_done();
}
