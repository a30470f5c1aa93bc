/* Library utilities: version, capabilities, error strings, Z85 (RFC 32),
 * CURVE keys, atomic counters, stopwatch, threads (modelled on libzmq's
 * test_version, test_capabilities, test_base85, test_atomics, test_timers'
 * neighbours and test_security_curve's key checks). */
#include "testutil.h"

static void test_version(void)
{
    int ma = -1, mi = -1, pa = -1;
    zmq_version(&ma, &mi, &pa);
    EQ_INT(ma, 4);
    EQ_INT(mi, 3);
    CHECK(pa >= 4);
    CHECK(ZMQ_VERSION == ZMQ_MAKE_VERSION(4, 3, 5));
}

static void test_capabilities(void)
{
    EQ_INT(zmq_has("ipc"), 1);
    EQ_INT(zmq_has("no-such-thing"), 0);
}

static void test_strerror(void)
{
    CHECK(strcmp(zmq_strerror(EFSM), "Operation cannot be accomplished in current state") == 0);
    CHECK(strcmp(zmq_strerror(ENOCOMPATPROTO), "The protocol is not compatible with the socket type") == 0);
    CHECK(strcmp(zmq_strerror(ETERM), "Context was terminated") == 0);
    CHECK(strcmp(zmq_strerror(EMTHREAD), "No thread available") == 0);
    CHECK(strcmp(zmq_strerror(EAGAIN), strerror(EAGAIN)) == 0);
    errno = EINVAL;
    EQ_INT(zmq_errno(), EINVAL);
}

static void test_z85(void)
{
    /* RFC 32's test vector. */
    const uint8_t bin[8] = {0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B};
    char text[11];
    CHECK(zmq_z85_encode(text, bin, 8) == text);
    CHECK(strcmp(text, "HelloWorld") == 0);
    uint8_t back[8];
    CHECK(zmq_z85_decode(back, "HelloWorld") == back);
    CHECK(memcmp(back, bin, 8) == 0);
    /* Sizes that are not multiples of 4 (5 when decoding) are refused. */
    errno = 0;
    CHECK(zmq_z85_encode(text, bin, 7) == NULL && zmq_errno() == EINVAL);
    errno = 0;
    CHECK(zmq_z85_decode(back, "Hello") != NULL);
    CHECK(zmq_z85_decode(back, "HelloWorl") == NULL && zmq_errno() == EINVAL);
    /* Characters outside the alphabet and values over 2^32 are refused. */
    CHECK(zmq_z85_decode(back, "Hello~orld") == NULL);
    CHECK(zmq_z85_decode(back, "#####") == NULL);
    /* Round trip of every byte value. */
    uint8_t all[256], again[256];
    char enc[321];
    for (int i = 0; i < 256; i++)
        all[i] = (uint8_t) i;
    CHECK(zmq_z85_encode(enc, all, 256) != NULL);
    EQ_INT(strlen(enc), 320);
    CHECK(zmq_z85_decode(again, enc) != NULL);
    CHECK(memcmp(all, again, 256) == 0);
}

static void test_curve_keys(void)
{
    char pub[41], sec[41], derived[41];
    int rc = zmq_curve_keypair(pub, sec);
    if (rc != 0) {
        /* A libzmq built without CURVE says so. */
        EQ_INT(zmq_errno(), ENOTSUP);
        return;
    }
    EQ_INT(strlen(pub), 40);
    EQ_INT(strlen(sec), 40);
    OK(zmq_curve_public(derived, sec));
    CHECK(strcmp(derived, pub) == 0);
    /* A well-known pair (from RFC 26's test keys). */
    OK(zmq_curve_public(derived, "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs"));
    CHECK(strcmp(derived, "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID") == 0);
}

static void test_atomic_counter(void)
{
    void *c = zmq_atomic_counter_new();
    CHECK(c != NULL);
    EQ_INT(zmq_atomic_counter_value(c), 0);
    EQ_INT(zmq_atomic_counter_inc(c), 0);
    EQ_INT(zmq_atomic_counter_inc(c), 1);
    EQ_INT(zmq_atomic_counter_value(c), 2);
    EQ_INT(zmq_atomic_counter_dec(c), 1);
    EQ_INT(zmq_atomic_counter_dec(c), 0);
    zmq_atomic_counter_set(c, 5);
    EQ_INT(zmq_atomic_counter_value(c), 5);
    zmq_atomic_counter_destroy(&c);
    CHECK(c == NULL);
}

static void *counter;
static void bump(void *arg)
{
    (void) arg;
    for (int i = 0; i < 10000; i++)
        zmq_atomic_counter_inc(counter);
}

static void test_threads_and_counter(void)
{
    counter = zmq_atomic_counter_new();
    void *t[4];
    for (int i = 0; i < 4; i++)
        t[i] = zmq_threadstart(bump, NULL);
    for (int i = 0; i < 4; i++)
        zmq_threadclose(t[i]);
    EQ_INT(zmq_atomic_counter_value(counter), 40000);
    zmq_atomic_counter_destroy(&counter);
}

static void test_stopwatch_and_sleep(void)
{
    void *w = zmq_stopwatch_start();
    unsigned long a = zmq_stopwatch_intermediate(w);
    zmq_sleep(0);
    unsigned long b = zmq_stopwatch_intermediate(w);
    CHECK(b >= a);
    CHECK(zmq_stopwatch_stop(w) >= b);
}

static int fired;
static void on_timer(int id, void *arg)
{
    (void) id;
    (void) arg;
    fired++;
}

static void test_timers(void)
{
    void *t = zmq_timers_new();
    CHECK(t != NULL);
    int id = zmq_timers_add(t, 10, on_timer, NULL);
    CHECK(id >= 0);
    long to = zmq_timers_timeout(t);
    CHECK(to >= 0 && to <= 10);
    /* Wait for it with the poller's help, bounded. */
    for (int i = 0; i < 100 && !fired; i++) {
        zmq_poll(NULL, 0, zmq_timers_timeout(t));
        OK(zmq_timers_execute(t));
    }
    EQ_INT(fired, 1);
    OK(zmq_timers_set_interval(t, id, 100000));
    OK(zmq_timers_reset(t, id));
    CHECK(zmq_timers_timeout(t) > 1000);
    OK(zmq_timers_cancel(t, id));
    FAILS(zmq_timers_cancel(t, id), EINVAL);
    EQ_INT(zmq_timers_timeout(t), -1);
    FAILS(zmq_timers_add(t, 1, NULL, NULL), EFAULT);
    OK(zmq_timers_destroy(&t));
    CHECK(t == NULL);
}

int main(void)
{
    tu_start(30);
    RUN(test_version);
    RUN(test_capabilities);
    RUN(test_strerror);
    RUN(test_z85);
    RUN(test_curve_keys);
    RUN(test_atomic_counter);
    RUN(test_threads_and_counter);
    RUN(test_stopwatch_and_sleep);
    RUN(test_timers);
    return tu_done();
}
