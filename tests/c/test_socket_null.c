/* NULL socket and context pointers (modelled on libzmq's test_socket_null):
 * every socket call given NULL fails with ENOTSOCK, zmq_socket given a
 * NULL context fails with EFAULT, and nothing crashes. */
#include "testutil.h"

static void test_socket_null_context(void)
{
    errno = 0;
    CHECK(zmq_socket(NULL, ZMQ_PAIR) == NULL);
    EQ_INT(zmq_errno(), EFAULT);
}

static void test_close(void)
{
    FAILS(zmq_close(NULL), ENOTSOCK);
}

static void test_options(void)
{
    int hwm = 100;
    size_t len = sizeof hwm;
    FAILS(zmq_setsockopt(NULL, ZMQ_SNDHWM, &hwm, sizeof hwm), ENOTSOCK);
    FAILS(zmq_getsockopt(NULL, ZMQ_SNDHWM, &hwm, &len), ENOTSOCK);
    EQ_INT(hwm, 100);
}

static void test_monitor(void)
{
    FAILS(zmq_socket_monitor(NULL, "inproc://monitor", ZMQ_EVENT_ALL), ENOTSOCK);
}

static void test_endpoints(void)
{
    FAILS(zmq_bind(NULL, "inproc://socket"), ENOTSOCK);
    FAILS(zmq_connect(NULL, "inproc://socket"), ENOTSOCK);
    FAILS(zmq_unbind(NULL, "inproc://socket"), ENOTSOCK);
    FAILS(zmq_disconnect(NULL, "inproc://socket"), ENOTSOCK);
}

/* Not in libzmq's test, same family: traffic calls on NULL. */
static void test_send_recv(void)
{
    char buf[4];
    zmq_msg_t m;
    FAILS(zmq_send(NULL, "x", 1, 0), ENOTSOCK);
    FAILS(zmq_recv(NULL, buf, sizeof buf, ZMQ_DONTWAIT), ENOTSOCK);
    OK(zmq_msg_init_size(&m, 1));
    FAILS(zmq_msg_send(&m, NULL, 0), ENOTSOCK);
    FAILS(zmq_msg_recv(&m, NULL, ZMQ_DONTWAIT), ENOTSOCK);
    OK(zmq_msg_close(&m));
}

int main(void)
{
    tu_start(30);
    RUN(test_socket_null_context);
    RUN(test_close);
    RUN(test_options);
    RUN(test_monitor);
    RUN(test_endpoints);
    RUN(test_send_recv);
    return tu_done();
}
