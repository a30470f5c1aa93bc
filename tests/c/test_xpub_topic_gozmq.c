/* The part of libzmq's test_xpub_topic that Debian's libzmq 4.3.4 fails:
 * topics of 246 to 255 bytes make SUBSCRIBE/CANCEL commands of 256 to 265
 * bytes, which need the long frame form; 4.3.4 sends them with a short
 * size byte and the XPUB sees garbage (fixed in libzmq 4.3.5, whose
 * behaviour gozmq follows). Same checks as test_xpub_topic. */
#include "xpub_topic.h"

static void run(const char *bind_ep)
{
    static const size_t sizes[] = {246, 247, 248, 249, 250, 251, 252, 253, 254, 255};
    xt_run(bind_ep, sizes, sizeof sizes / sizeof sizes[0]);
}

static void test_tcp(void)
{
    run("tcp://127.0.0.1:*");
}

static void test_ipc(void)
{
    char ep[256];
    run(tu_ipc_endpoint(ep, sizeof ep, "xpub-topic-long"));
}

int main(void)
{
    tu_start(30);
    RUN(test_tcp);
    RUN(test_ipc);
    return tu_done();
}
