/* Draft RADIO/DISH (libzmq's test_radio_dish over tcp, ipc and inproc,
 * with bounded waits where libzmq sleeps), plus the wire format checked
 * byte by byte against a hand-written ZMTP peer, since Debian's libzmq
 * (no draft API, and no ZMTP names for these types) cannot be the other
 * side: a DISH tells its groups with JOIN/LEAVE commands, a RADIO sends a
 * group frame (MORE) then the body — to ZMTP 3.1 and 3.0 peers alike, as
 * libzmq does. udp: groups on IPv4 and IPv6, and Debian's libzmq as a
 * RADIO in a child process (the udp format needs no handshake, so that
 * works although its ZMTP side cannot). Runs on gozmq's draft build only;
 * multicast is not tested (not reliably routable on a test machine). */
#include <sys/wait.h>
#include "testraw.h"

static void send_group(void *s, const char *group, const char *body)
{
    zmq_msg_t m;
    OK(zmq_msg_init_size(&m, strlen(body)));
    memcpy(zmq_msg_data(&m), body, strlen(body));
    OK(zmq_msg_set_group(&m, group));
    EQ_INT(zmq_msg_send(&m, s, 0), (int) strlen(body));
    OK(zmq_msg_close(&m));
}

/* Receives one message (waiting up to RCVTIMEO); 0 on timeout. */
static int recv_group(void *s, char *group, size_t glen, char *body, size_t blen, int flags)
{
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    int n = zmq_msg_recv(&m, s, flags);
    if (n < 0) {
        CHECK(zmq_errno() == EAGAIN);
        OK(zmq_msg_close(&m));
        return 0;
    }
    CHECK((size_t) n < blen);
    memcpy(body, zmq_msg_data(&m), n);
    body[n] = 0;
    snprintf(group, glen, "%s", zmq_msg_group(&m));
    EQ_INT(zmq_msg_more(&m), 0);
    OK(zmq_msg_close(&m));
    return 1;
}

static void expect(void *dish, const char *group, const char *body)
{
    char g[300], b[64];
    CHECK(recv_group(dish, g, sizeof g, b, sizeof b, 0));
    if (strcmp(g, group) != 0 || strcmp(b, body) != 0)
        FAILF("got %s/%s, want %s/%s", g, b, group, body);
}

/* A JOIN travels to the radio asynchronously: send probes of group until
 * the dish sees one (bounded), then drop any later probes. */
static void wait_joined(void *radio, void *dish, const char *group)
{
    char g[300], b[64];
    for (int i = 0; i < 500; i++) {
        send_group(radio, group, "probe");
        zmq_pollitem_t it = {dish, 0, ZMQ_POLLIN, 0};
        if (zmq_poll(&it, 1, 10) > 0) {
            while (recv_group(dish, g, sizeof g, b, sizeof b, ZMQ_DONTWAIT))
                if (strcmp(g, group) == 0 && strcmp(b, "probe") == 0) {
                    while (recv_group(dish, g, sizeof g, b, sizeof b, ZMQ_DONTWAIT)) {
                    }
                    return;
                }
        }
    }
    FAILF("group %s never reached the dish", group);
}

/* Next non-probe message. */
static void expect_skipping_probes(void *dish, const char *group, const char *body)
{
    char g[300], b[64];
    do
        CHECK(recv_group(dish, g, sizeof g, b, sizeof b, 0));
    while (strcmp(b, "probe") == 0);
    if (strcmp(g, group) != 0 || strcmp(b, body) != 0)
        FAILF("got %s/%s, want %s/%s", g, b, group, body);
}

static void test_leave_unjoined_fails(void)
{
    void *ctx = zmq_ctx_new();
    void *dish = tu_socket(ctx, ZMQ_DISH);
    FAILS(zmq_leave(dish, "Movies"), EINVAL);
    OK(zmq_close(dish));
    OK(zmq_ctx_term(ctx));
}

static void test_join_too_long_fails(void)
{
    void *ctx = zmq_ctx_new();
    void *dish = tu_socket(ctx, ZMQ_DISH);
    char group[ZMQ_GROUP_MAX_LENGTH + 2];
    memset(group, 'A', sizeof group - 1);
    group[sizeof group - 1] = 0;
    FAILS(zmq_join(dish, group), EINVAL);
    group[ZMQ_GROUP_MAX_LENGTH] = 0; /* exactly the maximum is fine */
    OK(zmq_join(dish, group));
    OK(zmq_close(dish));
    OK(zmq_ctx_term(ctx));
}

