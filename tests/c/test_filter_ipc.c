/* Deprecated ZMQ_IPC_FILTER_UID/GID/PID (after libzmq's test_filter_ipc):
 * a listening ipc socket admits only peers whose credentials (SO_PEERCRED)
 * match a filter: uid, primary gid, a group the peer's user belongs to,
 * or pid. A refused peer's connection is closed at once. */
#include <grp.h>
#include <sys/types.h>
#include "testraw.h"

/* opt 0: no filter. value is a uid, gid or pid (all 4-byte ints). */
static void run(int opt, unsigned value, int admitted)
{
    void *ctx = zmq_ctx_new();
    void *sb = tu_socket(ctx, ZMQ_PAIR);
    if (opt)
        OK(zmq_setsockopt(sb, opt, &value, sizeof value));
    char ep[256];
    tu_bind(sb, tu_ipc_endpoint(ep, sizeof ep, "filter"), ep, sizeof ep);
    void *sc = tu_socket(ctx, ZMQ_PAIR);
    tu_set_int(sc, ZMQ_RECONNECT_IVL, -1);
    void *mon = tr_monitor(ctx, sc, "ipcfilter", ZMQ_EVENT_DISCONNECTED);
    OK(zmq_connect(sc, ep));
    if (admitted) {
        tu_send_str(sc, "in", 0);
        tu_recv_str(sb, "in");
        tu_send_str(sb, "out", 0);
        tu_recv_str(sc, "out");
    } else {
        zmq_send(sc, "blocked", 7, ZMQ_DONTWAIT); /* queued, or EAGAIN */
        EQ_INT(tr_monitor_event(mon, NULL), ZMQ_EVENT_DISCONNECTED);
        char buf[16];
        FAILS(zmq_recv(sb, buf, sizeof buf, ZMQ_DONTWAIT), EAGAIN);
    }
    OK(zmq_socket_monitor(sc, NULL, 0));
    OK(zmq_close(mon));
    OK(zmq_close(sc));
    OK(zmq_close(sb));
    OK(zmq_ctx_term(ctx));
}

static gid_t group, supgroup, notgroup;

/* The process's group, a supplementary one if it has any, and a gid it
 * is not in. */
static void init_groups(void)
{
    gid_t groups[256];
    int n = getgroups(256, groups);
    CHECK(n >= 0);
    group = supgroup = getgid();
    notgroup = group + 1;
    for (int i = 0; i < n; i++) {
        if (supgroup == group && groups[i] != group && getgrgid(groups[i]))
            supgroup = groups[i];
        if (notgroup <= groups[i])
            notgroup = groups[i] + 1;
    }
}

static void test_no_filters(void) { run(0, 0, 1); }
static void test_own_uid(void) { run(ZMQ_IPC_FILTER_UID, getuid(), 1); }
static void test_other_uid(void) { run(ZMQ_IPC_FILTER_UID, getuid() + 1, 0); }
static void test_own_gid(void) { run(ZMQ_IPC_FILTER_GID, group, 1); }
static void test_supplementary_gid(void) { run(ZMQ_IPC_FILTER_GID, supgroup, 1); }
static void test_other_gid(void) { run(ZMQ_IPC_FILTER_GID, notgroup, 0); }
static void test_own_pid(void) { run(ZMQ_IPC_FILTER_PID, (unsigned) getpid(), 1); }
static void test_other_pid(void) { run(ZMQ_IPC_FILTER_PID, (unsigned) getpid() + 1, 0); }

/* Values must be exactly 4 bytes; NULL clears a set. */
static void test_option_values(void)
{
    void *ctx = zmq_ctx_new();
    void *s = tu_socket(ctx, ZMQ_PAIR);
    char small = 1;
    FAILS(zmq_setsockopt(s, ZMQ_IPC_FILTER_UID, &small, 1), EINVAL);
    long long big = 1;
    FAILS(zmq_setsockopt(s, ZMQ_IPC_FILTER_PID, &big, sizeof big), EINVAL);
    OK(zmq_setsockopt(s, ZMQ_IPC_FILTER_GID, NULL, 0));
    OK(zmq_close(s));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(60);
    init_groups();
    RUN(test_no_filters);
    RUN(test_own_uid);
    RUN(test_other_uid);
    RUN(test_own_gid);
    RUN(test_supplementary_gid);
    RUN(test_other_gid);
    RUN(test_own_pid);
    RUN(test_other_pid);
    RUN(test_option_values);
    return tu_done();
}
