"""Writes src/gozmq/constants.py from include/zmq.h.

Run from anywhere: python3 bindings/python/tools/gen_constants.py
The test suite runs it with --check to make sure the committed file and the
header agree.
"""
import re
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = HERE.parents[2] / "include" / "zmq.h"
OUT = HERE.parent / "src" / "gozmq" / "constants.py"

# Names that are not constants a Python user needs.
SKIP = {"EXPORT", "DEFINED_STDINT", "MAKE_VERSION", "VERSION", "HAVE_TIMERS",
        "HAVE_POLLER", "HAS_CAPABILITIES", "POLLITEMS_DFLT"}
# POSIX errnos libzmq reports that zmq.h does not name (pyzmq exports them
# too); the ones zmq.h names in its #ifndef fallbacks are found in the header.
EXTRA_ERRNOS = ["EAGAIN", "EINTR", "EINVAL", "EFAULT", "ENOMEM", "ENODEV", "ENOENT", "EMFILE",
                "ENOTRECOVERABLE"]
DEFINE = re.compile(r"^#define\s+ZMQ_([A-Z0-9_]+)\s+(.+?)\s*(/\*.*)?$")
ERRDEF = re.compile(r"^#define\s+(E[A-Z]+)\s+\(ZMQ_HAUSNUMERO \+ (\d+)\)")


def parse(text):
    values, order, posix_errnos = {}, [], []
    in_posix_fallback = False
    hausnumero = None
    zmq_errnos = {}
    for line in text.splitlines():
        if line.startswith("#ifndef E"):
            in_posix_fallback = True
        elif line.startswith("#endif"):
            in_posix_fallback = False
        m = ERRDEF.match(line)
        if m:
            if in_posix_fallback:
                posix_errnos.append(m.group(1))
            else:
                zmq_errnos[m.group(1)] = int(m.group(2))
            continue
        m = DEFINE.match(line)
        if not m:
            continue
        name, raw = m.group(1), m.group(2).strip()
        if name in SKIP or raw.startswith('"'):
            continue
        if name == "HAUSNUMERO":
            hausnumero = int(raw)
        expr = re.sub(r"ZMQ_([A-Z0-9_]+)", lambda mm: str(values.get(mm.group(1), "x")), raw)
        if not re.fullmatch(r"[0-9xXa-fA-F |()+-]+", expr) or "x" in expr.replace("0x", ""):
            continue
        try:
            value = eval(expr, {"__builtins__": {}})  # digits and | + - only
        except Exception:
            continue
        if name not in values:
            order.append(name)
        values[name] = value
    for name, off in zmq_errnos.items():
        values[name] = hausnumero + off
        order.append(name)
    return values, order, EXTRA_ERRNOS + posix_errnos


def render(values, order, errnos):
    lines = ['"""ZeroMQ constants, generated from include/zmq.h by tools/gen_constants.py.',
             "", "Names drop the ZMQ_ prefix, as pyzmq's do (zmq.PUSH, zmq.SNDMORE, ...).",
             '"""', "", textwrap.fill(f"from errno import ({', '.join(errnos)})", 90,
                                      subsequent_indent=" " * 19), ""]
    for name in order:
        lines.append(f"{name} = {values[name]}")
    lines += ["", "# Aliases pyzmq offers beyond the header's own.",
              "NOBLOCK = DONTWAIT", "XREQ = DEALER", "XREP = ROUTER", ""]
    return "\n".join(lines)


def main():
    text = render(*parse(HEADER.read_text()))
    if "--check" in sys.argv:
        if OUT.read_text() != text:
            sys.exit(f"{OUT} is out of date with {HEADER}: run {__file__}")
        return
    OUT.write_text(text)


if __name__ == "__main__":
    main()
