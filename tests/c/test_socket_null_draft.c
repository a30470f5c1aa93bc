/* The draft half of libzmq's test_socket_null: zmq_join and zmq_leave
 * given a NULL socket fail with ENOTSOCK. */
#include "testutil.h"

static void test_join_leave(void)
{
    FAILS(zmq_join(NULL, "group"), ENOTSOCK);
    FAILS(zmq_leave(NULL, "group"), ENOTSOCK);
}

int main(void)
{
    tu_start(30);
    RUN(test_join_leave);
    return tu_done();
}
