/* Unit tests of the C half of gozmq (capi/msg.c, util.c, timers.c),
 * compiled without Go so that AddressSanitizer, UBSan and valgrind can
 * watch every allocation: refcounts, free functions, alignment,
 * metadata, Z85, counters, timers. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zmq.h"
#include "msg.h"
#include "util.h"

static int passed;
#define CHECK(c)                                                                          \
    do {                                                                                  \
        if (!(c)) {                                                                       \
            fprintf(stderr, "%s:%d: check failed: %s\n0 passed, 1 failed\n", __FILE__,     \
                    __LINE__, #c);                                                        \
            exit(1);                                                                      \
        }                                                                                 \
    } while (0)
#define RUN(fn)                                                                           \
    do {                                                                                  \
        fn();                                                                             \
        passed++;                                                                         \
    } while (0)

static atomic_int frees;
static void ffn(void *data, void *hint)
{
    CHECK(hint == (void *) 0x42);
    free(data);
    atomic_fetch_add(&frees, 1);
}

static void test_inline_and_large(void)
{
    zmq_msg_t m;
    for (size_t n = 0; n <= GZ_VSM_MAX; n++) {
        CHECK(zmq_msg_init_size(&m, n) == 0);
        CHECK(((gz_msg *) &m)->type == GZ_MSG_VSM);
        memset(zmq_msg_data(&m), 1, n);
        CHECK(zmq_msg_close(&m) == 0);
    }
    size_t sizes[] = {GZ_VSM_MAX + 1, 1000, 65535, 65536, 1 << 20};
    for (size_t i = 0; i < 5; i++) {
        CHECK(zmq_msg_init_size(&m, sizes[i]) == 0);
        CHECK(((gz_msg *) &m)->type == GZ_MSG_LMSG);
        CHECK(zmq_msg_size(&m) == sizes[i]);
        uintptr_t p = (uintptr_t) zmq_msg_data(&m);
        CHECK(p % 16 == 0);
        if (sizes[i] >= 65536)
            CHECK(p % 4096 == 0); /* large bodies are page-aligned */
        memset(zmq_msg_data(&m), 2, sizes[i]);
        CHECK(zmq_msg_close(&m) == 0);
    }
}

static void test_copy_shares_and_frees_once(void)
{
    atomic_store(&frees, 0);
    zmq_msg_t a, b, c;
    char *d = malloc(500);
    CHECK(zmq_msg_init_data(&a, d, 500, ffn, (void *) 0x42) == 0);
    zmq_msg_init(&b);
    zmq_msg_init(&c);
    CHECK(zmq_msg_copy(&b, &a) == 0 && zmq_msg_copy(&c, &b) == 0);
    CHECK(zmq_msg_data(&c) == d);
    CHECK(atomic_load(&((gz_msg *) &a)->u.lmsg.content->refcnt) == 3);
    CHECK(zmq_msg_move(&b, &c) == 0); /* b's old reference is dropped */
    CHECK(atomic_load(&((gz_msg *) &a)->u.lmsg.content->refcnt) == 2);
    zmq_msg_close(&a);
    CHECK(atomic_load(&frees) == 0);
    zmq_msg_close(&b);
    CHECK(atomic_load(&frees) == 1);
    zmq_msg_close(&c); /* empty after the move */
    CHECK(atomic_load(&frees) == 1);
}

static zmq_msg_t shared;
static void *closer(void *arg)
{
    zmq_msg_t *mine = arg;
    for (int i = 0; i < 1000; i++) {
        zmq_msg_t t;
        zmq_msg_init(&t);
        zmq_msg_copy(&t, mine);
        zmq_msg_close(&t);
    }
    zmq_msg_close(mine);
    return NULL;
}

static void test_refcount_across_threads(void)
{
    atomic_store(&frees, 0);
    char *d = malloc(64);
    CHECK(zmq_msg_init_data(&shared, d, 64, ffn, (void *) 0x42) == 0);
    zmq_msg_t copies[4];
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        zmq_msg_init(&copies[i]);
        zmq_msg_copy(&copies[i], &shared);
    }
    zmq_msg_close(&shared);
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, closer, &copies[i]);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    CHECK(atomic_load(&frees) == 1);
}

