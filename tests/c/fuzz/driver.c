/* ctest driver for a fuzz target (libFuzzer builds replace it with
 * libFuzzer's own main). It replays, deterministically:
 *   1. the target's built-in seeds,
 *   2. every file in the corpus directories named on the command line
 *      (real handshakes captured from gozmq and from libzmq, see
 *      capture.c),
 *   3. mutations of those seeds from a PRNG with a fixed seed: bit flips,
 *      interesting bytes, insertions, deletions, duplicated and spliced
 *      ranges.
 * Targets that speak ZMTP are built with FUZZ_PREFIX=64 (the greeting).
 * Usage: test_X_fuzzer [-runs=N] [-seed=S] [-dump-seeds=DIR] [corpus-dir...]
 * (-dump-seeds writes the built-in seeds to DIR as files, for libFuzzer).
 * (N mutations in all, default FUZZ_DEFAULT_RUNS; GOZMQ_FUZZ_RUNS in the
 * environment overrides it for longer runs by hand). */
#include <dirent.h>
#include <sys/stat.h>
#include "fuzz.h"

#ifndef FUZZ_PREFIX
#define FUZZ_PREFIX 0
#endif
#ifndef FUZZ_DEFAULT_RUNS
#define FUZZ_DEFAULT_RUNS 100
#endif
#define MAX_SEEDS 256
#define FZ_MAX_INPUT 4096

static struct {
    uint8_t *data;
    size_t size;
} seeds[MAX_SEEDS];
static int nseeds;

static uint64_t rng_state;

/* The input being run, reported if the target fails on it (FAILF exits). */
static const uint8_t *current;
static size_t current_size;
static long current_index = -1;

static void report_input(void)
{
    if (!current)
        return;
    fprintf(stderr, "failing input (#%ld, %zu bytes):", current_index, current_size);
    for (size_t i = 0; i < current_size; i++)
        fprintf(stderr, "%s%02x", i % 32 ? "" : "\n  ", current[i]);
    fprintf(stderr, "\n(save these bytes to a file in a directory and pass it to replay)\n");
}

static void run_one(const uint8_t *data, size_t size, long index)
{
    current = data, current_size = size, current_index = index;
    if (LLVMFuzzerTestOneInput(data, size) != 0)
        FAILF("input %ld returned non-zero", index);
    current = NULL;
}

