"""ZAP authentication (RFC 27) with pyzmq's API.

    from gozmq.auth.thread import ThreadAuthenticator
    auth = ThreadAuthenticator(ctx)
    auth.start()
    auth.allow("127.0.0.1")
    auth.configure_plain(domain="*", passwords={"admin": "secret"})
    ...
    auth.stop()
"""

from .base import CURVE_ALLOW_ANY, Authenticator
from .certs import create_certificates, load_certificate, load_certificates

__all__ = ["CURVE_ALLOW_ANY", "Authenticator", "create_certificates", "load_certificate",
           "load_certificates"]
