/* Shared by test_xpub_topic and test_xpub_topic_gozmq: for each topic
 * size, a SUB subscribes and unsubscribes and the XPUB must report each
 * byte for byte (topics of at most 1000 bytes). */
#ifndef GOZMQ_XPUB_TOPIC_H
#define GOZMQ_XPUB_TOPIC_H

#include "testutil.h"

static inline void xt_make_topic(char *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        t[i] = (char) ('A' + i % 16);
}

static inline void xt_subscribe_cancel(void *xpub, void *sub, size_t n)
{
    char topic[1100], buf[1110];
    xt_make_topic(topic, n);
    OK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, topic, n));
    int rc = zmq_recv(xpub, buf, sizeof buf, 0);
    EQ_INT(rc, (long) n + 1);
    EQ_INT(buf[0], 1);
    CHECK(memcmp(buf + 1, topic, n) == 0);
    OK(zmq_setsockopt(sub, ZMQ_UNSUBSCRIBE, topic, n));
    rc = zmq_recv(xpub, buf, sizeof buf, 0);
    EQ_INT(rc, (long) n + 1);
    EQ_INT(buf[0], 0);
    CHECK(memcmp(buf + 1, topic, n) == 0);
}

static inline void xt_run(const char *bind_ep, const size_t *sizes, size_t count)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    void *xpub = tu_socket(ctx, ZMQ_XPUB);
    tu_bind(xpub, bind_ep, ep, sizeof ep);
    void *sub = tu_socket(ctx, ZMQ_SUB);
    OK(zmq_connect(sub, ep));
    for (size_t i = 0; i < count; i++)
        xt_subscribe_cancel(xpub, sub, sizes[i]);
    OK(zmq_close(sub));
    OK(zmq_close(xpub));
    OK(zmq_ctx_term(ctx));
}

#endif
