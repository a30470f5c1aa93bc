/*
 * gozmq.node: the native half of the gozmq npm package.
 *
 * A thin N-API layer over zmq.h. Every zmq_* call made here runs on the
 * JavaScript thread and never blocks: sends and receives use ZMQ_DONTWAIT
 * and report "would block" to JavaScript, which then waits for the
 * socket's ZMQ_FD to become readable through a libuv poll handle on the
 * event loop (the way libuv waits for any other fd). ZMQ_FD is
 * edge-triggered, so JavaScript re-reads ZMQ_EVENTS after every wake-up
 * and after every send or receive. The only call that blocks, the
 * steerable proxy, runs on libuv's thread pool.
 *
 * The addon is built ahead of time (make -C bindings/node) against the
 * system's Node headers and links libzmq.so.5 found next to it ($ORIGIN),
 * so installing the package compiles nothing.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <uv.h>
#include <zmq.h>

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Per-socket native state. JavaScript holds it as an external; the memory
 * lives until both the socket is closed (poll handle closed) and the
 * external is collected. */
typedef struct gsock {
    void *s;          /* the zmq socket, NULL once closed */
    uv_poll_t poll;   /* watches ZMQ_FD while JS waits on this socket */
    int polling;      /* poll handle started */
    int handle_open;  /* poll handle initialised and not yet closed */
    int collected;    /* JS external finalised */
    napi_env env;
    napi_ref on_ready; /* JS callback run when ZMQ_FD is readable */
    napi_async_context actx; /* so promises settled in on_ready run their
                                reactions right after it (make_callback) */
    struct gsock *prev, *next; /* open sockets, for the exit handler */
} gsock;

/* At process exit, as zeromq.js does, the sockets still open are closed
 * and every context is terminated, so messages already sent are flushed
 * as far as each socket's linger allows (libzmq semantics: linger -1, the
 * default, waits for delivery). The lists are shared by every Node
 * environment (worker threads) in the process. */
typedef struct ctxnode {
    void *ctx;
    struct ctxnode *next;
} ctxnode;
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static gsock *open_socks;
static ctxnode *contexts;

static void register_sock(gsock *g)
{
    pthread_mutex_lock(&registry_lock);
    g->prev = NULL;
    g->next = open_socks;
    if (open_socks)
        open_socks->prev = g;
    open_socks = g;
    pthread_mutex_unlock(&registry_lock);
}

/* Unlinks g and closes its zmq socket (once). */
static void close_registered(gsock *g)
{
    pthread_mutex_lock(&registry_lock);
    if (g->s != NULL) {
        if (g->prev)
            g->prev->next = g->next;
        else
            open_socks = g->next;
        if (g->next)
            g->next->prev = g->prev;
        g->prev = g->next = NULL;
        zmq_close(g->s);
        g->s = NULL;
    }
    pthread_mutex_unlock(&registry_lock);
}

static pthread_cond_t term_done = PTHREAD_COND_INITIALIZER;
static int terminated;

static void *terminate_all(void *arg)
{
    (void)arg;
    for (ctxnode *c = contexts; c != NULL; c = c->next) {
        while (zmq_ctx_term(c->ctx) != 0 && zmq_errno() == EINTR) {
        }
    }
    pthread_mutex_lock(&registry_lock);
    terminated = 1;
    pthread_cond_signal(&term_done);
    pthread_mutex_unlock(&registry_lock);
    return NULL;
}

static void at_exit(void)
{
    pthread_mutex_lock(&registry_lock);
    for (gsock *g = open_socks; g != NULL; g = g->next) {
        zmq_close(g->s);
        g->s = NULL;
    }
    open_socks = NULL;
    pthread_t t;
    if (contexts == NULL || pthread_create(&t, NULL, terminate_all, NULL) != 0) {
        pthread_mutex_unlock(&registry_lock);
        return;
    }
    /* Say why the exit waits if it takes long (the user can set linger, or
     * context.blocky = false, to exit without delivering). */
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_nsec += 500 * 1000 * 1000;
    if (deadline.tv_nsec >= 1000000000) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000;
    }
    int warned = 0;
    while (!terminated) {
        if (pthread_cond_timedwait(&term_done, &registry_lock, &deadline) == ETIMEDOUT && !warned) {
            fprintf(stderr, "(node:%d) gozmq: waiting for queued messages to be delivered before exit "
                            "(socket linger, or context.blocky = false, changes this)\n", (int)getpid());
            warned = 1;
            deadline.tv_sec += 1000000;
        }
    }
    pthread_mutex_unlock(&registry_lock);
    pthread_join(t, NULL);
}