/* A free function may itself use the message API. */
static void reentrant_ffn(void *data, void *hint)
{
    (void) hint;
    zmq_msg_t m;
    zmq_msg_init_size(&m, 100);
    zmq_msg_close(&m);
    free(data);
    atomic_fetch_add(&frees, 1);
}

static void test_reentrant_free(void)
{
    atomic_store(&frees, 0);
    zmq_msg_t m;
    CHECK(zmq_msg_init_data(&m, malloc(8), 8, reentrant_ffn, NULL) == 0);
    zmq_msg_close(&m);
    CHECK(atomic_load(&frees) == 1);
}

static void test_errors_and_flags(void)
{
    zmq_msg_t m;
    CHECK(zmq_msg_close(NULL) == -1 && errno == EFAULT);
    memset(&m, 0x5A, sizeof m);
    CHECK(zmq_msg_close(&m) == -1 && errno == EFAULT);
    zmq_msg_init(&m);
    CHECK(zmq_msg_get(&m, 999) == -1 && errno == EINVAL);
    CHECK(zmq_msg_set(&m, ZMQ_MORE, 1) == -1 && errno == EINVAL);
    ((gz_msg *) &m)->flags = GZ_MSG_MORE;
    CHECK(zmq_msg_more(&m) == 1 && zmq_msg_get(&m, ZMQ_MORE) == 1);
    CHECK(zmq_msg_close(&m) == 0);
    CHECK(zmq_msg_close(&m) == -1 && errno == EFAULT);
    CHECK(zmq_msg_init_buffer(&m, "abc", 3) == 0);
    CHECK(memcmp(zmq_msg_data(&m), "abc", 3) == 0);
    CHECK(zmq_msg_set_routing_id(&m, 0) == -1 && errno == EINVAL);
    CHECK(zmq_msg_set_routing_id(&m, 7) == 0 && zmq_msg_routing_id(&m) == 7);
    char longg[300];
    memset(longg, 'g', sizeof longg - 1);
    longg[299] = 0;
    CHECK(zmq_msg_set_group(&m, longg) == -1 && errno == EINVAL);
    CHECK(zmq_msg_set_group(&m, "news") == 0 && strcmp(zmq_msg_group(&m), "news") == 0);
    zmq_msg_t c;
    zmq_msg_init(&c);
    CHECK(zmq_msg_copy(&c, &m) == 0 && strcmp(zmq_msg_group(&c), "news") == 0);
    zmq_msg_close(&c);
    zmq_msg_close(&m);
}

static void test_metadata(void)
{
    const char blob[] = "Socket-Type\0PUSH\0Identity\0id-1\0Peer-Address\0" "127.0.0.1";
    gz_meta *md = gz_meta_new(blob, sizeof blob, 3);
    zmq_msg_t m, c;
    zmq_msg_init(&m);
    ((gz_msg *) &m)->meta = md; /* the message takes the reference */
    CHECK(strcmp(zmq_msg_gets(&m, "Socket-Type"), "PUSH") == 0);
    CHECK(strcmp(zmq_msg_gets(&m, "peer-address"), "127.0.0.1") == 0);
    CHECK(strcmp(zmq_msg_gets(&m, "Routing-Id"), "id-1") == 0); /* alias */
    CHECK(zmq_msg_gets(&m, "Nope") == NULL && errno == EINVAL);
    zmq_msg_init(&c);
    zmq_msg_copy(&c, &m);
    zmq_msg_close(&m);
    CHECK(strcmp(zmq_msg_gets(&c, "Socket-Type"), "PUSH") == 0);
    zmq_msg_close(&c); /* last reference: freed (ASan/valgrind check) */
    /* A malformed blob (no final NUL) is never read past its end. */
    gz_meta *bad = gz_meta_new("Key\0Valu", 8, 2);
    CHECK(gz_meta_get(bad, "Key") == NULL && gz_meta_get(bad, "Other") == NULL);
    gz_meta_release(bad);
}

static void test_forget_body(void)
{
    zmq_msg_t m;
    zmq_msg_init_size(&m, 1000);
    gz_content *c = ((gz_msg *) &m)->u.lmsg.content;
    /* Go adopts the message's own reference when it takes the body. */
    gz_msg_forget_body((gz_msg *) &m);
    CHECK(zmq_msg_size(&m) == 0);
    gz_content_release(c);
    zmq_msg_close(&m);
}

