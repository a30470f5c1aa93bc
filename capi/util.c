/* gozmq: the parts of the API that need no Go runtime: errors, version,
 * Z85, atomic counters, stopwatch, sleep, threads, and the fork guard. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "zmq.h"
#include "util.h"

/* ---- fork guard ---------------------------------------------------------- */

static atomic_int forked;

static void on_fork_child(void) { atomic_store(&forked, 1); }

__attribute__((constructor)) static void gz_util_init(void)
{
    pthread_atfork(NULL, NULL, on_fork_child);
}

int gz_forked(void) { return atomic_load_explicit(&forked, memory_order_relaxed); }

/* ---- errors and version --------------------------------------------------- */

int zmq_errno(void) { return errno; }

const char *zmq_strerror(int errnum_)
{
    switch (errnum_) {
    case EFSM:
        return "Operation cannot be accomplished in current state";
    case ENOCOMPATPROTO:
        return "The protocol is not compatible with the socket type";
    case ETERM:
        return "Context was terminated";
    case EMTHREAD:
        return "No thread available";
    case ENOTRECOVERABLE:
        /* gozmq reports this errno only for use after fork(). */
        return "gozmq cannot be used in a process created by fork() without exec: "
               "the Go runtime does not survive fork (use exec, or multiprocessing's "
               "'spawn' start method)";
    default:
        return strerror(errnum_);
    }
}

void zmq_version(int *major_, int *minor_, int *patch_)
{
    if (major_)
        *major_ = ZMQ_VERSION_MAJOR;
    if (minor_)
        *minor_ = ZMQ_VERSION_MINOR;
    if (patch_)
        *patch_ = ZMQ_VERSION_PATCH;
}

/* ---- Z85 (RFC 32) ------------------------------------------------------------ */

static const char z85_chars[] = "0123456789abcdefghijklmnopqrstuvwxyz"
                                "ABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

/* Reverse table over the printable range 32..127; 0xFF marks invalid. */
static uint8_t z85_value(unsigned char c)
{
    static uint8_t table[96];
    static atomic_int ready;
    if (!atomic_load_explicit(&ready, memory_order_acquire)) {
        uint8_t t[96];
        memset(t, 0xFF, sizeof t);
        for (int i = 0; i < 85; i++)
            t[(unsigned char) z85_chars[i] - 32] = (uint8_t) i;
        memcpy(table, t, sizeof t);
        atomic_store_explicit(&ready, 1, memory_order_release);
    }
    if (c < 32 || c > 127)
        return 0xFF;
    return table[c - 32];
}

char *zmq_z85_encode(char *dest_, const uint8_t *data_, size_t size_)
{
    if (!dest_ || (!data_ && size_) || size_ % 4 != 0) {
        errno = EINVAL;
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < size_; i += 4) {
        uint32_t v = (uint32_t) data_[i] << 24 | (uint32_t) data_[i + 1] << 16
                     | (uint32_t) data_[i + 2] << 8 | data_[i + 3];
        for (int k = 4; k >= 0; k--) {
            dest_[o + (size_t) k] = z85_chars[v % 85];
            v /= 85;
        }
        o += 5;
    }
    dest_[o] = 0;
    return dest_;
}

uint8_t *zmq_z85_decode(uint8_t *dest_, const char *string_)
{
    if (!dest_ || !string_) {
        errno = EINVAL;
        return NULL;
    }
    size_t len = strlen(string_);
    if (len < 5 || len % 5 != 0) { /* libzmq refuses the empty string too */
        errno = EINVAL;
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < len; i += 5) {
        uint64_t v = 0;
        for (int k = 0; k < 5; k++) {
            uint8_t d = z85_value((unsigned char) string_[i + (size_t) k]);
            if (d == 0xFF) {
                errno = EINVAL;
                return NULL;
            }
            v = v * 85 + d;
        }
        if (v > 0xFFFFFFFFu) { /* five digits can exceed 32 bits */
            errno = EINVAL;
            return NULL;
        }
        dest_[o++] = (uint8_t) (v >> 24);
        dest_[o++] = (uint8_t) (v >> 16);
        dest_[o++] = (uint8_t) (v >> 8);
        dest_[o++] = (uint8_t) v;
    }
    return dest_;
}

/* ---- atomic counters -------------------------------------------------------- */

void *zmq_atomic_counter_new(void)
{
    atomic_int *c = malloc(sizeof *c);
    if (c)
        atomic_init(c, 0);
    return c;
}

void zmq_atomic_counter_set(void *counter_, int value_)
{
    atomic_store((atomic_int *) counter_, value_);
}

/* Returns the value before the increment. */
int zmq_atomic_counter_inc(void *counter_)
{
    return atomic_fetch_add((atomic_int *) counter_, 1);
}

/* Returns 1 while the counter stays above zero, 0 once it reaches zero. */
int zmq_atomic_counter_dec(void *counter_)
{
    return atomic_fetch_sub((atomic_int *) counter_, 1) - 1 > 0 ? 1 : 0;
}

int zmq_atomic_counter_value(void *counter_)
{
    return atomic_load((atomic_int *) counter_);
}

void zmq_atomic_counter_destroy(void **counter_p_)
{
    if (counter_p_) {
        free(*counter_p_);
        *counter_p_ = NULL;
    }
}

/* ---- stopwatch and sleep ------------------------------------------------------ */

static uint64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000u + (uint64_t) ts.tv_nsec / 1000u;
}

void *zmq_stopwatch_start(void)
{
    uint64_t *w = malloc(sizeof *w);
    if (w)
        *w = now_us();
    return w;
}

unsigned long zmq_stopwatch_intermediate(void *watch_)
{
    return (unsigned long) (now_us() - *(uint64_t *) watch_);
}

unsigned long zmq_stopwatch_stop(void *watch_)
{
    unsigned long us = zmq_stopwatch_intermediate(watch_);
    free(watch_);
    return us;
}

void zmq_sleep(int seconds_)
{
    struct timespec ts = {seconds_ > 0 ? seconds_ : 0, 0};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
    }
}

/* ---- threads ------------------------------------------------------------------ */

typedef struct {
    pthread_t id;
    zmq_thread_fn *fn;
    void *arg;
} gz_thread;

static void *thread_main(void *p)
{
    gz_thread *t = p;
    t->fn(t->arg);
    return NULL;
}

/* Like libzmq, the new thread starts with every signal blocked: signals
 * belong to the application's own threads. */
void *zmq_threadstart(zmq_thread_fn *func_, void *arg_)
{
    gz_thread *t = malloc(sizeof *t);
    if (!t)
        return NULL;
    t->fn = func_;
    t->arg = arg_;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int rc = pthread_create(&t->id, NULL, thread_main, t);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        free(t);
        errno = rc;
        return NULL;
    }
    return t;
}

void zmq_threadclose(void *thread_)
{
    gz_thread *t = thread_;
    if (!t)
        return;
    pthread_join(t->id, NULL);
    free(t);
}
