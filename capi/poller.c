/* gozmq: the draft zmq_poller_* API (zmq_poller.adoc), in C over
 * zmq_poll. A poller is a reusable set of sockets and fds, each with its
 * user data; waiting builds the zmq_pollitem_t array and reports what is
 * ready in registration order. Exported only by the draft build. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ZMQ_BUILD_DRAFT_API
#include "zmq.h"

#define GZ_POLLER_TAG 0x677a7031u /* "gzp1" */

typedef struct {
    void *socket; /* NULL for an fd item */
    zmq_fd_t fd;
    void *user_data;
    short events;
} gz_pitem;

typedef struct {
    uint32_t tag;
    int n, cap;
    gz_pitem *items;
} gz_poller;

static gz_poller *check(void *p)
{
    gz_poller *pl = p;
    if (!pl || pl->tag != GZ_POLLER_TAG) {
        errno = EFAULT;
        return NULL;
    }
    return pl;
}

static int find(gz_poller *pl, void *socket, zmq_fd_t fd)
{
    for (int i = 0; i < pl->n; i++)
        if (socket ? pl->items[i].socket == socket : (!pl->items[i].socket && pl->items[i].fd == fd))
            return i;
    return -1;
}

/* A socket handle must be one the library knows: asking for its type is
 * the one-call way to check. */
static int valid_socket(void *s)
{
    int type;
    size_t len = sizeof type;
    return s && zmq_getsockopt(s, ZMQ_TYPE, &type, &len) == 0;
}

void *zmq_poller_new(void)
{
    gz_poller *pl = calloc(1, sizeof *pl);
    if (!pl) {
        errno = ENOMEM;
        return NULL;
    }
    pl->tag = GZ_POLLER_TAG;
    return pl;
}

int zmq_poller_destroy(void **poller_p)
{
    if (!poller_p || !check(*poller_p))
        return (errno = EFAULT), -1;
    gz_poller *pl = *poller_p;
    pl->tag = 0;
    free(pl->items);
    free(pl);
    *poller_p = NULL;
    return 0;
}

int zmq_poller_size(void *poller)
{
    gz_poller *pl = check(poller);
    return pl ? pl->n : -1;
}

static int add(gz_poller *pl, void *socket, zmq_fd_t fd, void *user_data, short events)
{
    if (find(pl, socket, fd) >= 0)
        return (errno = EINVAL), -1;
    if (pl->n == pl->cap) {
        int cap = pl->cap ? 2 * pl->cap : 8;
        gz_pitem *items = realloc(pl->items, sizeof *items * (size_t) cap);
        if (!items)
            return (errno = ENOMEM), -1;
        pl->items = items;
        pl->cap = cap;
    }
    pl->items[pl->n++] = (gz_pitem){socket, fd, user_data, events};
    return 0;
}

int zmq_poller_add(void *poller, void *socket, void *user_data, short events)
{
    gz_poller *pl = check(poller);
    if (!pl)
        return -1;
    if (!valid_socket(socket))
        return (errno = ENOTSOCK), -1;
    return add(pl, socket, 0, user_data, events);
}

int zmq_poller_add_fd(void *poller, zmq_fd_t fd, void *user_data, short events)
{
    gz_poller *pl = check(poller);
    if (!pl)
        return -1;
    if (fd < 0)
        return (errno = EBADF), -1;
    return add(pl, NULL, fd, user_data, events);
}

static int modify(void *poller, void *socket, zmq_fd_t fd, short events)
{
    gz_poller *pl = check(poller);
    if (!pl)
        return -1;
    if (socket && !valid_socket(socket))
        return (errno = ENOTSOCK), -1;
    if (!socket && fd < 0)
        return (errno = EBADF), -1;
    int i = find(pl, socket, fd);
    if (i < 0)
        return (errno = EINVAL), -1;
    pl->items[i].events = events;
    return 0;
}

int zmq_poller_modify(void *poller, void *socket, short events) { return modify(poller, socket, 0, events); }
int zmq_poller_modify_fd(void *poller, zmq_fd_t fd, short events) { return modify(poller, NULL, fd, events); }

static int remove_item(void *poller, void *socket, zmq_fd_t fd)
{
    gz_poller *pl = check(poller);
    if (!pl)
        return -1;
    if (socket && !valid_socket(socket))
        return (errno = ENOTSOCK), -1;
    if (!socket && fd < 0)
        return (errno = EBADF), -1;
    int i = find(pl, socket, fd);
    if (i < 0)
        return (errno = EINVAL), -1;
    memmove(&pl->items[i], &pl->items[i + 1], sizeof *pl->items * (size_t) (pl->n - i - 1));
    pl->n--;
    return 0;
}

int zmq_poller_remove(void *poller, void *socket) { return remove_item(poller, socket, 0); }
int zmq_poller_remove_fd(void *poller, zmq_fd_t fd) { return remove_item(poller, NULL, fd); }

/* Waits for up to n_events ready items; returns how many were filled in,
 * or -1 with EAGAIN when the timeout passed with nothing ready. */
int zmq_poller_wait_all(void *poller, zmq_poller_event_t *events, int n_events, long timeout)
{
    gz_poller *pl = check(poller);
    if (!pl)
        return -1;
    if (!events || n_events < 0)
        return (errno = EFAULT), -1;
    if (n_events == 0)
        return (errno = EINVAL), -1;
    if (pl->n == 0) {
        if (timeout < 0)
            return (errno = EFAULT), -1; /* would wait forever on nothing */
        if (zmq_poll(NULL, 0, timeout) < 0)
            return -1;
        return (errno = EAGAIN), -1;
    }
    zmq_pollitem_t stack[32];
    zmq_pollitem_t *items = pl->n <= 32 ? stack : malloc(sizeof *items * (size_t) pl->n);
    if (!items)
        return (errno = ENOMEM), -1;
    for (int i = 0; i < pl->n; i++)
        items[i] = (zmq_pollitem_t){pl->items[i].socket, pl->items[i].fd, pl->items[i].events, 0};
    int rc = zmq_poll(items, pl->n, timeout);
    int found = 0;
    if (rc > 0) {
        for (int i = 0; i < pl->n && found < n_events; i++) {
            if (!items[i].revents)
                continue;
            events[found++] = (zmq_poller_event_t){pl->items[i].socket, pl->items[i].fd,
                                                   pl->items[i].user_data, items[i].revents};
        }
    }
    if (items != stack)
        free(items);
    if (rc < 0)
        return -1;
    if (found == 0)
        return (errno = EAGAIN), -1;
    return found;
}

int zmq_poller_wait(void *poller, zmq_poller_event_t *event, long timeout)
{
    return zmq_poller_wait_all(poller, event, 1, timeout) < 0 ? -1 : 0;
}

/* Only thread-safe sockets have a poller fd in libzmq; gozmq has none, so
 * this fails as libzmq does for a poller of classic sockets. */
int zmq_poller_fd(void *poller, zmq_fd_t *fd)
{
    (void) fd;
    if (!check(poller))
        return -1;
    return (errno = EINVAL), -1;
}
