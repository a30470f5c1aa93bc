/* gozmq: zmq_proxy, zmq_proxy_steerable and zmq_device, written over the
 * public API (libzmq's proxy.cpp does the same over its internals). The
 * loop waits in zmq_poll, so it is interruptible and returns ETERM when
 * the context ends. A message moves only when its destination can take
 * it (POLLOUT), so a slow side throttles the other instead of dropping. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "zmq.h"

typedef struct {
    uint64_t msgs_in, bytes_in, msgs_out, bytes_out;
} gz_stats;

/* Moves one whole message from `from` to `to`, copying each part to
 * `capture` if there is one. With ZMQ_DONTWAIT in flags it returns 1 if
 * no message was waiting. */
static int forward_one(void *from, void *to, void *capture, gz_stats *in, gz_stats *out,
                       int flags)
{
    int more = 1;
    while (more) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, from, flags) < 0) {
            zmq_msg_close(&m);
            return errno == EAGAIN && (flags & ZMQ_DONTWAIT) ? 1 : -1;
        }
        flags = 0; /* the rest of a message is there already */
        size_t n = zmq_msg_size(&m);
        more = zmq_msg_more(&m);
        in->msgs_in++;
        in->bytes_in += n;
        if (capture) {
            zmq_msg_t c;
            zmq_msg_init(&c);
            zmq_msg_copy(&c, &m);
            if (zmq_msg_send(&c, capture, more ? ZMQ_SNDMORE : 0) < 0)
                zmq_msg_close(&c);
        }
        if (zmq_msg_send(&m, to, more ? ZMQ_SNDMORE : 0) < 0) {
            zmq_msg_close(&m);
            return -1;
        }
        out->msgs_out++;
        out->bytes_out += n;
    }
    return 0;
}

/* Moves the message that poll reported, then up to GZ_PROXY_BURST more
 * that are already waiting, before polling again (as libzmq's proxy
 * does): a poll per message made the proxy ~10x slower than libzmq's. */
#define GZ_PROXY_BURST 1000
static int forward(void *from, void *to, void *capture, gz_stats *in, gz_stats *out)
{
    int rc = forward_one(from, to, capture, in, out, 0);
    for (int i = 0; rc == 0 && i < GZ_PROXY_BURST; i++)
        rc = forward_one(from, to, capture, in, out, ZMQ_DONTWAIT);
    return rc < 0 ? -1 : 0;
}

enum { RUNNING, PAUSED, TERMINATED };

/* Handles one control command; replies to STATISTICS on REP/REQ-like
 * control sockets. */
static int control(void *ctl, int *state, gz_stats *fs, gz_stats *bs)
{
    char cmd[32];
    int n = zmq_recv(ctl, cmd, sizeof cmd - 1, 0);
    if (n < 0)
        return -1;
    cmd[n < (int) sizeof cmd - 1 ? n : (int) sizeof cmd - 1] = 0;
    if (strcmp(cmd, "PAUSE") == 0)
        *state = PAUSED;
    else if (strcmp(cmd, "RESUME") == 0)
        *state = RUNNING;
    else if (strcmp(cmd, "TERMINATE") == 0)
        *state = TERMINATED;
    else if (strcmp(cmd, "STATISTICS") == 0) {
        uint64_t v[8] = {fs->msgs_in, fs->bytes_in, fs->msgs_out, fs->bytes_out,
                         bs->msgs_in, bs->bytes_in, bs->msgs_out, bs->bytes_out};
        for (int i = 0; i < 8; i++)
            if (zmq_send(ctl, &v[i], sizeof v[i], i < 7 ? ZMQ_SNDMORE : 0) < 0)
                return -1;
    }
    return 0;
}

int zmq_proxy_steerable(void *frontend, void *backend, void *capture, void *ctl)
{
    if (!frontend || !backend) {
        errno = EFAULT;
        return -1;
    }
    gz_stats fs = {0, 0, 0, 0}, bs = {0, 0, 0, 0};
    int state = RUNNING;
    int same = frontend == backend;
    for (;;) {
        zmq_pollitem_t items[3] = {{frontend, 0, ZMQ_POLLIN, 0},
                                   {backend, 0, ZMQ_POLLIN, 0},
                                   {ctl, 0, ZMQ_POLLIN, 0}};
        int n = zmq_poll(items, ctl ? 3 : 2, -1);
        if (n < 0)
            return -1; /* ETERM, EINTR */
        if (ctl && (items[2].revents & ZMQ_POLLIN)) {
            if (control(ctl, &state, &fs, &bs) < 0)
                return -1;
            if (state == TERMINATED)
                return 0;
        }
        if (state != RUNNING)
            continue;
        if (items[0].revents & ZMQ_POLLIN) {
            if (forward(frontend, backend, capture, &fs, &bs) < 0)
                return -1;
        }
        if (!same && (items[1].revents & ZMQ_POLLIN)) {
            if (forward(backend, frontend, capture, &bs, &fs) < 0)
                return -1;
        }
    }
}

int zmq_proxy(void *frontend, void *backend, void *capture)
{
    return zmq_proxy_steerable(frontend, backend, capture, NULL);
}

int zmq_device(int type, void *frontend, void *backend)
{
    (void) type;
    return zmq_proxy(frontend, backend, NULL);
}
