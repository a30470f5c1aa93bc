/* Port of libzmq's test_connect_stream_fuzzer: a STREAM socket connects
 * to a raw TCP listener that answers with a fuzzed byte stream. The
 * application must get exactly those bytes, framed as [id][data] between
 * the connect and disconnect notifications; then the same socket must
 * still serve a new, well-formed connection. */
#include "fuzz.h"

static void *ctx;

struct seen {
    void *stream;
    unsigned char id[256];
    int id_len, connected, disconnected;
    uint8_t *data;
    size_t n, cap;
};

static void collect(void *sock, void *arg)
{
    struct seen *s = arg;
    unsigned char id[256], buf[8192];
    int n;
    while ((n = zmq_recv(sock, id, sizeof id, ZMQ_DONTWAIT)) >= 0) {
        CHECK(n > 0 && tu_get_int(sock, ZMQ_RCVMORE));
        int id_len = n;
        n = zmq_recv(sock, buf, sizeof buf, 0);
        CHECK(n >= 0 && !tu_get_int(sock, ZMQ_RCVMORE));
        if (!s->connected) {
            EQ_INT(n, 0);
            memcpy(s->id, id, (size_t) id_len);
            s->id_len = id_len;
            s->connected = 1;
            continue;
        }
        if (id_len != s->id_len || memcmp(id, s->id, (size_t) id_len) != 0) {
            /* Another connection can only be a reconnection that the
             * closed listener refused: notifications, never data. */
            EQ_INT(n, 0);
            continue;
        }
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ctx) {
        ctx = zmq_ctx_new();
        CHECK(ctx != NULL);
    }
    char ep[256];
    int lfd = tr_listen(ep, sizeof ep);
    void *stream = tu_socket(ctx, ZMQ_STREAM);
    fz_maxmsgsize(stream);
    OK(zmq_connect(stream, ep));
    struct seen s;
    memset(&s, 0, sizeof s);
    s.cap = size;
    s.data = malloc(size ? size : 1);
    CHECK(s.data != NULL);
    /* One connection only: later reconnections are refused. */
    int fd = tr_accept(lfd, FZ_WAIT_MS);
    close(lfd);
    fz_play(fd, data, size, 0, stream, collect, &s);
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

    /* A new, well-formed connection: bytes both ways. */
    OK(zmq_disconnect(stream, ep));
    lfd = tr_listen(ep, sizeof ep);
    OK(zmq_connect(stream, ep));
    fd = tr_accept(lfd, FZ_WAIT_MS);
    unsigned char id[256];
    char buf[16];
    int id_len = zmq_recv(stream, id, sizeof id, 0);
    CHECK(id_len > 0);
    EQ_INT(zmq_recv(stream, buf, sizeof buf, 0), 0);
    tr_write_all(fd, "hello", 5);
    CHECK(zmq_recv(stream, buf, sizeof buf, 0) > 0); /* the id */
    EQ_INT(zmq_recv(stream, buf, sizeof buf, 0), 5);
    CHECK(memcmp(buf, "hello", 5) == 0);
    OK(zmq_send(stream, id, (size_t) id_len, ZMQ_SNDMORE));
    tu_send_str(stream, "world", 0);
    tr_read_exact(fd, buf, 5, FZ_WAIT_MS);
    CHECK(memcmp(buf, "world", 5) == 0);
    close(fd);
    close(lfd);
    OK(zmq_close(stream));
    return 0;
}

void fuzz_target_teardown(void)
{
    if (!ctx)
        return;
    OK(zmq_ctx_term(ctx));
    ctx = NULL;
}

const struct fuzz_seed fuzz_builtin_seeds[] = {
    {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 43},
    {"\xff\0\0\0\0\0\0\0\x01\x7f", 10},
    {"", 0},
    {NULL, 0},
};
