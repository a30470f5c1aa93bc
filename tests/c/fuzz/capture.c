/* Records real handshakes for the fuzz corpus: a well-formed client and
 * server of the loaded library talk through a relay in this program, which
 * writes each direction to a file. Run it once against each library:
 *   LD_LIBRARY_PATH=build/lib fuzz_capture tests/c/fuzz/corpus   # gozmq
 *   LD_LIBRARY_PATH= fuzz_capture tests/c/fuzz/corpus            # libzmq
 * It writes <dir>/<pair>-c2s/<lib>.bin (what the client sent: seeds for
 * the bind_* targets) and <dir>/<pair>-s2c/<lib>.bin (what the server
 * sent: seeds for connect_*), for pair null (SUB to PUB) and curve
 * (DEALER to DEALER with CURVE, the fixed keys of fuzz.h). */
#include "fuzz.h"

struct dir_buf {
    uint8_t data[65536];
    size_t n;
};

static struct dir_buf c2s, s2c;

/* Moves what is readable on from to to, recording it. */
static void relay(int from, int to, struct dir_buf *rec)
{
    uint8_t buf[4096];
    ssize_t n = recv(from, buf, sizeof buf, MSG_DONTWAIT);
    if (n <= 0)
        return;
    tr_write_all(to, buf, (size_t) n);
    CHECK(rec->n + (size_t) n <= sizeof rec->data);
    memcpy(rec->data + rec->n, buf, (size_t) n);
    rec->n += (size_t) n;
}

static void save(const char *dir, const char *pair, const char *way, struct dir_buf *rec)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s-%s", dir, pair, way);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/%s-%s/%s.bin", dir, pair, way,
             tu_is_gozmq() ? "gozmq" : "libzmq");
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK(fwrite(rec->data, 1, rec->n, f) == rec->n);
    fclose(f);
    printf("%s: %zu bytes\n", path, rec->n);
}

/* One exchange of traffic; returns 1 once it is complete. */
typedef int (*step_fn)(void *client, void *server);

static int null_step(void *sub, void *pub)
{
    static int got;
    char big[300], buf[400];
    memset(big, 'L', sizeof big);
    if (got == 0) {
        zmq_send(pub, "short message", 13, ZMQ_DONTWAIT);
        if (zmq_recv(sub, buf, sizeof buf, ZMQ_DONTWAIT) > 0) {
            got = 1;
            zmq_send(pub, big, sizeof big, ZMQ_SNDMORE);
            zmq_send(pub, "last part", 9, 0);
        }
        return 0;
    }
    if (zmq_recv(sub, buf, sizeof buf, ZMQ_DONTWAIT) > 0)
        got++;
    return got >= 3;
}

static int curve_step(void *client, void *server)
{
    static int state;
    char buf[64];
    if (state == 0) {
        tu_send_str(client, "hello from the client", 0);
        state = 1;
    } else if (state == 1 && zmq_recv(server, buf, sizeof buf, ZMQ_DONTWAIT) > 0) {
        tu_send_str(server, "hello from the server", 0);
        state = 2;
    } else if (state == 2 && zmq_recv(client, buf, sizeof buf, ZMQ_DONTWAIT) > 0) {
        return 1;
    }
    return 0;
}

static void capture(const char *dir, const char *pair, void *client, void *server, step_fn step)
{
    char sep[256], pep[256];
    tu_bind(server, "tcp://127.0.0.1:*", sep, sizeof sep);
    int lfd = tr_listen(pep, sizeof pep);
    OK(zmq_connect(client, pep));
    int cfd = tr_accept(lfd, FZ_WAIT_MS);
    int sfd = tr_connect(sep);
    c2s.n = s2c.n = 0;
    int done = 0;
    for (int i = 0; i < 1000 && done < 20; i++) {
        struct pollfd p[2] = {{cfd, POLLIN, 0}, {sfd, POLLIN, 0}};
        tr_poll(p, 2, 5);
        relay(cfd, sfd, &c2s);
        relay(sfd, cfd, &s2c);
        if (done || step(client, server))
            done++; /* a few more rounds to pass on what is in flight */
    }
    if (!done)
        FAILF("%s: the exchange did not complete", pair);
    save(dir, pair, "c2s", &c2s);
    save(dir, pair, "s2c", &s2c);
    close(cfd);
    close(sfd);
    close(lfd);
}

int main(int argc, char **argv)
{
    tu_start(60);
    if (argc != 2)
        FAILF("usage: fuzz_capture corpus-dir");
    void *ctx = zmq_ctx_new();

    void *sub = tu_socket(ctx, ZMQ_SUB), *pub = tu_socket(ctx, ZMQ_PUB);
    OK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "", 0));
    capture(argv[1], "null", sub, pub, null_step);

    void *client = tu_socket(ctx, ZMQ_DEALER), *server = tu_socket(ctx, ZMQ_DEALER);
    fz_curve_client(client);
    fz_curve_server(server);
    capture(argv[1], "curve", client, server, curve_step);

    OK(zmq_close(sub));
    OK(zmq_close(pub));
    OK(zmq_close(client));
    OK(zmq_close(server));
    OK(zmq_ctx_term(ctx));
    return 0;
}
