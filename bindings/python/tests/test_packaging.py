"""gozmq's own package: the bundled library, GOZMQ_LIBRARY, the wheel's tag,
type hints, constants in step with include/zmq.h. (Deselected for pyzmq.)"""

import importlib.metadata
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from _impl import zmq

pytestmark = pytest.mark.gozmq_only
REPO = Path(__file__).resolve().parents[3]


def run_python(code, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ("GOZMQ_LIBRARY", "PYTHONPATH")}
    clean.update(env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=clean, timeout=60, cwd="/")


def test_installed_wheel_bundles_the_library():
    out = run_python("import gozmq, gozmq._lib as l; print(l.path); print(gozmq.zmq_version())")
    assert out.returncode == 0, out.stderr
    path, version = out.stdout.split()
    assert path.endswith(os.path.join("gozmq", "_lib", "libzmq.so.5"))
    assert "site-packages" in path and version == "4.3.5"


def test_wheel_is_tagged_py3_none_platform():
    wheel = importlib.metadata.distribution("gozmq").read_text("WHEEL")
    platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    assert f"Tag: py3-none-{platform}" in wheel
    assert "Root-Is-Purelib: false" in wheel


def test_py_typed_is_installed():
    files = [str(f) for f in importlib.metadata.distribution("gozmq").files]
    assert any(f.endswith("gozmq/py.typed") for f in files)


def test_env_var_selects_a_system_library(tmp_path):
    lib = tmp_path / "lib" / "libzmq.so.5"
    lib.parent.mkdir()
    shutil.copyfile(REPO / "build" / "lib" / "libzmq.so.5", lib)
    code = ("import gozmq, gozmq._lib as l; c = gozmq.Context(); s = c.socket(gozmq.PAIR);"
            "s.bind('inproc://x'); print(l.path); s.close(); c.term()")
    out = run_python(code, GOZMQ_LIBRARY=str(lib))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(lib)
    out = run_python("import gozmq", GOZMQ_LIBRARY=str(tmp_path / "missing.so"))
    assert out.returncode != 0 and "missing.so" in out.stderr


def test_constants_match_header():
    out = subprocess.run([sys.executable, str(REPO / "bindings/python/tools/gen_constants.py"),
                          "--check"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr


def test_curve_keys_read_back_in_z85(ctx):
    public, secret = zmq.curve_keypair()
    s = ctx.socket(zmq.DEALER)
    s.curve_secretkey = secret
    s.curve_publickey = public
    assert s.curve_secretkey == secret and s.curve_publickey == public