static void test_join_twice_fails(void)
{
    void *ctx = zmq_ctx_new();
    void *dish = tu_socket(ctx, ZMQ_DISH);
    OK(zmq_join(dish, "Movies"));
    FAILS(zmq_join(dish, "Movies"), EINVAL);
    OK(zmq_leave(dish, "Movies"));
    OK(zmq_join(dish, "Movies")); /* joined again after leaving */
    OK(zmq_close(dish));
    OK(zmq_ctx_term(ctx));
}

static void test_misuse(void)
{
    void *ctx = zmq_ctx_new();
    void *radio = tu_socket(ctx, ZMQ_RADIO), *dish = tu_socket(ctx, ZMQ_DISH);
    void *sub = tu_socket(ctx, ZMQ_SUB);
    char buf[4];
    FAILS(zmq_recv(radio, buf, sizeof buf, ZMQ_DONTWAIT), ENOTSUP);
    FAILS(zmq_send(dish, "x", 1, ZMQ_DONTWAIT), ENOTSUP);
    FAILS(zmq_send(radio, "x", 1, ZMQ_SNDMORE), EINVAL);
    FAILS(zmq_join(sub, "x"), ENOTSUP);
    FAILS(zmq_join(radio, "x"), ENOTSUP);
    FAILS(zmq_leave(sub, "x"), ENOTSUP);
    FAILS(zmq_join(dish, NULL), EINVAL);
    FAILS(zmq_join(NULL, "x"), ENOTSOCK);
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    char big[ZMQ_GROUP_MAX_LENGTH + 2];
    memset(big, 'g', sizeof big - 1);
    big[sizeof big - 1] = 0;
    FAILS(zmq_msg_set_group(&m, big), EINVAL);
    CHECK(strcmp(zmq_msg_group(&m), "") == 0);
    OK(zmq_msg_close(&m));
    OK(zmq_close(radio));
    OK(zmq_close(dish));
    OK(zmq_close(sub));
    OK(zmq_ctx_term(ctx));
}

/* libzmq's test_radio_dish_tcp_poll and test_long_group, on one endpoint. */
static void groups_with(const char *bind_ep, int ipv6, int curve)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    void *radio = tu_socket(ctx, ZMQ_RADIO), *dish = tu_socket(ctx, ZMQ_DISH);
    if (ipv6) {
        tu_set_int(radio, ZMQ_IPV6, 1);
        tu_set_int(dish, ZMQ_IPV6, 1);
    }
    if (curve) { /* JOIN/LEAVE then travel boxed, like every frame */
        char spub[41], ssec[41], cpub[41], csec[41];
        OK(zmq_curve_keypair(spub, ssec));
        OK(zmq_curve_keypair(cpub, csec));
        tu_set_int(radio, ZMQ_CURVE_SERVER, 1);
        OK(zmq_setsockopt(radio, ZMQ_CURVE_SECRETKEY, ssec, 40));
        OK(zmq_setsockopt(dish, ZMQ_CURVE_SERVERKEY, spub, 40));
        OK(zmq_setsockopt(dish, ZMQ_CURVE_PUBLICKEY, cpub, 40));
        OK(zmq_setsockopt(dish, ZMQ_CURVE_SECRETKEY, csec, 40));
    }
    tu_bind(radio, bind_ep, ep, sizeof ep);
    OK(zmq_join(dish, "Movies"));
    OK(zmq_join(dish, "0123456789ABCDEFGH")); /* longer than libzmq's inline 14 */
    OK(zmq_connect(dish, ep));
    wait_joined(radio, dish, "Movies");
    send_group(radio, "TV", "Friends"); /* not joined: never delivered */
    send_group(radio, "0123456789ABCDEFGH", "HELLO");
    send_group(radio, "Movies", "Godfather");
    expect_skipping_probes(dish, "0123456789ABCDEFGH", "HELLO");
    expect_skipping_probes(dish, "Movies", "Godfather");
    /* Join while connected. */
    OK(zmq_join(dish, "TV"));
    wait_joined(radio, dish, "TV");
    send_group(radio, "TV", "Friends");
    expect_skipping_probes(dish, "TV", "Friends");
    /* Leave: nothing of TV shows up any more (the dish also drops what
     * was in flight before the radio saw the LEAVE). */
    OK(zmq_leave(dish, "TV"));
    send_group(radio, "TV", "Friends");
    send_group(radio, "Movies", "Godfather");
    zmq_pollitem_t items[] = {{radio, 0, ZMQ_POLLIN, 0}, {dish, 0, ZMQ_POLLIN, 0}};
    EQ_INT(zmq_poll(items, 2, 2000), 1);
    EQ_INT(items[1].revents, ZMQ_POLLIN);
    expect_skipping_probes(dish, "Movies", "Godfather");
    /* A message sent by zmq_send has the empty group. */
    OK(zmq_join(dish, ""));
    wait_joined(radio, dish, "");
    tu_send_str(radio, "nogroup", 0);
    expect_skipping_probes(dish, "", "nogroup");
    OK(zmq_close(dish));
    OK(zmq_close(radio));
    OK(zmq_ctx_term(ctx));
}

