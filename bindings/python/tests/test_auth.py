"""ThreadAuthenticator: IP allow/deny, PLAIN passwords, CURVE certificates."""

import os

import pytest

from _impl import auth, auth_thread, zmq


@pytest.fixture
def authenticator(ctx):
    a = auth_thread.ThreadAuthenticator(ctx)
    a.start()
    assert a.is_alive()
    yield a
    a.stop()
    assert not a.is_alive()


def can_talk(server, client, ms=500):
    """True if a message from client reaches server within ms. The client is
    a DEALER/PUSH that was connected after the server bound."""
    try:
        client.send(b"knock", zmq.NOBLOCK)
    except zmq.Again:
        pass
    if server.poll(ms):
        assert server.recv_multipart()[-1] == b"knock"
        return True
    return False


def pair(ctx, configure_server, configure_client):
    server = ctx.socket(zmq.PULL)
    configure_server(server)
    port = server.bind_to_random_port("tcp://127.0.0.1")
    client = ctx.socket(zmq.PUSH)
    client.linger = 0
    configure_client(client)
    client.connect(f"tcp://127.0.0.1:{port}")
    return server, client


def set_domain(s):
    s.zap_domain = b"global"


def test_null_deny(ctx, authenticator):
    authenticator.deny("127.0.0.1")
    server, client = pair(ctx, set_domain, lambda c: None)
    assert not can_talk(server, client)
    with pytest.raises(ValueError):
        authenticator.allow("127.0.0.2")  # allow and deny are exclusive


def test_null_allow(ctx, authenticator):
    authenticator.allow("127.0.0.1")
    server, client = pair(ctx, set_domain, lambda c: None)
    assert can_talk(server, client, 5000)


def test_allow_list_excludes_others(ctx, authenticator):
    authenticator.allow("192.0.2.1")
    server, client = pair(ctx, set_domain, lambda c: None)
    assert not can_talk(server, client)


def plain_server(s):
    s.plain_server = True


def plain_client(user, password):
    def conf(c):
        c.plain_username = user
        c.plain_password = password
    return conf


def test_plain_passwords(ctx, authenticator):
    authenticator.configure_plain(domain="*", passwords={"admin": "secret"})
    server, client = pair(ctx, plain_server, plain_client(b"admin", b"secret"))
    assert can_talk(server, client, 5000)
    # User-Id of the message is the PLAIN user name
    client.send(b"who")
    frame = server.recv(copy=False) if server.poll(5000) else None
    assert frame is not None and frame.get("User-Id") == "admin"
    bad_server, bad_client = pair(ctx, plain_server, plain_client(b"admin", b"wrong"))
    assert not can_talk(bad_server, bad_client)
    unknown_server, unknown_client = pair(ctx, plain_server, plain_client(b"eve", b"secret"))
    assert not can_talk(unknown_server, unknown_client)


def test_curve_certificate_directory(ctx, authenticator, tmp_path):
    keys = tmp_path / "certs"
    public_dir = tmp_path / "public"
    keys.mkdir()
    public_dir.mkdir()
    server_pub_file, server_secret_file = auth.create_certificates(str(keys), "server")
    client_pub_file, client_secret_file = auth.create_certificates(str(keys), "client")
    assert os.path.basename(client_pub_file) == "client.key"
    assert os.path.basename(client_secret_file) == "client.key_secret"
    os.replace(client_pub_file, public_dir / "client.key")
    server_public, server_secret = auth.load_certificate(server_secret_file)
    client_public, client_secret = auth.load_certificate(client_secret_file)
    assert auth.load_certificate(str(public_dir / "client.key")) == (client_public, None)
    assert auth.load_certificates(str(public_dir)) == {client_public: True}
    authenticator.configure_curve(domain="*", location=str(public_dir))

    def server_conf(s):
        s.curve_server = True
        s.curve_secretkey = server_secret
        s.curve_publickey = server_public

    def client_conf(public, secret):
        def conf(c):
            c.curve_serverkey = server_public
            c.curve_publickey = public
            c.curve_secretkey = secret
        return conf
    server, client = pair(ctx, server_conf, client_conf(client_public, client_secret))
    assert can_talk(server, client, 5000)
    client.send(b"id?")
    assert server.poll(5000)
    assert server.recv(copy=False).get("User-Id") == client_public.decode()
    stranger_public, stranger_secret = zmq.curve_keypair()
    server2, stranger = pair(ctx, server_conf, client_conf(stranger_public, stranger_secret))
    assert not can_talk(server2, stranger)
    authenticator.configure_curve(domain="*", location=auth.CURVE_ALLOW_ANY)
    server3, stranger3 = pair(ctx, server_conf, client_conf(stranger_public, stranger_secret))
    assert can_talk(server3, stranger3, 5000)


def test_auth_failure_is_reported_by_monitor(ctx, authenticator):
    from _impl import monitor
    authenticator.configure_plain(domain="*", passwords={"admin": "secret"})
    server = ctx.socket(zmq.PULL)
    server.plain_server = True
    mon = server.get_monitor_socket(zmq.EVENT_HANDSHAKE_FAILED_AUTH)
    port = server.bind_to_random_port("tcp://127.0.0.1")
    client = ctx.socket(zmq.PUSH)
    client.linger = 0
    plain_client(b"admin", b"nope")(client)
    client.connect(f"tcp://127.0.0.1:{port}")
    assert mon.poll(5000)
    evt = monitor.recv_monitor_message(mon)
    assert evt["event"] == zmq.EVENT_HANDSHAKE_FAILED_AUTH
    assert evt["value"] == 400


def test_asyncio_authenticator_plain():
    import asyncio
    import importlib

    from _impl import IMPL, zaio
    auth_aio = importlib.import_module(IMPL + ".auth.asyncio")

    async def main():
        actx = zaio.Context()
        authenticator = auth_aio.AsyncioAuthenticator(actx)
        authenticator.start()
        authenticator.configure_plain(domain="*", passwords={"admin": "secret"})
        try:
            results = []
            for password in (b"secret", b"wrong"):
                server = actx.socket(zmq.PULL)
                server.plain_server = True
                port = server.bind_to_random_port("tcp://127.0.0.1")
                client = actx.socket(zmq.PUSH)
                client.linger = 0
                client.plain_username = b"admin"
                client.plain_password = password
                client.connect(f"tcp://127.0.0.1:{port}")
                await client.send(b"knock")
                try:
                    results.append(await asyncio.wait_for(server.recv(), 1 if password ==
                                                          b"wrong" else 10))
                except asyncio.TimeoutError:
                    results.append(None)
            assert results == [b"knock", None]
        finally:
            authenticator.stop()
            actx.destroy(linger=0)
    asyncio.run(asyncio.wait_for(main(), 60))