/* Per Node environment (the main thread and each worker thread load the
 * addon separately): the JS function (errno) => Error given by init(). */
typedef struct {
    napi_ref make_error;
} instance;

static napi_ref make_error_ref(napi_env env)
{
    instance *inst = NULL;
    if (napi_get_instance_data(env, (void **)&inst) != napi_ok || inst == NULL)
        return NULL;
    return inst->make_error;
}

static void instance_free(napi_env env, void *data, void *hint)
{
    (void)hint;
    instance *inst = data;
    if (inst->make_error)
        napi_delete_reference(env, inst->make_error);
    free(inst);
}

#define CHECK(call)                                                       \
    do {                                                                  \
        if ((call) != napi_ok) {                                          \
            napi_throw_error(env, NULL, "gozmq: N-API call failed: " #call); \
            return NULL;                                                  \
        }                                                                 \
    } while (0)

#define ARGS(n)                                                           \
    size_t argc = (n);                                                    \
    napi_value argv[(n) > 0 ? (n) : 1];                                   \
    CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL))

/* Throws the JS error for errno e (built by the JS side so that it
 * carries code/errno the way zeromq.js errors do). Returns NULL. */
static napi_value throw_errno(napi_env env, int e)
{
    napi_value fn, global, arg, err;
    napi_ref ref = make_error_ref(env);
    if (ref == NULL || napi_get_reference_value(env, ref, &fn) != napi_ok || fn == NULL) {
        napi_throw_error(env, NULL, zmq_strerror(e));
        return NULL;
    }
    napi_get_global(env, &global);
    napi_create_int32(env, e, &arg);
    if (napi_call_function(env, global, fn, 1, &arg, &err) == napi_ok)
        napi_throw(env, err);
    return NULL;
}

static napi_value undefined(napi_env env)
{
    napi_value v;
    napi_get_undefined(env, &v);
    return v;
}

static napi_value boolean(napi_env env, int b)
{
    napi_value v;
    napi_get_boolean(env, b, &v);
    return v;
}

static void *get_ptr(napi_env env, napi_value v)
{
    void *p = NULL;
    if (napi_get_value_external(env, v, &p) != napi_ok)
        return NULL;
    return p;
}

/* The open socket behind a JS external, or NULL with ENOTSOCK thrown. */
static gsock *get_sock(napi_env env, napi_value v)
{
    gsock *g = get_ptr(env, v);
    if (g == NULL || g->s == NULL) {
        throw_errno(env, ENOTSOCK);
        return NULL;
    }
    return g;
}

/* Declares g, the open socket given as the first argument; returns from
 * the caller (ENOTSOCK thrown) if there is none. */
#define SOCK_ARG(g)                                                       \
    gsock *g = get_sock(env, argv[0]);                                    \
    if (g == NULL)                                                        \
        return NULL

/* The result of a zmq call returning 0 or -1 with errno set. */
static napi_value result(napi_env env, int r)
{
    return r != 0 ? throw_errno(env, zmq_errno()) : undefined(env);
}

/* Copies a JS string argument into buf (or a malloc'd block if longer);
 * returns the C string or NULL with an exception pending. A string that
 * fits takes one N-API call: the copy stops only before a whole character
 * (at most 4 bytes of UTF-8), so a copy that ends more than 4 bytes short
 * of buf's end is the whole string. */
static char *get_string(napi_env env, napi_value v, char *buf, size_t cap, size_t *len)
{
    size_t n = 0;
    if (napi_get_value_string_utf8(env, v, buf, cap, &n) != napi_ok) {
        napi_throw_type_error(env, NULL, "a string was expected");
        return NULL;
    }
    if (n + 4 < cap) {
        if (len)
            *len = n;
        return buf;
    }
    napi_get_value_string_utf8(env, v, NULL, 0, &n);
    char *p = n < cap ? buf : malloc(n + 1);
    if (p == NULL) {
        throw_errno(env, ENOMEM);
        return NULL;
    }
    napi_get_value_string_utf8(env, v, p, n + 1, &n);
    if (len)
        *len = n;
    return p;
}

static napi_value js_init(napi_env env, napi_callback_info info)
{
    ARGS(1);
    instance *inst = calloc(1, sizeof *inst);
    if (inst == NULL)
        return throw_errno(env, ENOMEM);
    if (napi_create_reference(env, argv[0], 1, &inst->make_error) != napi_ok ||
        napi_set_instance_data(env, inst, instance_free, NULL) != napi_ok) {
        free(inst);
        napi_throw_error(env, NULL, "gozmq: cannot keep instance data");
        return NULL;
    }
    return undefined(env);
}

