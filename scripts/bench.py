#!/usr/bin/env python3
"""make bench: runs the perf tools (perf/*.c, built once) against gozmq and
Debian's libzmq, alternating the two libraries run by run (A B A B ...),
and rewrites the `bench` section of BENCHMARKS.md with the medians,
min-max ranges, per-pair ratios, CPU time per message and peak RSS.

Usage: bench.py <perf-bin-dir> <gozmq-lib-dir> <libzmq-lib-dir> <BENCHMARKS.md>
Environment: BENCH_PAIRS (default 5), BENCH_SCALE (scales message
counts, default 1; a smoke run uses a small value), BENCH_ONLY (comma-
separated case names to run)."""

import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time

PAIRS = int(os.environ.get("BENCH_PAIRS", "5"))
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
ONLY = [c for c in os.environ.get("BENCH_ONLY", "").split(",") if c]
RUN_TIMEOUT = 120  # seconds for one run of one case on one library

BIN, OURS, THEIRS, OUT = sys.argv[1:5]
LIBS = [("gozmq", OURS), ("libzmq", THEIRS)]


def n(count):
    return max(10, int(count * SCALE))


# Each case: name, what it measures, higher-is-better, target (ratio
# ours/libzmq: >= for throughput, <= for latency and memory), and how to
# run it. Counts are chosen so a run takes about a second on libzmq here.
def cases():
    c = []
    for size, count in [(16, 2000000), (256, 1000000), (1024, 500000),
                        (65536, 20000), (1048576, 2000)]:
        c.append(dict(name=f"tcp_thr_{size}", kind="thr", transport="tcp",
                      size=size, count=n(count), target=1.0))
    for size in (16, 1024):
        for pinned in (True, False):
            c.append(dict(name=f"tcp_lat_{size}" + ("_pinned" if pinned else ""),
                          kind="lat", transport="tcp", size=size,
                          count=n(10000), pinned=pinned,
                          target=1.0 if pinned else None))
    c.append(dict(name="ipc_thr_256", kind="thr", transport="ipc", size=256,
                  count=n(1000000), target=1.0))
    c.append(dict(name="inproc_thr_16", kind="inproc_thr", size=16,
                  count=n(2000000), target=0.8))
    c.append(dict(name="inproc_thr_65536", kind="inproc_thr", size=65536,
                  count=n(200000), target=1.0))
    c.append(dict(name="inproc_lat_16", kind="inproc_lat", size=16,
                  count=n(20000), target=None))
    c.append(dict(name="proxy_thr_256", kind="proxy", size=256,
                  count=n(200000), target=None))
    c.append(dict(name="pub_fanout_8x256", kind="fanout", size=256,
                  count=n(100000), subs=8, target=None))
    c.append(dict(name="backlog_1M_16", kind="backlog", size=16,
                  count=n(1000000), target=1.5))
    if ONLY:
        c = [x for x in c if x["name"] in ONLY]
    return c


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tool(name):
    return os.path.join(BIN, name)


