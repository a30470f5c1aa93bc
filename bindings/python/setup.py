"""Builds a platform wheel (py3-none-<platform>) that bundles libzmq.so.5.

The package is pure Python (ctypes), so the wheel fits any Python 3, but the
library inside is built for one platform: hence the py3-none tag and a
non-pure wheel. The library comes from $GOZMQ_BUILD_LIBRARY if set, else
from the repository's build/lib/libzmq.so.5, brought up to date by
`make lib` first.
"""

import os
import shutil
import subprocess
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def library() -> Path:
    given = os.environ.get("GOZMQ_BUILD_LIBRARY")
    if given:
        return Path(given).resolve()
    built = REPO / "build" / "lib" / "libzmq.so.5"
    if (REPO / "Makefile").exists():
        # make is incremental: this rebuilds the library only if a source
        # changed, so the wheel never bundles a stale one.
        done = subprocess.run(["make", "-C", str(REPO), "lib"])
        if done.returncode != 0 and built.exists():
            print(f"gozmq: `make lib` failed; bundling the existing {built}")
    if not built.exists():
        raise SystemExit(f"gozmq: no library at {built}; run `make lib` in {REPO} "
                         "or set GOZMQ_BUILD_LIBRARY to a libzmq.so.5")
    return built.resolve()


class BuildPyWithLibrary(build_py):
    """Copies libzmq.so.5 into the package (gozmq/_lib/) being built."""

    def run(self):
        super().run()
        dest = Path(self.build_lib) / "gozmq" / "_lib"
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(library(), dest / "libzmq.so.5")
        os.chmod(dest / "libzmq.so.5", 0o755)


class PlatformWheel(bdist_wheel):
    """Tags the wheel py3-none-<platform>: any Python 3, this platform."""

    def finalize_options(self):
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self):
        return ("py3", "none", super().get_tag()[2])


class BinaryDistribution(Distribution):
    """Marks the package as platform-specific, so the wheel installs into
    platlib at the wheel's root (the bundled .so is a binary)."""

    def has_ext_modules(self):
        return True


setup(distclass=BinaryDistribution, cmdclass={"build_py": BuildPyWithLibrary, "bdist_wheel": PlatformWheel})