static napi_value js_version(napi_env env, napi_callback_info info)
{
    int a, b, c;
    zmq_version(&a, &b, &c);
    char s[48];
    snprintf(s, sizeof s, "%d.%d.%d", a, b, c);
    napi_value v;
    CHECK(napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v));
    return v;
}

static napi_value js_has(napi_env env, napi_callback_info info)
{
    ARGS(1);
    char buf[64];
    char *s = get_string(env, argv[0], buf, sizeof buf, NULL);
    if (s == NULL)
        return NULL;
    int r = zmq_has(s);
    if (s != buf)
        free(s);
    return boolean(env, r);
}

static napi_value js_strerror(napi_env env, napi_callback_info info)
{
    ARGS(1);
    int32_t e = 0;
    CHECK(napi_get_value_int32(env, argv[0], &e));
    napi_value v;
    CHECK(napi_create_string_utf8(env, zmq_strerror(e), NAPI_AUTO_LENGTH, &v));
    return v;
}

static napi_value js_curve_keypair(napi_env env, napi_callback_info info)
{
    char pub[41], sec[41];
    if (zmq_curve_keypair(pub, sec) != 0)
        return throw_errno(env, zmq_errno());
    napi_value arr, a, b;
    CHECK(napi_create_array_with_length(env, 2, &arr));
    CHECK(napi_create_string_utf8(env, pub, 40, &a));
    CHECK(napi_create_string_utf8(env, sec, 40, &b));
    napi_set_element(env, arr, 0, a);
    napi_set_element(env, arr, 1, b);
    memset(sec, 0, sizeof sec);
    return arr;
}

/* ---- contexts ---------------------------------------------------------- */

static napi_value js_ctx_new(napi_env env, napi_callback_info info)
{
    void *c = zmq_ctx_new();
    if (c == NULL)
        return throw_errno(env, zmq_errno());
    ctxnode *node = malloc(sizeof *node);
    if (node == NULL) {
        zmq_ctx_term(c);
        return throw_errno(env, ENOMEM);
    }
    node->ctx = c;
    pthread_mutex_lock(&registry_lock);
    node->next = contexts;
    contexts = node;
    pthread_mutex_unlock(&registry_lock);
    napi_value v;
    /* A context is terminated only at exit (at_exit): from a finalizer,
     * zmq_ctx_term could block the event loop until its sockets closed. */
    CHECK(napi_create_external(env, c, NULL, NULL, &v));
    return v;
}

/* The context shared by every Node environment of the process (zeromq.js's
 * `context`), so worker threads reach each other over inproc. */
static void *shared_ctx;
static void make_shared_ctx(void)
{
    shared_ctx = zmq_ctx_new();
    if (shared_ctx == NULL)
        return;
    ctxnode *node = malloc(sizeof *node);
    if (node == NULL)
        return;
    node->ctx = shared_ctx;
    pthread_mutex_lock(&registry_lock);
    node->next = contexts;
    contexts = node;
    pthread_mutex_unlock(&registry_lock);
}

static napi_value js_ctx_shared(napi_env env, napi_callback_info info)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, make_shared_ctx);
    if (shared_ctx == NULL)
        return throw_errno(env, zmq_errno());
    napi_value v;
    CHECK(napi_create_external(env, shared_ctx, NULL, NULL, &v));
    return v;
}

static napi_value js_ctx_set(napi_env env, napi_callback_info info)
{
    ARGS(3);
    int32_t opt, val;
    CHECK(napi_get_value_int32(env, argv[1], &opt));
    CHECK(napi_get_value_int32(env, argv[2], &val));
    return result(env, zmq_ctx_set(get_ptr(env, argv[0]), opt, val));
}

static napi_value js_ctx_get(napi_env env, napi_callback_info info)
{
    ARGS(2);
    int32_t opt;
    CHECK(napi_get_value_int32(env, argv[1], &opt));
    int r = zmq_ctx_get(get_ptr(env, argv[0]), opt);
    if (r < 0)
        return throw_errno(env, zmq_errno());
    napi_value v;
    CHECK(napi_create_int32(env, r, &v));
    return v;
}

/* ---- sockets ----------------------------------------------------------- */

static void free_if_done(gsock *g)
{
    if (g->collected && !g->handle_open)
        free(g);
}

static void on_poll_closed(uv_handle_t *h)
{
    gsock *g = h->data;
    g->handle_open = 0;
    free_if_done(g);
}

