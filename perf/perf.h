/* Helpers shared by the perf tools. The tools are written against zmq.h
 * only, so one binary runs on gozmq and on any libzmq: pick the library
 * with LD_LIBRARY_PATH. Every failure prints the call and errno text and
 * exits non-zero, so a benchmark run can never report a number for a run
 * that went wrong. */
#ifndef GOZMQ_PERF_H
#define GOZMQ_PERF_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#define CHECK(expr)                                                            \
    do {                                                                       \
        if ((expr) < 0) {                                                      \
            printf("error in %s: %s\n", #expr, zmq_strerror(errno));           \
            exit(1);                                                           \
        }                                                                      \
    } while (0)

#define CHECK_PTR(p, what)                                                     \
    do {                                                                       \
        if (!(p)) {                                                            \
            printf("error in %s: %s\n", what, zmq_strerror(errno));            \
            exit(1);                                                           \
        }                                                                      \
    } while (0)

static inline void expect_size(zmq_msg_t *m, size_t want)
{
    if (zmq_msg_size(m) != want) {
        printf("message of incorrect size received\n");
        exit(1);
    }
}

static inline void set_int(void *s, int opt, int v)
{
    CHECK(zmq_setsockopt(s, opt, &v, sizeof v));
}

/* Throughput lines exactly as libzmq's local_thr prints them. */
static inline void print_thr(size_t size, unsigned long count, unsigned long us)
{
    if (us == 0)
        us = 1;
    double thr = (double) count / (double) us * 1000000;
    double mbit = thr * (double) size * 8 / 1000000;
    printf("message size: %d [B]\n", (int) size);
    printf("message count: %d\n", (int) count);
    printf("mean throughput: %d [msg/s]\n", (int) thr);
    printf("mean throughput: %.3f [Mb/s]\n", mbit);
}

/* Latency lines exactly as libzmq's remote_lat prints them: half the
 * mean round trip. */
static inline void print_lat(size_t size, unsigned long rts, unsigned long us)
{
    printf("message size: %d [B]\n", (int) size);
    printf("roundtrip count: %d\n", (int) rts);
    printf("average latency: %.3f [us]\n", (double) us / (double) (rts * 2));
}

/* Optional CURVE (the fourth argument of local_thr/remote_thr). These
 * two key pairs were generated for the perf tools with zmq_curve_keypair
 * and protect nothing. */
#define PERF_SERVER_PUBLIC "K-5[pY3B1OP6*bHq[H[y6)qYb5[#O?TK&3xnMRfU"
#define PERF_SERVER_SECRET "@qyTiW%jB:to1z{kN%W!FdVY#!IZj1y4A9A@3wD{"
#define PERF_CLIENT_PUBLIC "H!+c[x7OhsUXz{Hqpm9Fdr4Ze=bwpK(rxKk:xrs}"
#define PERF_CLIENT_SECRET "rAB%FQKJyeeJNgz]ApD]S-:Xm[dqEpOE}JXdWeFX"

#endif