static void groups(const char *bind_ep, int ipv6) { groups_with(bind_ep, ipv6, 0); }

static void test_groups_tcp(void) { groups("tcp://127.0.0.1:*", 0); }
static void test_groups_tcp_curve(void) { groups_with("tcp://127.0.0.1:*", 0, 1); }
static void test_groups_tcp_ipv6(void) { groups("tcp://[::1]:*", 1); }
static void test_groups_inproc(void) { groups("inproc://radio-dish", 0); }
static void test_groups_ipc(void)
{
    char ep[256];
    groups(tu_ipc_endpoint(ep, sizeof ep, "rd"), 0);
}

/* Several dishes: each gets only its own groups. */
static void test_two_dishes(void)
{
    void *ctx = zmq_ctx_new();
    void *radio = tu_socket(ctx, ZMQ_RADIO);
    void *d1 = tu_socket(ctx, ZMQ_DISH), *d2 = tu_socket(ctx, ZMQ_DISH);
    OK(zmq_bind(radio, "inproc://two-dishes"));
    OK(zmq_join(d1, "a"));
    OK(zmq_join(d2, "b"));
    OK(zmq_join(d2, "both"));
    OK(zmq_join(d1, "both"));
    OK(zmq_connect(d1, "inproc://two-dishes"));
    OK(zmq_connect(d2, "inproc://two-dishes"));
    send_group(radio, "a", "1");
    send_group(radio, "b", "2");
    send_group(radio, "both", "3");
    expect(d1, "a", "1");
    expect(d1, "both", "3");
    expect(d2, "b", "2");
    expect(d2, "both", "3");
    char g[8], b[8];
    EQ_INT(recv_group(d1, g, sizeof g, b, sizeof b, ZMQ_DONTWAIT), 0);
    EQ_INT(recv_group(d2, g, sizeof g, b, sizeof b, ZMQ_DONTWAIT), 0);
    OK(zmq_close(radio));
    OK(zmq_close(d1));
    OK(zmq_close(d2));
    OK(zmq_ctx_term(ctx));
}

/* udp is for DISH binds and RADIO connects only. */
static void test_udp_wrong_side_fails(void)
{
    void *ctx = zmq_ctx_new();
    void *dish = tu_socket(ctx, ZMQ_DISH), *radio = tu_socket(ctx, ZMQ_RADIO);
    void *pub = tu_socket(ctx, ZMQ_PUB);
    FAILS(zmq_connect(dish, "udp://127.0.0.1:5556"), ENOCOMPATPROTO);
    FAILS(zmq_bind(radio, "udp://*:5556"), ENOCOMPATPROTO);
    FAILS(zmq_bind(pub, "udp://*:5556"), ENOCOMPATPROTO);
    OK(zmq_close(dish));
    OK(zmq_close(radio));
    OK(zmq_close(pub));
    OK(zmq_ctx_term(ctx));
}

/* libzmq's test_radio_dish_udp: no handshake, so the first datagram
 * already counts; groups are filtered by the dish. */
static void radio_dish_udp(int ipv6)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    void *radio = tu_socket(ctx, ZMQ_RADIO), *dish = tu_socket(ctx, ZMQ_DISH);
    tu_set_int(radio, ZMQ_IPV6, ipv6);
    tu_set_int(dish, ZMQ_IPV6, ipv6);
    tu_bind(dish, ipv6 ? "udp://[::1]:*" : "udp://127.0.0.1:*", ep, sizeof ep);
    OK(zmq_join(dish, "TV"));
    OK(zmq_connect(radio, ep));
    send_group(radio, "Movies", "Godfather");
    send_group(radio, "TV", "Friends");
    expect(dish, "TV", "Friends");
    OK(zmq_leave(dish, "TV"));
    OK(zmq_join(dish, "Movies"));
    send_group(radio, "TV", "Friends");
    send_group(radio, "Movies", "Godfather");
    expect(dish, "Movies", "Godfather");
    OK(zmq_disconnect(radio, ep));
    OK(zmq_unbind(dish, ep));
    OK(zmq_close(dish));
    OK(zmq_close(radio));
    OK(zmq_ctx_term(ctx));
}