/* Stops watching and closes the zmq socket; safe to call twice. */
static void sock_close(gsock *g)
{
    if (g->s == NULL)
        return;
    if (g->handle_open) {
        if (g->polling)
            uv_poll_stop(&g->poll);
        g->polling = 0;
        uv_close((uv_handle_t *)&g->poll, on_poll_closed);
    }
    close_registered(g);
    if (g->on_ready) {
        napi_delete_reference(g->env, g->on_ready);
        g->on_ready = NULL;
    }
    if (g->actx) {
        napi_async_destroy(g->env, g->actx);
        g->actx = NULL;
    }
}

static void sock_finalize(napi_env env, void *data, void *hint)
{
    (void)env;
    (void)hint;
    gsock *g = data;
    sock_close(g);
    g->collected = 1;
    free_if_done(g);
}

static void on_poll(uv_poll_t *h, int status, int events)
{
    (void)status;
    (void)events;
    gsock *g = h->data;
    napi_env env = g->env;
    napi_handle_scope scope;
    napi_value fn, global;
    if (g->s == NULL || g->on_ready == NULL)
        return;
    napi_open_handle_scope(env, &scope);
    if (napi_get_reference_value(env, g->on_ready, &fn) == napi_ok && fn != NULL) {
        napi_get_global(env, &global);
        napi_value exc;
        bool pending = false;
        if (napi_make_callback(env, g->actx, global, fn, 0, NULL, NULL) != napi_ok) {
            napi_is_exception_pending(env, &pending);
            if (pending) {
                napi_get_and_clear_last_exception(env, &exc);
                napi_fatal_exception(env, exc);
            }
        }
    }
    napi_close_handle_scope(env, scope);
}

/* socket(ctx, type, onReady) -> external */
static napi_value js_socket(napi_env env, napi_callback_info info)
{
    ARGS(3);
    int32_t type;
    CHECK(napi_get_value_int32(env, argv[1], &type));
    void *ctx = get_ptr(env, argv[0]);
    if (ctx == NULL)
        return throw_errno(env, EFAULT);
    void *s = zmq_socket(ctx, type);
    if (s == NULL)
        return throw_errno(env, zmq_errno());
    gsock *g = calloc(1, sizeof *g);
    if (g == NULL) {
        zmq_close(s);
        return throw_errno(env, ENOMEM);
    }
    g->s = s;
    g->env = env;
    register_sock(g);
    int fd = -1;
    size_t len = sizeof fd;
    uv_loop_t *loop = NULL;
    if (zmq_getsockopt(s, ZMQ_FD, &fd, &len) != 0 || napi_get_uv_event_loop(env, &loop) != napi_ok ||
        uv_poll_init(loop, &g->poll, fd) != 0) {
        int e = zmq_errno();
        close_registered(g);
        free(g);
        return throw_errno(env, e ? e : EINVAL);
    }
    g->poll.data = g;
    g->handle_open = 1;
    napi_create_reference(env, argv[2], 1, &g->on_ready);
    napi_value rname;
    napi_create_string_utf8(env, "gozmq:socket", NAPI_AUTO_LENGTH, &rname);
    napi_async_init(env, NULL, rname, &g->actx);
    napi_value v;
    if (napi_create_external(env, g, sock_finalize, NULL, &v) != napi_ok) {
        sock_close(g);
        g->collected = 1;
        free_if_done(g);
        napi_throw_error(env, NULL, "gozmq: cannot wrap socket");
        return NULL;
    }
    return v;
}

static napi_value js_close(napi_env env, napi_callback_info info)
{
    ARGS(1);
    gsock *g = get_ptr(env, argv[0]);
    if (g)
        sock_close(g);
    return undefined(env);
}

/* watch(sock, on): while on, the event loop watches ZMQ_FD (and stays
 * alive); off releases it so an idle socket never holds the process. */
static napi_value js_watch(napi_env env, napi_callback_info info)
{
    ARGS(2);
    gsock *g = get_ptr(env, argv[0]);
    bool on = false;
    CHECK(napi_get_value_bool(env, argv[1], &on));
    if (g == NULL || g->s == NULL || !g->handle_open)
        return undefined(env);
    if (on && !g->polling) {
        if (uv_poll_start(&g->poll, UV_READABLE, on_poll) != 0)
            return throw_errno(env, EINVAL);
        g->polling = 1;
    } else if (!on && g->polling) {
        uv_poll_stop(&g->poll);
        g->polling = 0;
    }
    return undefined(env);
}

