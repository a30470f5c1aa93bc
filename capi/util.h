/* gozmq: helpers shared by the C files of capi/. */
#ifndef GOZMQ_UTIL_H
#define GOZMQ_UTIL_H

#include <errno.h>

/* gz_forked reports whether this process is a child created by fork()
 * after the library was loaded. A Go runtime does not survive fork
 * without exec, so every entry point that would call into Go fails at
 * once instead of hanging. */
int gz_forked(void);

#define GZ_FORK_GUARD(ret)                                                     \
    do {                                                                       \
        if (gz_forked()) {                                                     \
            errno = ENOTRECOVERABLE;                                           \
            return ret;                                                        \
        }                                                                      \
    } while (0)

#endif