static uint64_t rng(void)
{
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

static size_t below(size_t n)
{
    return n ? (size_t) (rng() % n) : 0;
}

static void add_seed(const void *data, size_t size)
{
    CHECK(nseeds < MAX_SEEDS);
    if (size > FZ_MAX_INPUT)
        size = FZ_MAX_INPUT;
    seeds[nseeds].data = malloc(size ? size : 1);
    CHECK(seeds[nseeds].data != NULL);
    memcpy(seeds[nseeds].data, data, size);
    seeds[nseeds].size = size;
    nseeds++;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* Loads every file of dir, in name order (the run must not depend on the
 * file system's order). */
static void load_dir(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, by_name);
    if (n < 0)
        FAILF("corpus directory %s: %s", dir, strerror(errno));
    for (int i = 0; i < n; i++) {
        if (names[i]->d_name[0] != '.') {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
            FILE *f = fopen(path, "rb");
            CHECK(f != NULL);
            static uint8_t buf[FZ_MAX_INPUT];
            size_t len = fread(buf, 1, sizeof buf, f);
            fclose(f);
            add_seed(buf, len);
        }
        free(names[i]);
    }
    free(names);
}

static const uint8_t interesting[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x06, 0x7f, 0x80, 0xfe, 0xff};

/* One random edit of buf (length *n, capacity cap). */
static void mutate_once(uint8_t *buf, size_t *n, size_t cap)
{
    size_t len = *n;
    switch (below(8)) {
    case 0: /* flip a bit */
        if (len)
            buf[below(len)] ^= (uint8_t) (1u << below(8));
        break;
    case 1: /* an interesting byte (flags, sizes, version numbers) */
        if (len)
            buf[below(len)] = interesting[below(sizeof interesting)];
        break;
    case 2: /* a random byte */
        if (len)
            buf[below(len)] = (uint8_t) rng();
        break;
    case 3: { /* delete a range */
        if (!len)
            break;
        size_t at = below(len), k = 1 + below(len - at < 16 ? len - at : 16);
        memmove(buf + at, buf + at + k, len - at - k);
        *n = len - k;
        break;
    }
    case 4: { /* insert random bytes */
        size_t k = 1 + below(16);
        if (len + k > cap)
            break;
        size_t at = below(len + 1);
        memmove(buf + at + k, buf + at, len - at);
        for (size_t i = 0; i < k; i++)
            buf[at + i] = (uint8_t) rng();
        *n = len + k;
        break;
    }
    case 5: { /* duplicate a range */
        if (!len)
            break;
        size_t from = below(len), k = 1 + below(len - from < 64 ? len - from : 64);
        if (len + k > cap)
            break;
        size_t at = below(len + 1);
        uint8_t tmp[64];
        memcpy(tmp, buf + from, k);
        memmove(buf + at + k, buf + at, len - at);
        memcpy(buf + at, tmp, k);
        *n = len + k;
        break;
    }
    case 6: /* truncate */
        if (len)
            *n = below(len);
        break;
    default: { /* splice: the tail of another seed */
        int other = (int) below((size_t) nseeds);
        size_t at = below(len + 1), from = below(seeds[other].size + 1);
        size_t k = seeds[other].size - from;
        if (at + k > cap)
            k = cap - at;
        memcpy(buf + at, seeds[other].data + from, k);
        *n = at + k;
        break;
    }
    }
}

static int dump_seeds(const char *dir)
{
    int i = 0;
    for (const struct fuzz_seed *s = fuzz_builtin_seeds; s->data; s++, i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/builtin-%02d", dir, i);
        FILE *f = fopen(path, "wb");
        if (!f)
            FAILF("%s: %s", path, strerror(errno));
        CHECK(fwrite(s->data, 1, s->size, f) == s->size);
        fclose(f);
    }
    return 0;
}

int main(int argc, char **argv)
{
    tu_start(120);
    long runs = FUZZ_DEFAULT_RUNS;
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    const char *env = getenv("GOZMQ_FUZZ_RUNS");
    if (env)
        runs = atol(env);
    for (const struct fuzz_seed *s = fuzz_builtin_seeds; s->data; s++)
        add_seed(s->data, s->size);
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "-runs=", 6) == 0)
            runs = atol(argv[i] + 6);
        else if (strncmp(argv[i], "-seed=", 6) == 0)
            seed = strtoull(argv[i] + 6, NULL, 0);
        else if (strncmp(argv[i], "-dump-seeds=", 12) == 0)
            return dump_seeds(argv[i] + 12);
        else
            load_dir(argv[i]);
    }
    CHECK(nseeds > 0);
    rng_state = seed ? seed : 1;

    atexit(report_input);
    tu_case = "seeds";
    for (int i = 0; i < nseeds; i++)
        run_one(seeds[i].data, seeds[i].size, i);

    tu_case = "mutations";
    static uint8_t buf[FZ_MAX_INPUT];
    for (long r = 0; r < runs; r++) {
        int from = (int) below((size_t) nseeds);
        size_t n = seeds[from].size;
        memcpy(buf, seeds[from].data, n);
        for (int k = 1 + (int) below(4); k > 0; k--) {
            /* Half the edits spare the greeting, so they reach the
             * handshake and traffic behind it. */
            size_t lo = (FUZZ_PREFIX && n > FUZZ_PREFIX && (rng() & 1)) ? FUZZ_PREFIX : 0;
            size_t rest = n - lo;
            mutate_once(buf + lo, &rest, FZ_MAX_INPUT - lo);
            n = lo + rest;
        }
        /* A copy of exactly n bytes, so a sanitizer sees overreads. */
        uint8_t *input = malloc(n ? n : 1);
        CHECK(input != NULL);
        memcpy(input, buf, n);
        run_one(input, n, nseeds + r);
        free(input);
    }
    fuzz_target_teardown();
    for (int i = 0; i < nseeds; i++)
        free(seeds[i].data);
    printf("%d seeds and %ld mutations, 0 failed\n", nseeds, runs);
    return 0;
}