typedef int (*endpoint_fn)(void *, const char *);

static napi_value endpoint_call(napi_env env, napi_callback_info info, endpoint_fn fn)
{
    ARGS(2);
    SOCK_ARG(g);
    char buf[256];
    char *addr = get_string(env, argv[1], buf, sizeof buf, NULL);
    if (addr == NULL)
        return NULL;
    int r = fn(g->s, addr);
    int e = zmq_errno();
    if (addr != buf)
        free(addr);
    if (r != 0)
        return throw_errno(env, e);
    return undefined(env);
}

static napi_value js_bind(napi_env env, napi_callback_info info) { return endpoint_call(env, info, zmq_bind); }
static napi_value js_unbind(napi_env env, napi_callback_info info) { return endpoint_call(env, info, zmq_unbind); }
static napi_value js_connect(napi_env env, napi_callback_info info) { return endpoint_call(env, info, zmq_connect); }
static napi_value js_disconnect(napi_env env, napi_callback_info info) { return endpoint_call(env, info, zmq_disconnect); }

/* ---- options ----------------------------------------------------------- */

/* An integer option's value: width 4 = int, 8 = int64. */
typedef union {
    int i;
    int64_t l;
} int_opt;

/* setInt(sock, opt, value, width) */
static napi_value js_set_int(napi_env env, napi_callback_info info)
{
    ARGS(4);
    SOCK_ARG(g);
    int32_t opt, width;
    double d;
    CHECK(napi_get_value_int32(env, argv[1], &opt));
    CHECK(napi_get_value_double(env, argv[2], &d));
    CHECK(napi_get_value_int32(env, argv[3], &width));
    /* Reject what has no integer value before converting (casting NaN or
     * an out-of-range double is undefined in C). 2^63 itself is out. */
    if (!isfinite(d) || d != trunc(d) || d >= 9223372036854775808.0 || d < -9223372036854775808.0)
        return throw_errno(env, EINVAL);
    if (width != 8 && (d > INT32_MAX || d < INT32_MIN))
        return throw_errno(env, EINVAL);
    int_opt v;
    if (width == 8)
        v.l = (int64_t)d;
    else
        v.i = (int)d;
    return result(env, zmq_setsockopt(g->s, opt, &v, width == 8 ? sizeof v.l : sizeof v.i));
}

/* getInt(sock, opt, width) */
static napi_value js_get_int(napi_env env, napi_callback_info info)
{
    ARGS(3);
    SOCK_ARG(g);
    int32_t opt, width;
    CHECK(napi_get_value_int32(env, argv[1], &opt));
    CHECK(napi_get_value_int32(env, argv[2], &width));
    int_opt v = {.l = 0};
    size_t len = width == 8 ? sizeof v.l : sizeof v.i;
    if (zmq_getsockopt(g->s, opt, &v, &len) != 0)
        return throw_errno(env, zmq_errno());
    napi_value out;
    CHECK(napi_create_double(env, width == 8 ? (double)v.l : v.i, &out));
    return out;
}

/* Points data and len at the bytes of a Buffer, TypedArray, DataView or
 * ArrayBuffer. Returns 0 if v is none of these. */
static int get_bytes(napi_env env, napi_value v, void **data, size_t *len)
{
    bool is = false;
    if (napi_is_buffer(env, v, &is) == napi_ok && is)
        return napi_get_buffer_info(env, v, data, len) == napi_ok;
    if (napi_is_typedarray(env, v, &is) == napi_ok && is) {
        napi_typedarray_type t;
        size_t n, off;
        napi_value ab;
        char *p;
        if (napi_get_typedarray_info(env, v, &t, &n, (void **)&p, &ab, &off) != napi_ok)
            return 0;
        size_t el = 1;
        switch (t) {
        case napi_int16_array: case napi_uint16_array: el = 2; break;
        case napi_int32_array: case napi_uint32_array: case napi_float32_array: el = 4; break;
        case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: el = 8; break;
        default: break;
        }
        *data = p;
        *len = n * el;
        return 1;
    }
    if (napi_is_dataview(env, v, &is) == napi_ok && is) {
        napi_value ab;
        size_t off;
        return napi_get_dataview_info(env, v, len, data, &ab, &off) == napi_ok;
    }
    if (napi_is_arraybuffer(env, v, &is) == napi_ok && is)
        return napi_get_arraybuffer_info(env, v, data, len) == napi_ok;
    return 0;
}

/* Points data and len at the bytes of v, whose type is t: a string's
 * UTF-8 (copied into buf, or into a malloc'd block left in *heap for the
 * caller to free), else what get_bytes finds. Returns 1; 0 if v has no
 * bytes (nothing thrown); -1 with an exception pending. */