def spawn(libdir, statfile, argv, pinned):
    env = dict(os.environ, LD_LIBRARY_PATH=libdir)
    pre = ["taskset", "-c", "0"] if pinned else []
    return subprocess.Popen(pre + [tool("runstat"), statfile] + argv, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def finish(procs, what):
    outs = []
    deadline = time.monotonic() + RUN_TIMEOUT
    for p in procs:
        try:
            out, _ = p.communicate(timeout=max(1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            for q in procs:
                q.kill()
            raise SystemExit(f"bench: {what} timed out after {RUN_TIMEOUT}s")
        if p.returncode != 0:
            for q in procs:
                q.kill()
            raise SystemExit(f"bench: {what} failed ({p.returncode}):\n{out}")
        outs.append(out)
    return outs


def stats(files):
    cpu, rss = 0.0, 0
    for f in files:
        with open(f) as fh:
            u, s, m = fh.read().split()
        cpu += float(u) + float(s)
        rss = max(rss, int(m))
    return cpu, rss


def grab(out, pattern):
    m = re.search(pattern, out)
    if not m:
        raise SystemExit(f"bench: no '{pattern}' in output:\n{out}")
    return float(m.group(1))


def run_once(case, libdir, tmp):
    kind, size, count = case["kind"], str(case["size"]), str(case["count"])
    what = f"{case['name']} on {libdir}"
    s1, s2 = os.path.join(tmp, "a.stat"), os.path.join(tmp, "b.stat")
    if kind in ("thr", "lat"):
        if case["transport"] == "tcp":
            ep = f"tcp://127.0.0.1:{free_port()}"
        else:
            ep = f"ipc://{tmp}/bench.ipc"
        pinned = case.get("pinned", False)
        local, remote = ("local_thr", "remote_thr") if kind == "thr" else ("local_lat", "remote_lat")
        a = spawn(libdir, s1, [tool(local), ep, size, count], pinned)
        b = spawn(libdir, s2, [tool(remote), ep, size, count], pinned)
        outs = finish([a, b], what)
        files = [s1, s2]
    elif kind == "inproc_thr":
        outs = finish([spawn(libdir, s1, [tool("inproc_thr"), size, count], False)], what)
        files = [s1]
    elif kind == "inproc_lat":
        outs = finish([spawn(libdir, s1, [tool("inproc_lat"), size, count], False)], what)
        files = [s1]
    elif kind == "proxy":
        outs = finish([spawn(libdir, s1, [tool("proxy_thr"), size, count], False)], what)
        files = [s1]
    elif kind == "fanout":
        ep = f"tcp://127.0.0.1:{free_port()}"
        outs = finish([spawn(libdir, s1, [tool("pubsub_thr"), ep, size, count,
                                          str(case["subs"])], False)], what)
        files = [s1]
    elif kind == "backlog":
        outs = finish([spawn(libdir, s1, [tool("backlog_mem"), "tcp://127.0.0.1:*",
                                          size, count], False)], what)
        files = [s1]
    out = "\n".join(outs)
    cpu, rss = stats(files)
    if kind in ("lat", "inproc_lat"):
        value = grab(out, r"average latency: ([0-9.]+) \[us\]")
    elif kind == "backlog":
        value = grab(out, r"peak rss: ([0-9]+) \[KiB\]") / 1024.0
    else:
        value = grab(out, r"mean throughput: ([0-9]+) \[msg/s\]")
    msgs = case["count"] * (2 if kind in ("lat", "inproc_lat") else 1)
    if kind == "fanout":
        msgs *= case["subs"]  # deliveries
    return dict(value=value, cpu_ns=cpu / msgs * 1e9, rss_mib=rss / 1024.0)


def unit(case):
    return {"lat": "us", "inproc_lat": "us", "backlog": "MiB peak RSS"}.get(case["kind"], "msg/s")


def lower_is_better(case):
    return case["kind"] in ("lat", "inproc_lat", "backlog")


def lib_version(libdir):
    code = ("import ctypes,sys;l=ctypes.CDLL(sys.argv[1]+'/libzmq.so.5');"
            "a,b,c=ctypes.c_int(),ctypes.c_int(),ctypes.c_int();"
            "l.zmq_version(ctypes.byref(a),ctypes.byref(b),ctypes.byref(c));"
            "print(f'{a.value}.{b.value}.{c.value}')")
    return subprocess.run([sys.executable, "-c", code, libdir], capture_output=True,
                          text=True, timeout=30).stdout.strip()


def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = os.getloadavg()[0]
    return f"{os.cpu_count()} CPUs, {model}, Linux {platform.release()}, load average {load:.2f} at start"


def versions():
    git = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True,
                         text=True).stdout.strip() or "unknown"
    deb = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "libzmq5"],
                         capture_output=True, text=True).stdout.strip() or "unknown"
    return (f"gozmq {lib_version(OURS)} (commit {git}, {OURS}); "
            f"libzmq {lib_version(THEIRS)} (Debian libzmq5 {deb}, {THEIRS})")


def fmt(v):
    if v >= 100:
        return f"{v:,.0f}"
    return f"{v:.2f}"