static void test_z85(void)
{
    const uint8_t v[8] = {0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B};
    char s[11];
    uint8_t b[8];
    CHECK(strcmp(zmq_z85_encode(s, v, 8), "HelloWorld") == 0);
    CHECK(zmq_z85_decode(b, s) && memcmp(b, v, 8) == 0);
    CHECK(zmq_z85_encode(s, v, 3) == NULL && errno == EINVAL);
    CHECK(zmq_z85_decode(b, "abc") == NULL && errno == EINVAL);
    errno = 0;
    CHECK(zmq_z85_decode(b, "") == NULL && errno == EINVAL); /* as libzmq */
    CHECK(zmq_z85_decode(b, "%%%%%") == NULL); /* > 2^32 */
    CHECK(zmq_z85_decode(b, "ab\x80" "cd") == NULL);
}

static void bump(void *c)
{
    for (int i = 0; i < 10000; i++)
        zmq_atomic_counter_inc(c);
}

static void test_counters_and_threads(void)
{
    void *c = zmq_atomic_counter_new();
    void *t[3];
    for (int i = 0; i < 3; i++)
        t[i] = zmq_threadstart(bump, c);
    for (int i = 0; i < 3; i++)
        zmq_threadclose(t[i]);
    CHECK(zmq_atomic_counter_value(c) == 30000);
    zmq_atomic_counter_set(c, 1);
    CHECK(zmq_atomic_counter_dec(c) == 0);
    zmq_atomic_counter_destroy(&c);
    CHECK(c == NULL);
    void *w = zmq_stopwatch_start();
    CHECK(zmq_stopwatch_stop(w) < 10000000);
}

static int fired;
static void *timers;
static int cancel_target;
static void on_timer(int id, void *arg)
{
    (void) arg;
    fired++;
    if (cancel_target)
        zmq_timers_cancel(timers, cancel_target); /* cancel another from a handler */
    (void) id;
}

static void test_timers(void)
{
    timers = zmq_timers_new();
    int a = zmq_timers_add(timers, 0, on_timer, NULL);
    int b = zmq_timers_add(timers, 0, on_timer, NULL);
    cancel_target = b;
    CHECK(a > 0 && b > a);
    CHECK(zmq_timers_timeout(timers) == 0);
    CHECK(zmq_timers_execute(timers) == 0);
    CHECK(fired == 1); /* a ran and cancelled b */
    CHECK(zmq_timers_cancel(timers, b) == -1 && errno == EINVAL);
    CHECK(zmq_timers_destroy(&timers) == 0 && timers == NULL);
    CHECK(zmq_timers_execute(NULL) == -1 && errno == EFAULT);
}

static void test_fork_guard(void)
{
    CHECK(gz_forked() == 0);
    pid_t pid = fork();
    if (pid == 0)
        _exit(gz_forked() == 1 && strstr(zmq_strerror(ENOTRECOVERABLE), "fork") ? 0 : 1);
    int st;
    waitpid(pid, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    CHECK(gz_forked() == 0); /* the parent is unaffected */
}

static void test_huge(void)
{
    if (!getenv("GOZMQ_HEAVY"))
        return;
    size_t n = (size_t) 2 * 1024 * 1024 * 1024 + 1;
    zmq_msg_t m, c;
    CHECK(zmq_msg_init_size(&m, n) == 0);
    memset(zmq_msg_data(&m), 7, n);
    zmq_msg_init(&c);
    CHECK(zmq_msg_copy(&c, &m) == 0 && zmq_msg_size(&c) == n);
    zmq_msg_close(&m);
    zmq_msg_close(&c);
}

int main(void)
{
    RUN(test_inline_and_large);
    RUN(test_copy_shares_and_frees_once);
    RUN(test_refcount_across_threads);
    RUN(test_reentrant_free);
    RUN(test_errors_and_flags);
    RUN(test_metadata);
    RUN(test_forget_body);
    RUN(test_z85);
    RUN(test_counters_and_threads);
    RUN(test_timers);
    RUN(test_fork_guard);
    RUN(test_huge);
    printf("cunit: %d passed, 0 failed\n", passed);
    return 0;
}
