#!/usr/bin/env python3
"""Every #define ZMQ_* (and errno fallback) in Debian's zmq.h must have the
same value in ours, with and without ZMQ_BUILD_DRAFT_API. Values are taken
from the preprocessor and evaluated by a compiled program, so expressions
such as (ZMQ_HAUSNUMERO + 51) compare by value."""
import os, re, subprocess, sys, tempfile

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
OURS = os.path.join(ROOT, "include")
SYSTEM = "/usr/include"
# Names whose value changed between libzmq 4.3.4 (Debian) and 4.3.5 (ours).
CHANGED = {"ZMQ_VERSION_PATCH": "4.3.5 is reported", "ZMQ_VERSION": "follows the patch level",
           "ZMQ_RECONNECT_STOP_AFTER_DISCONNECT": "draft value corrected in 4.3.5 (0x3 -> 0x4)"}

def macros(incdir, draft):
    with tempfile.NamedTemporaryFile("w", suffix=".c", delete=False) as f:
        f.write("#include <zmq.h>\n")
    args = ["gcc", "-E", "-dM", "-I", incdir, f.name] + (["-DZMQ_BUILD_DRAFT_API"] if draft else [])
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    os.unlink(f.name)
    names = set()
    for line in out.splitlines():
        m = re.match(r"#define ((ZMQ_|E)[A-Z0-9_]+)(\(|\s|$)", line)
        if m and m.group(3) != "(" and not line.rstrip().endswith(m.group(1)):
            names.add(m.group(1))
    return names

def values(incdir, names, draft):
    """Compile a program that prints each numeric macro's value."""
    src = "#include <stdio.h>\n#include <zmq.h>\nint main(void){\n"
    for n in sorted(names):
        src += f'#if defined({n})\nprintf("{n} %lld\\n", (long long)({n}));\n#endif\n'
    src += "return 0;}\n"
    with tempfile.TemporaryDirectory() as d:
        c, exe = os.path.join(d, "v.c"), os.path.join(d, "v")
        open(c, "w").write(src)
        args = ["gcc", "-w", "-I", incdir, c, "-o", exe] + (["-DZMQ_BUILD_DRAFT_API"] if draft else [])
        subprocess.run(args, check=True)
        out = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
    return dict(line.split(" ", 1) for line in out.splitlines())

def numeric(incdir, names, draft):
    # Keep only macros that are integer constants (skip strings, empties).
    ok = set()
    for n in names:
        src = f"#include <zmq.h>\nenum {{ x = (int)({n}) }};\n"
        with tempfile.TemporaryDirectory() as d:
            c = os.path.join(d, "t.c")
            open(c, "w").write(src)
            r = subprocess.run(["gcc", "-w", "-c", "-I", incdir, c, "-o", os.path.join(d, "t.o")]
                               + (["-DZMQ_BUILD_DRAFT_API"] if draft else []), capture_output=True)
            if r.returncode == 0:
                ok.add(n)
    return ok

def main():
    if not os.path.exists(os.path.join(SYSTEM, "zmq.h")):
        print("check_header: Debian's zmq.h is not installed (run scripts/install-deps.sh)")
        return 1
    failures = 0
    for draft in (False, True):
        sysnames, ournames = macros(SYSTEM, draft), macros(OURS, draft)
        missing = sorted(n for n in sysnames - ournames)
        for n in missing:
            print(f"missing in ours{' (draft)' if draft else ''}: {n}")
        failures += len(missing)
        common = numeric(SYSTEM, sysnames & ournames, draft)
        a, b = values(SYSTEM, common, draft), values(OURS, common, draft)
        for n in sorted(common):
            if a.get(n) != b.get(n) and n not in CHANGED:
                print(f"value differs{' (draft)' if draft else ''}: {n} libzmq={a.get(n)} ours={b.get(n)}")
                failures += 1
        print(f"header{' (draft)' if draft else ''}: {len(common)} numeric constants compared, "
              f"{len(ournames - sysnames)} names only in ours (4.3.5 additions)")
    return 1 if failures else 0

sys.exit(main())