def table(results):
    rows = ["| case | unit | gozmq median (min–max) | libzmq median (min–max) | "
            "ratio gozmq/libzmq: median (per pair) | target | met | CPU ns/msg gozmq / libzmq | "
            "peak RSS MiB gozmq / libzmq |",
            "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        case = r["case"]
        ours = [x["value"] for x in r["runs"]["gozmq"]]
        theirs = [x["value"] for x in r["runs"]["libzmq"]]
        ratios = [a / b if b else float("inf") for a, b in zip(ours, theirs)]
        med = statistics.median(ratios)
        tgt = case.get("target")
        if tgt is None:
            target, met = "—", "—"
        elif lower_is_better(case):
            target, met = f"≤ {tgt}", "yes" if med <= tgt else "**no**"
        else:
            target, met = f"≥ {tgt}", "yes" if med >= tgt else "**no**"
        cpu = [statistics.median(x["cpu_ns"] for x in r["runs"][lib]) for lib in ("gozmq", "libzmq")]
        rss = [statistics.median(x["rss_mib"] for x in r["runs"][lib]) for lib in ("gozmq", "libzmq")]
        rows.append(
            f"| {case['name']} | {unit(case)} | {fmt(statistics.median(ours))} "
            f"({fmt(min(ours))}–{fmt(max(ours))}) | {fmt(statistics.median(theirs))} "
            f"({fmt(min(theirs))}–{fmt(max(theirs))}) | **{med:.2f}** "
            f"({', '.join(f'{x:.2f}' for x in ratios)}) | {target} | {met} | "
            f"{cpu[0]:.0f} / {cpu[1]:.0f} ({cpu[0] / cpu[1]:.2f}×) | {rss[0]:.1f} / {rss[1]:.1f} |")
    return rows


def section(results, started, elapsed):
    lines = ["<!-- BEGIN bench -->", "## C perf tools (`make bench`)", "",
             f"Run {started} UTC, {elapsed:.0f} s, {PAIRS} pairs per case "
             f"(gozmq then libzmq, alternating), message-count scale {SCALE:g}.",
             "",
             f"* Machine: {machine()}",
             f"* Libraries: {versions()}",
             "* Tools: `perf/` (local_thr/remote_thr PUSH→PULL, local_lat/remote_lat REQ→REP, "
             "inproc_thr, inproc_lat, proxy_thr as libzmq's; pubsub_thr = PUB to 8 SUB threads, HWM 0; "
             "backlog_mem = PUSH→PULL over tcp in one process, HWM 0, all sent before any is "
             "received). `_pinned`: both processes on CPU 0 (taskset).",
             "* Ratio is gozmq/libzmq per pair; for throughput higher is better, for latency and "
             "memory lower. CPU ns/msg is user+sys of every process of the run divided by the "
             "messages (deliveries for fan-out, one-way trips for latency).",
             ""]
    lines += table(results)
    lines += ["", "<details><summary>raw numbers</summary>", "", "```"]
    for r in results:
        for lib in ("gozmq", "libzmq"):
            vals = " ".join(f"{x['value']:.3f}" for x in r["runs"][lib])
            cpu = " ".join(f"{x['cpu_ns']:.0f}" for x in r["runs"][lib])
            rss = " ".join(f"{x['rss_mib']:.1f}" for x in r["runs"][lib])
            lines.append(f"{r['case']['name']:<22} {lib:<6} value: {vals} | cpu ns/msg: {cpu} | rss MiB: {rss}")
    lines += ["```", "", "</details>", "<!-- END bench -->"]
    return "\n".join(lines) + "\n"


def write_section(text):
    begin, end = "<!-- BEGIN bench -->", "<!-- END bench -->"
    try:
        with open(OUT) as f:
            doc = f.read()
    except FileNotFoundError:
        doc = "# Benchmarks\n\nEach section is rewritten by its own make target.\n"
    if begin in doc and end in doc:
        head, rest = doc.split(begin, 1)
        _, tail = rest.split(end, 1)
        doc = head + text.rstrip("\n") + tail
    else:
        doc = doc.rstrip("\n") + "\n\n" + text
    with open(OUT, "w") as f:
        f.write(doc)


def main():
    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    t0 = time.monotonic()
    results = []
    with tempfile.TemporaryDirectory(prefix="gozmq-bench-") as tmp:
        for case in cases():
            runs = {"gozmq": [], "libzmq": []}
            for _ in range(PAIRS):
                for lib, libdir in LIBS:
                    runs[lib].append(run_once(case, libdir, tmp))
            r = dict(case=case, runs=runs)
            results.append(r)
            o = statistics.median(x["value"] for x in runs["gozmq"])
            t = statistics.median(x["value"] for x in runs["libzmq"])
            print(f"{case['name']:<22} gozmq {fmt(o):>12}  libzmq {fmt(t):>12} {unit(case)}"
                  f"  ratio {o / t:.2f}", flush=True)
    elapsed = time.monotonic() - t0
    write_section(section(results, started, elapsed))
    raw = os.path.join(os.path.dirname(os.path.abspath(BIN)), "bench.json")
    with open(raw, "w") as f:
        json.dump(results, f, indent=1)
    print(f"bench: {elapsed:.0f} s; table in {OUT}, raw numbers in {raw}")


if __name__ == "__main__":
    main()