static void test_radio_dish_udp_ipv4(void) { radio_dish_udp(0); }
static void test_radio_dish_udp_ipv6(void) { radio_dish_udp(1); }

/* Debian's libzmq as the RADIO over udp (it needs no draft function to
 * send to the empty group), in a child process; our DISH receives. */
static int peer_main(const char *ep)
{
    tu_case = "libzmq radio peer";
    if (tu_is_gozmq())
        FAILF("the peer should run on libzmq");
    void *ctx = zmq_ctx_new();
    void *radio = tu_socket(ctx, ZMQ_RADIO);
    tu_set_int(radio, ZMQ_LINGER, 2000);
    OK(zmq_connect(radio, ep));
    for (int i = 0; i < 20; i++) /* udp may drop one; the dish needs one */
        tu_send_str(radio, "from libzmq", 0);
    OK(zmq_close(radio));
    OK(zmq_ctx_term(ctx));
    return 0;
}

static void test_udp_from_libzmq_radio(void)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    void *dish = tu_socket(ctx, ZMQ_DISH);
    tu_bind(dish, "udp://127.0.0.1:*", ep, sizeof ep);
    OK(zmq_join(dish, ""));
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        setenv("LD_LIBRARY_PATH", "", 1);
        unsetenv("GOZMQ_UNDER");
        char *args[] = {"/proc/self/exe", "peer", ep, NULL};
        execv("/proc/self/exe", args);
        _exit(127);
    }
    expect(dish, "", "from libzmq");
    int st = 0;
    CHECK(waitpid(pid, &st, 0) == pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    OK(zmq_close(dish));
    OK(zmq_ctx_term(ctx));
}

/* ---- a hand-written ZMTP peer -------------------------------------------- */

/* Reads one frame into body (NUL-terminated); returns its flags. */
static int raw_read_frame(int fd, char *body, size_t cap, size_t *len)
{
    int flags = tr_read_frame(fd, (unsigned char *) body, cap - 1, len, 5000);
    CHECK((flags & 2) == 0); /* no long frames expected here */
    body[*len] = 0;
    return flags;
}

/* Our RADIO, a raw DISH: the JOIN command selects what we are sent, as
 * a group frame with MORE then the body; LEAVE stops it. */
static void radio_to_raw_dish(int minor)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    void *radio = tu_socket(ctx, ZMQ_RADIO);
    tu_bind(radio, "tcp://127.0.0.1:*", ep, sizeof ep);
    int fd = tr_connect(ep);
    tr_handshake(fd, minor, "DISH", "RADIO");
    tr_write_frame(fd, 4, "\4JOINnews", 9);
    char body[256];
    size_t len;
    int flags = -1;
    for (int i = 0; i < 500; i++) { /* until the JOIN has been applied */
        send_group(radio, "sport", "no");
        send_group(radio, "news", "yes");
        struct pollfd pfd = {fd, POLLIN, 0};
        if (tr_poll(&pfd, 1, 10) == 1) {
            flags = raw_read_frame(fd, body, sizeof body, &len);
            break;
        }
    }
    EQ_INT(flags, 1);
    CHECK(len == 4 && memcmp(body, "news", 4) == 0);
    EQ_INT(raw_read_frame(fd, body, sizeof body, &len), 0);
    CHECK(len == 3 && memcmp(body, "yes", 3) == 0);
    /* LEAVE, then a JOIN of another group: once "other" arrives, the
     * LEAVE (sent before it) has been applied, so no "news" follows. */
    tr_write_frame(fd, 4, "\5LEAVEnews", 10);
    tr_write_frame(fd, 4, "\4JOINother", 10);
    for (;;) {
        send_group(radio, "other", "o");
        struct pollfd pfd = {fd, POLLIN, 0};
        if (tr_poll(&pfd, 1, 10) == 1) {
            flags = raw_read_frame(fd, body, sizeof body, &len);
            if (flags == 1 && len == 5 && memcmp(body, "other", 5) == 0)
                break;
            CHECK(len == 4 && memcmp(body, "news", 4) == 0); /* sent before the LEAVE */
            raw_read_frame(fd, body, sizeof body, &len);
        }
    }
    EQ_INT(raw_read_frame(fd, body, sizeof body, &len), 0);
    send_group(radio, "news", "late");
    send_group(radio, "other", "last");
    for (;;) {
        EQ_INT(raw_read_frame(fd, body, sizeof body, &len), 1);
        CHECK(strcmp(body, "other") == 0);
        EQ_INT(raw_read_frame(fd, body, sizeof body, &len), 0);
        if (strcmp(body, "last") == 0)
            break;
        CHECK(strcmp(body, "o") == 0); /* probes still in flight */
    }
    close(fd);
    OK(zmq_close(radio));
    OK(zmq_ctx_term(ctx));
}

