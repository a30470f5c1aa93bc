"""CURVE certificate files (the ZPL text format czmq and pyzmq use).

``create_certificates(dir, name)`` writes ``name.key`` (public key only) and
``name.key_secret`` (both keys); ``load_certificate`` reads either back.
"""

from __future__ import annotations

import datetime
import glob
import os
import re
from typing import Any

from .._funcs import curve_keypair

_HEADER = """#   ****  Generated on {date} by gozmq  ****
#   ZeroMQ CURVE {kind} Certificate
#   {advice}

"""
_KEY_LINE = re.compile(r'^\s*(public-key|secret-key)\s*=\s*"?([^"]*)"?\s*$')


def _write(path: str, kind: str, advice: str, public_key: bytes, secret_key: bytes | None,
           metadata: dict[str, Any] | None) -> None:
    lines = [_HEADER.format(date=datetime.datetime.now().isoformat(" ", "seconds"),
                            kind=kind, advice=advice), "metadata\n"]
    for k, v in (metadata or {}).items():
        lines.append(f'    {k} = "{v}"\n')
    lines.append("curve\n")
    lines.append(f'    public-key = "{public_key.decode("ascii")}"\n')
    if secret_key is not None:
        lines.append(f'    secret-key = "{secret_key.decode("ascii")}"\n')
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(lines)


def create_certificates(key_dir: str | os.PathLike, name: str,
                        metadata: dict[str, Any] | None = None) -> tuple[str, str]:
    """Creates a new key pair as ``key_dir/name.key`` (public) and
    ``key_dir/name.key_secret`` (secret, mode 0600); returns both paths."""
    public_key, secret_key = curve_keypair()
    base = os.path.join(os.fspath(key_dir), name)
    public_file, secret_file = base + ".key", base + ".key_secret"
    _write(public_file, "Public", "Exchange securely, or use a secure mechanism to verify "
           "the contents of this file after exchange.", public_key, None, metadata)
    _write(secret_file, "**Secret**", "DO NOT PROVIDE THIS FILE TO OTHER USERS nor change "
           "its permissions.", public_key, secret_key, metadata)
    os.chmod(secret_file, 0o600)
    return public_file, secret_file


def load_certificate(filename: str | os.PathLike) -> tuple[bytes, bytes | None]:
    """``(public_key, secret_key)`` from a certificate file, as Z85 bytes;
    secret_key is None for a public certificate. ValueError if it has no
    public key; OSError if it cannot be read."""
    public_key = secret_key = None
    with open(filename, encoding="utf-8") as f:
        for line in f:
            m = _KEY_LINE.match(line)
            if m:
                value = m.group(2).encode("ascii")
                if m.group(1) == "public-key":
                    public_key = value
                else:
                    secret_key = value
    if public_key is None:
        raise ValueError(f"no public key found in {filename}")
    return public_key, secret_key


def load_certificates(directory: str | os.PathLike = ".") -> dict[bytes, bool]:
    """``{public_key: True}`` for every ``*.key`` file in ``directory``."""
    directory = os.fspath(directory)
    if not os.path.isdir(directory):
        raise OSError(f"invalid certificate directory: {directory}")
    certs = {}
    for path in glob.glob(os.path.join(directory, "*.key")):
        public_key, _ = load_certificate(path)
        certs[public_key] = True
    return certs