static int value_bytes(napi_env env, napi_value v, napi_valuetype t, char *buf, size_t cap,
                       void **data, size_t *len, char **heap)
{
    *heap = NULL;
    if (t != napi_string)
        return get_bytes(env, v, data, len);
    char *s = get_string(env, v, buf, cap, len);
    if (s == NULL)
        return -1;
    if (s != buf)
        *heap = s;
    *data = s;
    return 1;
}

/* setBytes(sock, opt, value): value is a string, bytes or null */
static napi_value js_set_bytes(napi_env env, napi_callback_info info)
{
    ARGS(3);
    SOCK_ARG(g);
    int32_t opt;
    CHECK(napi_get_value_int32(env, argv[1], &opt));
    napi_valuetype t;
    CHECK(napi_typeof(env, argv[2], &t));
    if (t == napi_null || t == napi_undefined)
        return result(env, zmq_setsockopt(g->s, opt, NULL, 0));
    char buf[256], *heap;
    void *p;
    size_t n;
    int ok = value_bytes(env, argv[2], t, buf, sizeof buf, &p, &n, &heap);
    if (ok < 0)
        return NULL;
    if (ok == 0) {
        napi_throw_type_error(env, NULL, "Option value must be a string or buffer");
        return NULL;
    }
    int r = zmq_setsockopt(g->s, opt, p, n);
    free(heap);
    return result(env, r);
}

/* getBytes(sock, opt, cap) -> Buffer of the option's bytes */
static napi_value js_get_bytes(napi_env env, napi_callback_info info)
{
    ARGS(3);
    SOCK_ARG(g);
    int32_t opt, cap;
    CHECK(napi_get_value_int32(env, argv[1], &opt));
    CHECK(napi_get_value_int32(env, argv[2], &cap));
    if (cap <= 0 || cap > 65536)
        return throw_errno(env, EINVAL);
    char *buf = malloc((size_t)cap);
    if (buf == NULL)
        return throw_errno(env, ENOMEM);
    size_t len = (size_t)cap;
    if (zmq_getsockopt(g->s, opt, buf, &len) != 0) {
        int e = zmq_errno();
        free(buf);
        return throw_errno(env, e);
    }
    napi_value out;
    napi_status st = napi_create_buffer_copy(env, len, buf, NULL, &out);
    free(buf);
    CHECK(st);
    return out;
}

static napi_value js_events(napi_env env, napi_callback_info info)
{
    ARGS(1);
    gsock *g = get_ptr(env, argv[0]);
    int ev = 0;
    if (g != NULL && g->s != NULL) {
        size_t len = sizeof ev;
        if (zmq_getsockopt(g->s, ZMQ_EVENTS, &ev, &len) != 0)
            return throw_errno(env, zmq_errno());
    }
    napi_value out;
    CHECK(napi_create_int32(env, ev, &out));
    return out;
}

/* ---- messages ---------------------------------------------------------- */

/* One part of a message to send, looked at once before anything is sent. */
typedef struct {
    napi_value v;     /* the part, or its string form */
    napi_valuetype t; /* v's type: null, undefined, string or object */
    void *p;          /* an object's bytes (get_bytes) */
    size_t n;
} part;

/* Fills *pt for message part v: bytes, a string, null or undefined are
 * taken as they are; anything else becomes its string form (zeromq.js
 * does the same). Returns 0 if v cannot be read or has no string form
 * (an exception may be pending), 1 if v was turned into a string (which
 * runs JavaScript), 2 otherwise. */
static int read_part(napi_env env, napi_value v, part *pt)
{
    pt->v = v;
    if (napi_typeof(env, v, &pt->t) != napi_ok)
        return 0;
    if (pt->t == napi_null || pt->t == napi_undefined || pt->t == napi_string)
        return 2;
    if (pt->t == napi_object && get_bytes(env, v, &pt->p, &pt->n))
        return 2;
    pt->t = napi_string;
    return napi_coerce_to_string(env, v, &pt->v) == napi_ok;
}

/* Large bodies go through a C message: one copy into C memory that the
 * library then takes over without copying again (zmq_send would copy into
 * memory of its own). Small ones are cheaper through zmq_send. */
#define C_BODY_MIN (16 * 1024)