static void test_wire_radio_zmtp31(void) { radio_to_raw_dish(1); }
static void test_wire_radio_zmtp30(void) { radio_to_raw_dish(0); }

/* Our DISH, a raw RADIO: the groups joined come as JOIN commands, joins
 * and leaves made later follow, and group+body frames are delivered;
 * malformed messages (no group frame, too many parts) are dropped. */
static void dish_from_raw_radio(int minor)
{
    char ep[256];
    void *ctx = zmq_ctx_new();
    void *dish = tu_socket(ctx, ZMQ_DISH);
    OK(zmq_join(dish, "TV"));
    tu_bind(dish, "tcp://127.0.0.1:*", ep, sizeof ep);
    int fd = tr_connect(ep);
    tr_handshake(fd, minor, "RADIO", "DISH");
    /* A socket takes in new connections when the application calls it
     * (libzmq too): ask for ZMQ_EVENTS until the JOIN comes. */
    struct pollfd pfd = {fd, POLLIN, 0};
    for (int i = 0; i < 500 && tr_poll(&pfd, 1, 10) == 0; i++)
        tu_get_int(dish, ZMQ_EVENTS);
    char body[256];
    size_t len;
    EQ_INT(raw_read_frame(fd, body, sizeof body, &len), 4);
    CHECK(len == 7 && memcmp(body, "\4JOINTV", 7) == 0);
    OK(zmq_join(dish, "Movies"));
    EQ_INT(raw_read_frame(fd, body, sizeof body, &len), 4);
    CHECK(len == 11 && memcmp(body, "\4JOINMovies", 11) == 0);
    OK(zmq_leave(dish, "Movies"));
    EQ_INT(raw_read_frame(fd, body, sizeof body, &len), 4);
    CHECK(len == 12 && memcmp(body, "\5LEAVEMovies", 12) == 0);
    tr_write_frame(fd, 0, "lonely", 6);                  /* no group frame */
    tr_write_frame(fd, 1, "TV", 2);                      /* three parts */
    tr_write_frame(fd, 1, "a", 1);
    tr_write_frame(fd, 0, "b", 1);
    tr_write_frame(fd, 1, "Movies", 6);                  /* left already */
    tr_write_frame(fd, 0, "Godfather", 9);
    tr_write_frame(fd, 1, "TV", 2);
    tr_write_frame(fd, 0, "Friends", 7);
    expect(dish, "TV", "Friends");
    char g[8], b[8];
    EQ_INT(recv_group(dish, g, sizeof g, b, sizeof b, ZMQ_DONTWAIT), 0);
    close(fd);
    OK(zmq_close(dish));
    OK(zmq_ctx_term(ctx));
}

static void test_wire_dish_zmtp31(void) { dish_from_raw_radio(1); }
static void test_wire_dish_zmtp30(void) { dish_from_raw_radio(0); }

int main(int argc, char **argv)
{
    tu_start(120);
    if (argc == 3 && strcmp(argv[1], "peer") == 0)
        return peer_main(argv[2]);
    RUN(test_leave_unjoined_fails);
    RUN(test_join_too_long_fails);
    RUN(test_join_twice_fails);
    RUN(test_misuse);
    RUN(test_groups_tcp);
    RUN(test_groups_tcp_curve);
    RUN(test_groups_tcp_ipv6);
    RUN(test_groups_inproc);
    RUN(test_groups_ipc);
    RUN(test_two_dishes);
    RUN(test_udp_wrong_side_fails);
    RUN(test_radio_dish_udp_ipv4);
    RUN(test_radio_dish_udp_ipv6);
    RUN(test_udp_from_libzmq_radio);
    RUN(test_wire_radio_zmtp31);
    RUN(test_wire_radio_zmtp30);
    RUN(test_wire_dish_zmtp31);
    RUN(test_wire_dish_zmtp30);
    return tu_done();
}
