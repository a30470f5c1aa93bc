/* REQ/REP (RFC 28; modelled on libzmq's test_spec_req, test_spec_rep,
 * test_reqrep_*, test_req_correlate, test_req_relaxed): strict
 * alternation, envelopes, round-robin and fair queuing, correlation. */
#include "testutil.h"

static void *ctx;

static void test_alternation(void)
{
    char ep[256];
    void *rep = tu_socket(ctx, ZMQ_REP), *req = tu_socket(ctx, ZMQ_REQ);
    tu_bind(rep, "tcp://127.0.0.1:*", ep, sizeof ep);
    OK(zmq_connect(req, ep));
    char buf[16];
    FAILS(zmq_recv(req, buf, sizeof buf, 0), EFSM);     /* nothing sent yet */
    FAILS(zmq_send(rep, "x", 1, 0), EFSM);              /* nothing received */
    tu_send_str(req, "A", ZMQ_SNDMORE);
    tu_send_str(req, "B", 0);
    FAILS(zmq_send(req, "again", 5, 0), EFSM);          /* reply pending */
    tu_recv_str(rep, "A");
    CHECK(tu_get_int(rep, ZMQ_RCVMORE));
    FAILS(zmq_send(rep, "early", 5, 0), EFSM);          /* mid-request */
    tu_recv_str(rep, "B");
    FAILS(zmq_recv(rep, buf, sizeof buf, ZMQ_DONTWAIT), EFSM);
    tu_send_str(rep, "C", ZMQ_SNDMORE);
    tu_send_str(rep, "D", 0);
    tu_recv_str(req, "C");
    tu_recv_str(req, "D");
    EQ_INT(tu_get_int(req, ZMQ_EVENTS) & ZMQ_POLLOUT, ZMQ_POLLOUT);
    OK(zmq_close(req));
    OK(zmq_close(rep));
}

/* A REQ connected to several REPs sends requests round-robin. */
static void test_req_round_robin(void)
{
    void *req = tu_socket(ctx, ZMQ_REQ);
    void *rep[3];
    for (int i = 0; i < 3; i++) {
        char ep[64];
        snprintf(ep, sizeof ep, "inproc://rr%d", i);
        rep[i] = tu_socket(ctx, ZMQ_REP);
        OK(zmq_bind(rep[i], ep));
        OK(zmq_connect(req, ep));
    }
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 3; i++) {
            tu_send_str(req, "q", 0);
            tu_recv_str(rep[i], "q");
            tu_send_str(rep[i], "a", 0);
            tu_recv_str(req, "a");
        }
    for (int i = 0; i < 3; i++)
        OK(zmq_close(rep[i]));
    OK(zmq_close(req));
}

/* A REP serves several REQs in turn, each reply going to its asker. */
static void test_rep_fair_queue(void)
{
    void *rep = tu_socket(ctx, ZMQ_REP);
    OK(zmq_bind(rep, "inproc://fq"));
    void *req[3];
    for (int i = 0; i < 3; i++) {
        req[i] = tu_socket(ctx, ZMQ_REQ);
        OK(zmq_connect(req[i], "inproc://fq"));
        char m[8];
        snprintf(m, sizeof m, "r%d", i);
        tu_send_str(req[i], m, 0);
    }
    for (int i = 0; i < 3; i++) {
        char buf[8] = {0};
        CHECK(zmq_recv(rep, buf, sizeof buf - 1, 0) == 2);
        tu_send_str(rep, buf, 0); /* echo: goes back to its sender */
    }
    for (int i = 0; i < 3; i++) {
        char m[8];
        snprintf(m, sizeof m, "r%d", i);
        tu_recv_str(req[i], m);
        OK(zmq_close(req[i]));
    }
    OK(zmq_close(rep));
}

/* A DEALER talking to REP must frame requests with an empty delimiter;
 * the REP strips it and puts it back in the reply. */
static void test_dealer_to_rep(void)
{
    void *rep = tu_socket(ctx, ZMQ_REP), *dealer = tu_socket(ctx, ZMQ_DEALER);
    OK(zmq_bind(rep, "inproc://d2r"));
    OK(zmq_connect(dealer, "inproc://d2r"));
    tu_send_str(dealer, "", ZMQ_SNDMORE);
    tu_send_str(dealer, "ask", 0);
    tu_recv_str(rep, "ask");
    tu_send_str(rep, "answer", 0);
    tu_recv_str(dealer, "");
    tu_recv_str(dealer, "answer");
    /* Without the delimiter the request is malformed and dropped. */
    tu_send_str(dealer, "no delimiter", 0);
    tu_send_str(dealer, "", ZMQ_SNDMORE);
    tu_send_str(dealer, "good", 0);
    tu_recv_str(rep, "good");
    OK(zmq_close(dealer));
    OK(zmq_close(rep));
}

/* REQ_CORRELATE + REQ_RELAXED: a new request may be sent without waiting,
 * and a late reply to the old one is discarded. */
static void test_correlate_relaxed(void)
{
    void *router = tu_socket(ctx, ZMQ_ROUTER), *req = tu_socket(ctx, ZMQ_REQ);
    tu_set_int(req, ZMQ_REQ_CORRELATE, 1);
    tu_set_int(req, ZMQ_REQ_RELAXED, 1);
    OK(zmq_bind(router, "inproc://corr"));
    OK(zmq_connect(req, "inproc://corr"));
    tu_send_str(req, "first", 0);
    /* The router sees: id, request id (4 bytes), empty, body. */
    char id[256], rid1[8], rid2[8], buf[32];
    int idlen = zmq_recv(router, id, sizeof id, 0);
    CHECK(idlen > 0);
    EQ_INT(zmq_recv(router, rid1, sizeof rid1, 0), 4);
    EQ_INT(zmq_recv(router, buf, sizeof buf, 0), 0);
    tu_recv_str(router, "first");
    tu_send_str(req, "second", 0); /* relaxed: allowed */
    CHECK(zmq_recv(router, id, sizeof id, 0) == idlen);
    EQ_INT(zmq_recv(router, rid2, sizeof rid2, 0), 4);
    CHECK(memcmp(rid1, rid2, 4) != 0);
    EQ_INT(zmq_recv(router, buf, sizeof buf, 0), 0);
    tu_recv_str(router, "second");
    /* Answer the first (stale) then the second: only the second counts. */
    const char *rids[2] = {rid1, rid2};
    const char *bodies[2] = {"stale", "fresh"};
    for (int i = 0; i < 2; i++) {
        OK(zmq_send(router, id, (size_t) idlen, ZMQ_SNDMORE));
        OK(zmq_send(router, rids[i], 4, ZMQ_SNDMORE));
        OK(zmq_send(router, "", 0, ZMQ_SNDMORE));
        tu_send_str(router, bodies[i], 0);
    }
    tu_recv_str(req, "fresh");
    OK(zmq_close(req));
    OK(zmq_close(router));
}

int main(void)
{
    tu_start(60);
    ctx = zmq_ctx_new();
    RUN(test_alternation);
    RUN(test_req_round_robin);
    RUN(test_rep_fair_queue);
    RUN(test_dealer_to_rep);
    RUN(test_correlate_relaxed);
    OK(zmq_ctx_term(ctx));
    return tu_done();
}