static int send_bytes(void *s, const void *p, size_t n, int flags)
{
    if (n < C_BODY_MIN)
        return zmq_send(s, p, n, flags);
    zmq_msg_t m;
    if (zmq_msg_init_size(&m, n) != 0)
        return -1;
    memcpy(zmq_msg_data(&m), p, n);
    int r = zmq_msg_send(&m, s, flags);
    if (r < 0) {
        int e = zmq_errno();
        zmq_msg_close(&m);
        errno = e;
    }
    return r;
}

/* Sends one frame with ZMQ_DONTWAIT; returns 0, the errno, or -1 with
 * an exception pending. */
static int send_frame(napi_env env, void *s, const part *pt, int flags)
{
    flags |= ZMQ_DONTWAIT;
    if (pt->t == napi_null || pt->t == napi_undefined)
        return zmq_send(s, "", 0, flags) < 0 ? zmq_errno() : 0;
    char buf[1024], *heap = NULL;
    void *p = pt->p;
    size_t n = pt->n;
    if (pt->t == napi_string && value_bytes(env, pt->v, pt->t, buf, sizeof buf, &p, &n, &heap) < 0)
        return -1;
    int e = send_bytes(s, p, n, flags) < 0 ? zmq_errno() : 0;
    free(heap);
    return e;
}

/* send(sock, msg): msg is one frame or an array of frames. Returns true
 * when the whole message was queued, false when the socket would block
 * (nothing was queued); throws on any other error. */
static napi_value js_send(napi_env env, napi_callback_info info)
{
    ARGS(2);
    SOCK_ARG(g);
    bool is_array = false;
    napi_is_array(env, argv[1], &is_array);
    uint32_t n = 1;
    if (is_array) {
        napi_get_array_length(env, argv[1], &n);
        if (n == 0) {
            napi_throw_type_error(env, NULL, "Message must not be an empty array");
            return NULL;
        }
    }
    /* Convert every part first: a part refused after earlier parts went
     * out with SNDMORE would leave half a message in the socket. */
    part small[16];
    part *parts = n <= 16 ? small : malloc(n * sizeof *parts);
    if (parts == NULL)
        return throw_errno(env, ENOMEM);
    int js_ran = 0;
    for (uint32_t i = 0; i < n; i++) {
        napi_value v = argv[1];
        int got = 0;
        if (!is_array || napi_get_element(env, argv[1], i, &v) == napi_ok)
            got = read_part(env, v, &parts[i]);
        if (got == 0) {
            if (parts != small)
                free(parts);
            bool pending = false;
            napi_is_exception_pending(env, &pending);
            if (!pending)
                napi_throw_type_error(env, NULL, "Message part cannot be converted");
            return NULL;
        }
        js_ran |= got == 1;
    }
    /* A toString() may have detached the memory of an earlier part. */
    int e = 0;
    for (uint32_t i = 0; js_ran && i < n && e == 0; i++) {
        if (parts[i].t == napi_object && !get_bytes(env, parts[i].v, &parts[i].p, &parts[i].n)) {
            napi_throw_type_error(env, NULL, "Message must be a Buffer, TypedArray, ArrayBuffer, string, number or null");
            e = -1;
        }
    }
    for (uint32_t i = 0; i < n && e == 0; i++) {
        e = send_frame(env, g->s, &parts[i], i + 1 < n ? ZMQ_SNDMORE : 0);
        /* Only the first part can meet a full queue: once it is accepted
         * the rest of the message is too (libzmq's atomicity rule). */
        if (e == EAGAIN && i > 0)
            e = EFAULT;
    }
    if (parts != small)
        free(parts);
    if (e < 0)
        return NULL;
    if (e == EAGAIN)
        return boolean(env, 0);
    if (e != 0)
        return throw_errno(env, e);
    return boolean(env, 1);
}

/* recv(sock) -> array of Buffers (one whole message), or null if none is
 * waiting; throws on errors. */
static napi_value js_recv(napi_env env, napi_callback_info info)
{
    ARGS(1);
    SOCK_ARG(g);
    napi_value arr = NULL;
    uint32_t i = 0;
    for (;;) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        int r = zmq_msg_recv(&m, g->s, ZMQ_DONTWAIT);
        if (r < 0) {
            int e = zmq_errno();
            zmq_msg_close(&m);
            if (e == EAGAIN && i == 0) {
                napi_value nul;
                napi_get_null(env, &nul);
                return nul;
            }
            return throw_errno(env, e);
        }
        napi_value buf;
        napi_status st = napi_create_buffer_copy(env, zmq_msg_size(&m), zmq_msg_data(&m), NULL, &buf);
        int more = zmq_msg_more(&m);
        zmq_msg_close(&m);
        CHECK(st);
        if (arr == NULL)
            CHECK(napi_create_array(env, &arr));
        CHECK(napi_set_element(env, arr, i++, buf));
        if (!more)
            return arr;
    }
}

