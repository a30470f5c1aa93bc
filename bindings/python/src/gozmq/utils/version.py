"""Library and package versions."""

from __future__ import annotations

import ctypes

from .. import _lib

__version__ = "0.1.0"
VERSION_MAJOR, VERSION_MINOR, VERSION_PATCH = (int(x) for x in __version__.split("."))


def zmq_version_info() -> tuple[int, int, int]:
    """The loaded library's version, zmq_version() as a tuple."""
    major, minor, patch = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
    _lib.zmq_version(ctypes.byref(major), ctypes.byref(minor), ctypes.byref(patch))
    return (major.value, minor.value, patch.value)


def zmq_version() -> str:
    """The loaded library's version as "4.3.5"."""
    return "%i.%i.%i" % zmq_version_info()


def pyzmq_version_info() -> tuple[int, int, int]:
    """This package's version (the name pyzmq code calls)."""
    return (VERSION_MAJOR, VERSION_MINOR, VERSION_PATCH)


def pyzmq_version() -> str:
    """This package's version as a string."""
    return __version__
