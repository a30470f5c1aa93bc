/* gozmq only: the cache of freed large bodies (capi/msg.c, gz_block_*).
 * A sender that runs ahead of its connection frees its bodies, then takes
 * new ones, a burst at a time (its queue drains to half before it is
 * woken). The cache keeps as many freed blocks as are still in use, so a
 * burst larger than its fixed 16 MiB comes back without page faults; and
 * once every body is freed it lets go of all but those 16 MiB. The first
 * is seen in the page-fault count, the second in glibc's counters. */
#include <malloc.h>
#include <sys/resource.h>

#include "testutil.h"

#define BLK (1 << 20)
#define LIVE 96  /* bodies in use: 96 MiB */
#define BURST 48 /* freed, then taken again: 48 MiB, three times the fixed part */
#define PAGES (BLK / 4096)

static long minflt(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_minflt;
}

static void take(zmq_msg_t *m)
{
    CHECK(zmq_msg_init_size(m, BLK) == 0);
    char *p = zmq_msg_data(m);
    for (size_t i = 0; i < BLK; i += 4096)
        p[i] = 1; /* every page in use, as a real body would be */
}

static size_t malloc_bytes(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

static void test_bursts_reuse_freed_bodies(void)
{
    static zmq_msg_t m[LIVE];
    size_t base = malloc_bytes();
    for (int i = 0; i < LIVE; i++)
        take(&m[i]);
    /* Under AddressSanitizer glibc's counters do not see the bodies. */
    int counted = malloc_bytes() >= base + (size_t) LIVE * BLK;
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < BURST; i++)
            CHECK(zmq_msg_close(&m[i]) == 0);
        long before = minflt();
        for (int i = 0; i < BURST; i++)
            take(&m[i]);
        long faults = minflt() - before;
        /* Fresh blocks fault every page: BURST * PAGES. */
        if (faults > BURST * PAGES / 8)
            FAILF("round %d: %ld page faults taking %d freed-size bodies (fresh: %d)", round,
                  faults, BURST, BURST * PAGES);
    }
    for (int i = 0; i < LIVE; i++)
        CHECK(zmq_msg_close(&m[i]) == 0);
    if (counted && malloc_bytes() > base + (size_t) 17 * BLK)
        FAILF("%zu bytes still held after every body was freed (at most 16 MiB are kept)",
              malloc_bytes() - base);
}

int main(void)
{
    tu_start(60);
    RUN(test_bursts_reuse_freed_bodies);
    return tu_done();
}
