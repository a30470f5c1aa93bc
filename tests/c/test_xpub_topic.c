/* Long subscription topics through XPUB (modelled on libzmq's
 * test_xpub_topic): a 245-byte topic makes a 255-byte SUBSCRIBE command
 * (the largest short frame), longer ones need the long frame form; XPUB
 * must report each, and its cancellation, byte for byte. Topics of 246 to
 * 255 bytes are in test_xpub_topic_gozmq: Debian's libzmq 4.3.4 sends
 * their commands with a short size byte (libzmq fixed that in 4.3.5). */
#include "xpub_topic.h"

static void run(const char *bind_ep)
{
    static const size_t sizes[] = {0, 1, 244, 245, 256, 290, 1000};
    xt_run(bind_ep, sizes, sizeof sizes / sizeof sizes[0]);
}

static void test_tcp(void)
{
    run("tcp://127.0.0.1:*");
}

static void test_ipc(void)
{
    char ep[256];
    run(tu_ipc_endpoint(ep, sizeof ep, "xpub-topic"));
}

int main(void)
{
    tu_start(30);
    RUN(test_tcp);
    RUN(test_ipc);
    return tu_done();
}
