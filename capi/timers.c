/* gozmq: zmq_timers_* (exported by libzmq.so.5, documented in
 * zmq_timers.adoc). Pure C: a timer set is owned by one thread, which asks
 * zmq_timers_timeout how long to wait and calls zmq_timers_execute to run
 * what is due. Timers live in a small array; sets hold a handful of
 * timers in practice, so a linear scan beats a heap in both code and time.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "zmq.h"

#define GZ_TIMERS_TAG 0x677a7431u /* "gzt1" */

typedef struct {
    int id;
    size_t interval; /* ms */
    uint64_t due;    /* ms on CLOCK_MONOTONIC */
    zmq_timer_fn *handler;
    void *arg;
} gz_timer;

typedef struct {
    uint32_t tag;
    int next_id;
    size_t n, cap;
    gz_timer *t;
} gz_timers;

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000u + (uint64_t) ts.tv_nsec / 1000000u;
}

static gz_timers *check(void *p)
{
    gz_timers *ts = p;
    if (!ts || ts->tag != GZ_TIMERS_TAG) {
        errno = EFAULT;
        return NULL;
    }
    return ts;
}

static gz_timer *find(gz_timers *ts, int id)
{
    for (size_t i = 0; i < ts->n; i++)
        if (ts->t[i].id == id)
            return &ts->t[i];
    errno = EINVAL;
    return NULL;
}

void *zmq_timers_new(void)
{
    gz_timers *ts = calloc(1, sizeof *ts);
    if (!ts) {
        errno = ENOMEM;
        return NULL;
    }
    ts->tag = GZ_TIMERS_TAG;
    ts->next_id = 1;
    return ts;
}

int zmq_timers_destroy(void **timers_p)
{
    if (!timers_p || !check(*timers_p))
        return (errno = EFAULT), -1;
    gz_timers *ts = *timers_p;
    ts->tag = 0;
    free(ts->t);
    free(ts);
    *timers_p = NULL;
    return 0;
}

int zmq_timers_add(void *timers, size_t interval, zmq_timer_fn handler, void *arg)
{
    gz_timers *ts = check(timers);
    if (!ts)
        return -1;
    if (!handler)
        return (errno = EFAULT), -1;
    if (ts->n == ts->cap) {
        size_t cap = ts->cap ? 2 * ts->cap : 8;
        gz_timer *t = realloc(ts->t, cap * sizeof *t);
        if (!t)
            return (errno = ENOMEM), -1;
        ts->t = t;
        ts->cap = cap;
    }
    gz_timer *t = &ts->t[ts->n++];
    t->id = ts->next_id++;
    t->interval = interval;
    t->due = now_ms() + interval;
    t->handler = handler;
    t->arg = arg;
    return t->id;
}

int zmq_timers_cancel(void *timers, int timer_id)
{
    gz_timers *ts = check(timers);
    if (!ts)
        return -1;
    gz_timer *t = find(ts, timer_id);
    if (!t)
        return -1;
    *t = ts->t[--ts->n];
    return 0;
}

int zmq_timers_set_interval(void *timers, int timer_id, size_t interval)
{
    gz_timers *ts = check(timers);
    if (!ts)
        return -1;
    gz_timer *t = find(ts, timer_id);
    if (!t)
        return -1;
    t->interval = interval;
    t->due = now_ms() + interval;
    return 0;
}

int zmq_timers_reset(void *timers, int timer_id)
{
    gz_timers *ts = check(timers);
    if (!ts)
        return -1;
    gz_timer *t = find(ts, timer_id);
    if (!t)
        return -1;
    t->due = now_ms() + t->interval;
    return 0;
}

long zmq_timers_timeout(void *timers)
{
    gz_timers *ts = check(timers);
    if (!ts)
        return -1;
    if (ts->n == 0)
        return -1;
    uint64_t now = now_ms(), next = UINT64_MAX;
    for (size_t i = 0; i < ts->n; i++)
        if (ts->t[i].due < next)
            next = ts->t[i].due;
    return next <= now ? 0 : (long) (next - now);
}

int zmq_timers_execute(void *timers)
{
    gz_timers *ts = check(timers);
    if (!ts)
        return -1;
    uint64_t now = now_ms();
    /* Collect the due ids first: a handler may add or cancel timers,
     * which moves entries in the array. */
    int due[64];
    size_t ndue = 0;
    for (size_t i = 0; i < ts->n && ndue < 64; i++)
        if (ts->t[i].due <= now)
            due[ndue++] = ts->t[i].id;
    for (size_t k = 0; k < ndue; k++) {
        gz_timer *t = NULL;
        for (size_t i = 0; i < ts->n; i++)
            if (ts->t[i].id == due[k])
                t = &ts->t[i];
        if (!t)
            continue; /* cancelled by an earlier handler */
        t->due = now + t->interval;
        zmq_timer_fn *fn = t->handler;
        void *arg = t->arg;
        fn(due[k], arg);
    }
    return 0;
}
