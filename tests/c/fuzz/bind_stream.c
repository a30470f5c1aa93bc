/* Port of libzmq's test_bind_stream_fuzzer: a raw TCP client sends a
 * fuzzed byte stream to a bound STREAM socket. Beyond surviving, the
 * STREAM socket must hand the application exactly the bytes sent, framed
 * as [id][data] and bracketed by the connect and disconnect
 * notifications ([id][empty]); and a second, well-formed client,
 * connected before the first input, must still get answers after each. */
#include "fuzz.h"

static void *ctx, *stream;
static char ep[256];
static int good_fd;
static unsigned char good_id[256];
static int good_id_len;
static unsigned checks;

struct seen {
    unsigned char id[256];
    int id_len, connected, disconnected;
    uint8_t *data;
    size_t n, cap;
};

/* Receives [id][payload]; returns the payload size, -1 if none. */
static int recv_pair(unsigned char *id, int *id_len, void *payload, size_t cap, int flags)
{
    int n = zmq_recv(stream, id, 256, flags);
    if (n < 0)
        return -1;
    CHECK(n > 0 && n <= 256 && tu_get_int(stream, ZMQ_RCVMORE));
    *id_len = n;
    int m = zmq_recv(stream, payload, cap, 0);
    CHECK(m >= 0 && (size_t) m <= cap && !tu_get_int(stream, ZMQ_RCVMORE));
    return m;
}

static void collect(void *sock, void *arg)
{
    (void) sock;
    struct seen *s = arg;
    unsigned char id[256], buf[8192];
    int id_len, n;
    while ((n = recv_pair(id, &id_len, buf, sizeof buf, ZMQ_DONTWAIT)) >= 0) {
        if (id_len == good_id_len && memcmp(id, good_id, (size_t) id_len) == 0)
            FAILF("the silent good client's id got %d bytes", n);
        if (!s->connected) {
            EQ_INT(n, 0); /* the connect notification comes first */
            memcpy(s->id, id, (size_t) id_len);
            s->id_len = id_len;
            s->connected = 1;
            continue;
        }
        CHECK(id_len == s->id_len && memcmp(id, s->id, (size_t) id_len) == 0);
        CHECK(!s->disconnected);
        if (n == 0) {
            s->disconnected = 1;
            continue;
        }
        CHECK(s->n + (size_t) n <= s->cap);
        memcpy(s->data + s->n, buf, (size_t) n);
        s->n += (size_t) n;
    }
}

static void setup(void)
{
    ctx = zmq_ctx_new();
    CHECK(ctx != NULL);
    stream = tu_socket(ctx, ZMQ_STREAM);
    fz_maxmsgsize(stream);
    tu_bind(stream, "tcp://127.0.0.1:*", ep, sizeof ep);
    good_fd = tr_connect(ep);
    char empty[1];
    EQ_INT(recv_pair(good_id, &good_id_len, empty, sizeof empty, 0), 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ctx)
        setup();
    struct seen s;
    memset(&s, 0, sizeof s);
    s.cap = size;
    s.data = malloc(size ? size : 1);
    CHECK(s.data != NULL);
    fz_play(tr_connect(ep), data, size, 0, stream, collect, &s);
    /* The disconnect notification follows the hang-up (bounded). */
    for (int i = 0; i < FZ_WAIT_MS / 10 && !s.disconnected; i++) {
        zmq_pollitem_t it = {stream, 0, ZMQ_POLLIN, 0};
        zmq_poll(&it, 1, 10);
        collect(stream, &s);
    }
    CHECK(s.connected && s.disconnected);
    EQ_INT(s.n, size);
    CHECK(memcmp(s.data, data, size) == 0);
    free(s.data);

    /* The well-formed client is still served. */
    char want[32], got[64];
    unsigned char id[256];
    int id_len, n = snprintf(want, sizeof want, "check %u", ++checks);
    tr_write_all(good_fd, want, (size_t) n);
    int m = 0;
    while (m < n) {
        int k = recv_pair(id, &id_len, got + m, sizeof got - (size_t) m, 0);
        CHECK(k > 0 && id_len == good_id_len && memcmp(id, good_id, (size_t) id_len) == 0);
        m += k;
    }
    EQ_INT(m, n);
    CHECK(memcmp(got, want, (size_t) n) == 0);
    OK(zmq_send(stream, good_id, (size_t) good_id_len, ZMQ_SNDMORE));
    tu_send_str(stream, want, 0);
    tr_read_exact(good_fd, got, (size_t) n, FZ_WAIT_MS);
    CHECK(memcmp(got, want, (size_t) n) == 0);
    return 0;
}

void fuzz_target_teardown(void)
{
    if (!ctx)
        return;
    close(good_fd);
    OK(zmq_close(stream));
    OK(zmq_ctx_term(ctx));
    ctx = NULL;
}

const struct fuzz_seed fuzz_builtin_seeds[] = {
    {"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 53},
    {"\xff\0\0\0\0\0\0\0\x01\x7f", 10},
    {"", 0},
    {NULL, 0},
};
