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
# zmq.h's section headings -> the kind of the names defined under them (up
# to the next blank line). constants_enum builds SocketType, SocketOption
# and ContextOption from these lists, and the Socket and Context attribute
# tables come from those enums: one source for all of them.
SECTIONS = {
    "/* Socket types. */": "SOCKET_TYPE",
    "/* Older names of socket types. */": "SOCKET_TYPE",
    "/* Draft socket types (RFCs 41, 48, 49, 51, 52). */": "SOCKET_TYPE",
    "/* Socket options. */": "SOCKET_OPTION",
    "/* Older option names, still accepted. */": "SOCKET_OPTION",
    "/* Draft socket options. */": "SOCKET_OPTION",
    "/* ---- contexts ------------------------------------------------------------ */":
        "CONTEXT_OPTION",
    "/* Draft context options. */": "CONTEXT_OPTION",
}
NOT_OPTIONS = {"NOBLOCK"}  # a send flag among the older option names
DEFINE = re.compile(r"^#define\s+ZMQ_([A-Z0-9_]+)\s+(.+?)\s*(/\*.*)?$")
ERRDEF = re.compile(r"^#define\s+(E[A-Z]+)\s+\(ZMQ_HAUSNUMERO \+ (\d+)\)")


def parse(text):
    values, order, posix_errnos = {}, [], []
    in_posix_fallback = False
    hausnumero = None
    zmq_errnos = {}
    kinds = {kind: [] for kind in SECTIONS.values()}
    kinds["SOCKET_OPTION"].append("HWM")  # pyzmq's (see render)
    section = None
    for line in text.splitlines():
        if line.strip() in SECTIONS:
            section = SECTIONS[line.strip()]
        elif not line.strip():
            section = None
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
        if section and name not in NOT_OPTIONS:
            kinds[section].append(name)
    for name, off in zmq_errnos.items():
        values[name] = hausnumero + off
        order.append(name)
    return values, order, EXTRA_ERRNOS + posix_errnos, kinds


def render(values, order, errnos, kinds):
    lines = ['"""ZeroMQ constants, generated from include/zmq.h by tools/gen_constants.py.',
             "", "Names drop the ZMQ_ prefix, as pyzmq's do (zmq.PUSH, zmq.SNDMORE, ...).",
             '"""', "", textwrap.fill(f"from errno import ({', '.join(errnos)})", 90,
                                      subsequent_indent=" " * 19), ""]
    for name in order:
        lines.append(f"{name} = {values[name]}")
    lines += ["", "# Aliases pyzmq offers beyond the header's own; HWM is libzmq 2's option"
              " number,", "# kept by pyzmq as a socket option name (the hwm attribute sets "
              "SNDHWM and RCVHWM).", "NOBLOCK = DONTWAIT", "XREQ = DEALER", "XREP = ROUTER",
              "HWM = 1", "",
              "# Names by kind, from zmq.h's sections (constants_enum makes enums of them)."]
    for kind, names in kinds.items():
        lines.append(f"{kind}_NAMES = (")
        lines += textwrap.wrap(" ".join(f'"{n}",' for n in names), 88,
                               initial_indent="    ", subsequent_indent="    ")
        lines.append(")")
    lines.append("")
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