/* monitor(sock, endpoint, events) */
static napi_value js_monitor(napi_env env, napi_callback_info info)
{
    ARGS(3);
    SOCK_ARG(g);
    int32_t events;
    CHECK(napi_get_value_int32(env, argv[2], &events));
    napi_valuetype t;
    CHECK(napi_typeof(env, argv[1], &t));
    int r;
    if (t == napi_null) {
        r = zmq_socket_monitor(g->s, NULL, 0);
    } else {
        char buf[256];
        char *ep = get_string(env, argv[1], buf, sizeof buf, NULL);
        if (ep == NULL)
            return NULL;
        r = zmq_socket_monitor(g->s, ep, events);
        if (ep != buf)
            free(ep);
    }
    return result(env, r);
}

/* ---- proxy (blocks, so it runs on the thread pool) ---------------------- */

typedef struct {
    napi_async_work work;
    napi_deferred deferred;
    void *front, *back, *control;
    int rc, err;
} proxy_job;

static void proxy_execute(napi_env env, void *data)
{
    (void)env;
    proxy_job *j = data;
    j->rc = zmq_proxy_steerable(j->front, j->back, NULL, j->control);
    j->err = j->rc != 0 ? zmq_errno() : 0;
}

static void proxy_complete(napi_env env, napi_status status, void *data)
{
    proxy_job *j = data;
    napi_value v = NULL, fn, global, arg;
    if (j->rc == 0 && status == napi_ok) {
        napi_get_undefined(env, &v);
        napi_resolve_deferred(env, j->deferred, v);
    } else {
        napi_get_reference_value(env, make_error_ref(env), &fn);
        napi_get_global(env, &global);
        napi_create_int32(env, j->err ? j->err : EINVAL, &arg);
        napi_call_function(env, global, fn, 1, &arg, &v);
        napi_reject_deferred(env, j->deferred, v);
    }
    napi_delete_async_work(env, j->work);
    free(j);
}

/* proxy(front, back, control) -> Promise resolved when TERMINATE arrives */
static napi_value js_proxy(napi_env env, napi_callback_info info)
{
    ARGS(3);
    gsock *f = get_sock(env, argv[0]);
    if (f == NULL)
        return NULL;
    gsock *b = get_sock(env, argv[1]);
    if (b == NULL)
        return NULL;
    gsock *c = get_sock(env, argv[2]);
    if (c == NULL)
        return NULL;
    proxy_job *j = calloc(1, sizeof *j);
    if (j == NULL)
        return throw_errno(env, ENOMEM);
    j->front = f->s;
    j->back = b->s;
    j->control = c->s;
    napi_value promise, name;
    CHECK(napi_create_promise(env, &j->deferred, &promise));
    CHECK(napi_create_string_utf8(env, "gozmq:proxy", NAPI_AUTO_LENGTH, &name));
    CHECK(napi_create_async_work(env, NULL, name, proxy_execute, proxy_complete, j, &j->work));
    CHECK(napi_queue_async_work(env, j->work));
    return promise;
}

/* ---- module ------------------------------------------------------------- */

static void register_at_exit(void)
{
    atexit(at_exit);
}

static napi_value module_init(napi_env env, napi_value exports)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, register_at_exit);
    static const struct {
        const char *name;
        napi_callback fn;
    } fns[] = {
        {"init", js_init},           {"version", js_version},
        {"has", js_has},             {"strerror", js_strerror},
        {"curveKeypair", js_curve_keypair},
        {"ctxNew", js_ctx_new},      {"ctxShared", js_ctx_shared},
        {"ctxSet", js_ctx_set},
        {"ctxGet", js_ctx_get},      {"socket", js_socket},
        {"close", js_close},         {"watch", js_watch},
        {"bind", js_bind},           {"unbind", js_unbind},
        {"connect", js_connect},     {"disconnect", js_disconnect},
        {"setInt", js_set_int},      {"getInt", js_get_int},
        {"setBytes", js_set_bytes},  {"getBytes", js_get_bytes},
        {"events", js_events},       {"send", js_send},
        {"recv", js_recv},           {"monitor", js_monitor},
        {"proxy", js_proxy},
    };
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        napi_value f;
        if (napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &f) != napi_ok ||
            napi_set_named_property(env, exports, fns[i].name, f) != napi_ok)
            return NULL;
    }
    return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, module_init)
