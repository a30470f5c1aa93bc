#!/usr/bin/env bash
# zmq_msg_t and zmq_pollitem_t must have libzmq's size and alignment, and
# the header must compile cleanly as C89/C99/C11 and C++98/11.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/layout.c" <<'C'
#include <stddef.h>
#include <stdio.h>
#include <zmq.h>
int main(void)
{
    printf("%zu %zu %zu %zu %zu %zu %zu\n", sizeof(zmq_msg_t), _Alignof(zmq_msg_t),
           sizeof(zmq_pollitem_t), offsetof(zmq_pollitem_t, fd),
           offsetof(zmq_pollitem_t, events), offsetof(zmq_pollitem_t, revents), sizeof(zmq_fd_t));
    return 0;
}
C
gcc -std=c11 -Iinclude "$tmp/layout.c" -o "$tmp/ours"
gcc -std=c11 -I/usr/include "$tmp/layout.c" -o "$tmp/theirs"
ours=$("$tmp/ours"); theirs=$("$tmp/theirs")
[ "$ours" = "$theirs" ] || { echo "layout differs: ours '$ours' libzmq '$theirs'"; exit 1; }
set -- $ours
[ "$1" = 64 ] && [ "$2" -ge 8 ] || { echo "zmq_msg_t is $1 bytes aligned $2"; exit 1; }
# The header compiles warning-free in every language mode.
echo '#include <zmq.h>
int main(void) { return 0; }' > "$tmp/h.c"
for std in c89 c99 c11; do gcc -std=$std -Wall -Wextra -pedantic -Werror -Iinclude -fsyntax-only "$tmp/h.c"; done
gcc -std=gnu11 -Wall -Wextra -Werror -DZMQ_BUILD_DRAFT_API -Iinclude -fsyntax-only "$tmp/h.c"
for std in c++98 c++11 c++17; do g++ -x c++ -std=$std -Wall -Wextra -Werror -Iinclude -fsyntax-only "$tmp/h.c"; done
g++ -x c++ -std=c++11 -Wall -Werror -DZMQ_BUILD_DRAFT_API -Iinclude -fsyntax-only "$tmp/h.c"
# The library's runtime layout agrees with the header (zmq_ctx_get MSG_T_SIZE).
cat > "$tmp/rt.c" <<'C'
#include <zmq.h>
int main(void) { void *c = zmq_ctx_new(); int n = zmq_ctx_get(c, ZMQ_MSG_T_SIZE); zmq_ctx_term(c); return n == sizeof(zmq_msg_t) ? 0 : 1; }
C
gcc -Iinclude "$tmp/rt.c" -o "$tmp/rt" -L"$(dirname "$1")" -lzmq
LD_LIBRARY_PATH="$(dirname "$1")" "$tmp/rt" || { echo "ZMQ_MSG_T_SIZE disagrees"; exit 1; }
echo "layout: zmq_msg_t $1 bytes (align $2), zmq_pollitem_t $3 bytes, same as libzmq; header clean in C89..C11, C++98..C++17"
