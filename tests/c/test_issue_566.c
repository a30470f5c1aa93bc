/* Routing-id delivery across contexts (modelled on libzmq's
 * test_issue_566): a ROUTER in one context, with ROUTER_MANDATORY, sends
 * to DEALERs in another context that connect with an explicit routing id
 * the ROUTER knows in advance. A hundred fresh DEALERs in a row must each
 * get their message as soon as the connection is up. */
#include "testutil.h"

static void test_issue_566(void)
{
    char ep[256];
    void *ctx1 = zmq_ctx_new(), *ctx2 = zmq_ctx_new();
    CHECK(ctx1 && ctx2);
    void *router = tu_socket(ctx1, ZMQ_ROUTER);
    tu_set_int(router, ZMQ_ROUTER_MANDATORY, 1);
    tu_bind(router, "tcp://127.0.0.1:*", ep, sizeof ep);

    for (int cycle = 0; cycle < 100; cycle++) {
        char id[16];
        snprintf(id, sizeof id, "%09d", cycle); /* 9 digits + the NUL: 10 bytes */
        void *dealer = tu_socket(ctx2, ZMQ_DEALER);
        OK(zmq_setsockopt(dealer, ZMQ_ROUTING_ID, id, 10));
        tu_set_int(dealer, ZMQ_RCVTIMEO, 1000);
        OK(zmq_connect(dealer, ep));
        /* Until the handshake is done the ROUTER does not know the id
         * and, being mandatory, says EHOSTUNREACH. Bounded: 2 s. */
        int sent = 0;
        for (int attempt = 0; attempt < 1000 && !sent; attempt++) {
            int rc = zmq_send(router, id, 10, ZMQ_SNDMORE);
            if (rc == -1 && zmq_errno() == EHOSTUNREACH) {
                zmq_poll(NULL, 0, 2);
                continue;
            }
            EQ_INT(rc, 10);
            tu_send_str(router, "HELLO", 0);
            sent = 1;
        }
        if (!sent)
            FAILF("cycle %d: routing id never became reachable", cycle);
        tu_recv_str(dealer, "HELLO");
        OK(zmq_close(dealer));
    }
    OK(zmq_close(router));
    OK(zmq_ctx_term(ctx1));
    OK(zmq_ctx_term(ctx2));
}

int main(void)
{
    tu_start(60);
    RUN(test_issue_566);
    return tu_done();
}
