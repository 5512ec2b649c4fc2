"""Tests of dashboard.server and `analyser serve`: loopback by default, login or refusal, never
debug; served by waitress with capped threads, connections and idle time; only the served host names."""

from __future__ import annotations

import base64
import http.client
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.security import generate_password_hash

import dashboard.server as server_module
from analyser.cli import EXIT_OK, EXIT_USAGE, main
from dashboard import ids
from dashboard.app import create_app
from dashboard.security import request_limit
from dashboard.server import CHANNEL_TIMEOUT, CONNECTION_LIMIT, THREADS, make_server, run_app, serve
from tests.dash_requests import callback_body, find_callback

PASSWORD = "correct horse battery"


class FakeRunner:
    """Records the app and arguments instead of binding a port."""

    def __init__(self):
        self.calls: list[dict[str, Any]] = []

    def __call__(self, app, **kwargs):
        self.calls.append({"app": app, **kwargs})


@pytest.fixture
def runner(monkeypatch) -> FakeRunner:
    """The CLI's server replaced by a recorder; no login in the environment."""
    fake = FakeRunner()
    monkeypatch.setattr(server_module, "run_app", fake)
    monkeypatch.delenv("ANALYSER_USER", raising=False)
    monkeypatch.delenv("ANALYSER_PASSWORD", raising=False)
    monkeypatch.delenv("ANALYSER_ROLE", raising=False)
    return fake


def _serve(tmp_path, *extra: str) -> int:
    return main(["serve", "--data-dir", str(tmp_path / "data"), *extra])


def _status(app, user: str | None = None, password: str = "", host: str = "127.0.0.1:8050") -> int:
    headers = {}
    if user is not None:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    return app.server.test_client().get("/overview", headers=headers, base_url=f"http://{host}").status_code


def test_default_is_loopback_without_login_and_never_debug(tmp_path, runner, capsys):
    """Plain `serve` listens on 127.0.0.1 with debug off and no login."""
    assert _serve(tmp_path) == EXIT_OK
    (call,) = runner.calls
    assert call["host"] == "127.0.0.1" and call["port"] == 8050 and call["debug"] is False
    assert _status(call["app"]) == 200
    assert "warning" not in capsys.readouterr().err


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "analyser.example.org"])
def test_other_address_without_login_is_refused(tmp_path, runner, capsys, host):
    """A non-loopback --host without login or --no-login exits 2 and serves nothing."""
    assert _serve(tmp_path, "--host", host) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "ANALYSER_USER" in err and "--auth-file" in err and "--no-login" in err
    assert runner.calls == []


def test_login_from_environment(tmp_path, runner, monkeypatch):
    """ANALYSER_USER/ANALYSER_PASSWORD allow another address and protect every page."""
    monkeypatch.setenv("ANALYSER_USER", "ann")
    monkeypatch.setenv("ANALYSER_PASSWORD", PASSWORD)
    assert _serve(tmp_path, "--host", "0.0.0.0", "--port", "9000") == EXIT_OK
    (call,) = runner.calls
    assert call["host"] == "0.0.0.0" and call["port"] == 9000 and call["debug"] is False
    assert _status(call["app"], host="127.0.0.1:9000") == 401
    assert _status(call["app"], "ann", "wrong", host="127.0.0.1:9000") == 401
    assert _status(call["app"], "ann", PASSWORD, host="127.0.0.1:9000") == 200


@pytest.mark.parametrize("where", ["environment", "auth file"])
def test_short_password_refuses_to_start(tmp_path, runner, monkeypatch, capsys, where):
    """A clear-text password under 12 characters stops `serve` with a message naming the user."""
    if where == "environment":
        monkeypatch.setenv("ANALYSER_USER", "ann")
        monkeypatch.setenv("ANALYSER_PASSWORD", "pw-ann-11ch")
        extra: tuple[str, ...] = ()
    else:
        auth = tmp_path / "users.txt"
        auth.write_text(f"bo:{PASSWORD}\nann:pw-ann-11ch\n")
        extra = ("--auth-file", str(auth))
    assert _serve(tmp_path, *extra) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "user 'ann' has 11 characters; at least 12 are needed" in err and "'bo'" not in err
    assert runner.calls == []


def test_half_a_login_in_the_environment_is_refused(tmp_path, runner, monkeypatch, capsys):
    """A user without a password (or the reverse) is a usage error, not a silent open door."""
    monkeypatch.setenv("ANALYSER_USER", "ann")
    assert _serve(tmp_path, "--host", "0.0.0.0") == EXIT_USAGE
    assert "ANALYSER_PASSWORD" in capsys.readouterr().err and runner.calls == []


def test_login_from_auth_file_with_hashes(tmp_path, runner):
    """--auth-file lines may hold werkzeug hashes; the login applies also on loopback."""
    auth = tmp_path / "users.txt"
    auth.write_text(f"# staff\nann:{generate_password_hash('pw-ann', method='pbkdf2:sha256:1000')}\n"
                    "bo:plain-bo-password\n")  # fmt: skip
    assert _serve(tmp_path, "--auth-file", str(auth)) == EXIT_OK
    app = runner.calls[0]["app"]
    assert _status(app) == 401
    assert _status(app, "ann", "pw-ann") == 200 and _status(app, "bo", "plain-bo-password") == 200
    assert _status(app, "ann", "plain-bo-password") == 401


def test_bad_auth_file_is_a_usage_error(tmp_path, runner, capsys):
    """A malformed or missing auth file exits 2 naming the file and line."""
    auth = tmp_path / "users.txt"
    auth.write_text("ann\n")
    assert _serve(tmp_path, "--host", "0.0.0.0", "--auth-file", str(auth)) == EXIT_USAGE
    assert "users.txt:1: expected user:password" in capsys.readouterr().err
    assert _serve(tmp_path, "--auth-file", str(tmp_path / "none.txt")) == EXIT_USAGE
    assert runner.calls == []


def _privacy_shown(app, user: str | None = None, asked: str = "names") -> str:
    """The privacy the server puts in the settings store when ``user``'s browser asks for ``asked``."""
    headers = {}
    if user is not None:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{user}:{PASSWORD}".encode()).decode()
    client, base = app.server.test_client(), "http://127.0.0.1:8050"
    dependencies = client.get("/_dash-dependencies", headers=headers, base_url=base).get_json()
    body = callback_body(find_callback(dependencies, f"{ids.App.SETTINGS}.data"),
                         lambda i, p: asked if i == ids.App.PRIVACY else None, changed=[f"{ids.App.PRIVACY}.value"])  # fmt: skip
    response = client.post("/_dash-update-component", json=body, headers=headers, base_url=base)
    return response.get_json()["response"][ids.App.SETTINGS]["data"]["privacy"]


def test_auth_file_roles_are_listed_at_start_and_enforced(tmp_path, runner, capsys):
    """user:password:role lines: the start lists every user with its role (no role: viewer, said
    so); an analyst may see names, a viewer asking for names gets pseudonyms."""
    auth = tmp_path / "users.txt"
    auth.write_text(f"ann:{PASSWORD}:analyst\nbo:{PASSWORD}\n")
    assert _serve(tmp_path, "--host", "0.0.0.0", "--auth-file", str(auth)) == EXIT_OK
    out = capsys.readouterr().out
    assert "Logins: ann (analyst: names allowed), bo (viewer, no role given: pseudonyms or aggregate only)." in out
    assert "Privacy floor: names" in out
    app = runner.calls[0]["app"]
    assert _privacy_shown(app, "ann") == "names" and _privacy_shown(app, "bo") == "pseudonyms"


def test_unknown_role_in_the_auth_file_refuses_to_start(tmp_path, runner, capsys):
    """A role that is not analyst or viewer exits 2 naming the file, line and user."""
    auth = tmp_path / "users.txt"
    auth.write_text(f"ann:{PASSWORD}:analyst\nbo:{PASSWORD}:admin\n")
    assert _serve(tmp_path, "--auth-file", str(auth)) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "users.txt:2: user 'bo': the text after the last ':' is not a role" in err and "admin" not in err
    assert runner.calls == []


def test_environment_login_takes_its_role_from_analyser_role(tmp_path, runner, monkeypatch, capsys):
    """ANALYSER_ROLE gives the environment login its role; without it the login is a viewer;
    an unknown role, or a role without a user, is a usage error."""
    monkeypatch.setenv("ANALYSER_USER", "ann")
    monkeypatch.setenv("ANALYSER_PASSWORD", PASSWORD)
    assert _serve(tmp_path) == EXIT_OK
    assert _privacy_shown(runner.calls[-1]["app"], "ann") == "pseudonyms"
    monkeypatch.setenv("ANALYSER_ROLE", "analyst")
    assert _serve(tmp_path) == EXIT_OK
    assert "ann (analyst: names allowed)" in capsys.readouterr().out
    assert _privacy_shown(runner.calls[-1]["app"], "ann") == "names"
    monkeypatch.setenv("ANALYSER_ROLE", "admin")
    assert _serve(tmp_path) == EXIT_USAGE and "ANALYSER_ROLE: not a role" in capsys.readouterr().err
    monkeypatch.delenv("ANALYSER_USER")
    monkeypatch.delenv("ANALYSER_PASSWORD")
    monkeypatch.setenv("ANALYSER_ROLE", "analyst")
    assert _serve(tmp_path) == EXIT_USAGE and "ANALYSER_USER" in capsys.readouterr().err
    assert len(runner.calls) == 2


@pytest.mark.parametrize(("extra", "floor"), [
    ((), "names"),
    (("--privacy-floor", "aggregate"), "aggregate"),
    (("--host", "0.0.0.0", "--no-login"), "pseudonyms"),
    (("--host", "0.0.0.0", "--no-login", "--privacy-floor", "names"), "names"),
])  # fmt: skip
def test_privacy_floor_option_and_its_default(tmp_path, runner, capsys, extra, floor):
    """--privacy-floor holds every request to it; by default names on this machine, pseudonyms
    on another address without a login; the start says which."""
    assert _serve(tmp_path, *extra) == EXIT_OK
    assert f"Privacy floor: {floor} (" in capsys.readouterr().out
    assert _privacy_shown(runner.calls[0]["app"]) == floor


def test_unknown_privacy_floor_is_a_usage_error(tmp_path, runner):
    assert _serve(tmp_path, "--privacy-floor", "none") == EXIT_USAGE
    assert runner.calls == []


def test_no_login_serves_with_a_warning(tmp_path, runner, capsys):
    """--no-login on another address serves, and says on stderr what that exposes."""
    assert _serve(tmp_path, "--host", "0.0.0.0", "--no-login") == EXIT_OK
    err = capsys.readouterr().err
    assert "warning: serving on 0.0.0.0 without a login" in err
    assert _status(runner.calls[0]["app"]) == 200 and runner.calls[0]["debug"] is False


def test_responses_are_compressed_only_across_a_network(tmp_path, runner):
    """Served to other machines the responses are gzipped (and smaller); on the loopback they are not."""
    assert _serve(tmp_path) == EXIT_OK
    assert _serve(tmp_path, "--host", "0.0.0.0", "--no-login") == EXIT_OK
    local, remote = (call["app"].server.test_client() for call in runner.calls)
    gzip = {"Accept-Encoding": "gzip"}
    plain = local.get("/_dash-layout", headers=gzip, base_url="http://127.0.0.1:8050")
    packed = remote.get("/_dash-layout", headers=gzip, base_url="http://127.0.0.1:8050")
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers and packed.headers["Content-Encoding"] == "gzip"
    assert len(packed.get_data()) < len(plain.get_data()) / 2


def test_no_login_with_a_login_is_contradictory(tmp_path, runner, monkeypatch):
    """Asking for a login and for none at once is refused."""
    monkeypatch.setenv("ANALYSER_USER", "ann")
    monkeypatch.setenv("ANALYSER_PASSWORD", PASSWORD)
    assert _serve(tmp_path, "--host", "0.0.0.0", "--no-login") == EXIT_USAGE
    assert runner.calls == []


def test_max_upload_mb_reaches_the_server(tmp_path, runner):
    """--max-upload-mb sets the request limit of the app; nonsense values exit 2."""
    assert _serve(tmp_path, "--max-upload-mb", "5") == EXIT_OK
    assert runner.calls[0]["app"].server.config["MAX_CONTENT_LENGTH"] == request_limit(5 * 2**20)
    for bad in ("0", "-1", "nan", "inf"):
        assert _serve(tmp_path, "--max-upload-mb", bad) == EXIT_USAGE
    assert len(runner.calls) == 1


def test_serve_function_never_passes_debug(tmp_path, monkeypatch):
    """serve() hands debug=False to its runner; the default runner serves with waitress and refuses debug."""
    fake = FakeRunner()
    serve(tmp_path / "data", run=fake)
    assert fake.calls[0]["debug"] is False

    made: list[dict] = []

    class Server:
        def run(self):
            made[-1]["ran"] = True

    monkeypatch.setattr(server_module, "make_server", lambda app, **kw: made.append({"app": app, **kw}) or Server())
    run_app("app", host="127.0.0.1", port=0, debug=False)
    assert made == [{"app": "app", "host": "127.0.0.1", "port": 0, "ran": True}]
    with pytest.raises(ValueError, match="never served in debug mode"):
        run_app("app", host="127.0.0.1", port=0, debug=True)


# -- host names ------------------------------------------------------------------------------


def test_default_serve_answers_only_its_own_host_names(tmp_path, runner):
    """DNS rebinding: a request addressed to another name (a hostile domain pointed at
    127.0.0.1) or another port gets 400; the loopback names with the served port get the page."""
    assert _serve(tmp_path) == EXIT_OK
    app = runner.calls[0]["app"]
    for own in ("127.0.0.1:8050", "localhost:8050", "[::1]:8050"):
        assert _status(app, host=own) == 200, own
    for foreign in ("evil.example:8050", "localhost:9999", "127.0.0.1.nip.io:8050"):
        assert _status(app, host=foreign) == 400, foreign


def test_allowed_host_option_adds_names(tmp_path, runner, capsys):
    """--allowed-host adds a name (a proxy's, the machine's); a wildcard bind also answers IP addresses."""
    assert _serve(tmp_path, "--host", "0.0.0.0", "--no-login", "--allowed-host", "Analyser.Example.org") == EXIT_OK
    app = runner.calls[0]["app"]
    assert _status(app, host="analyser.example.org") == 200
    assert _status(app, host="192.168.1.20:8050") == 200 and _status(app, host="localhost:8050") == 200
    assert _status(app, host="evil.example") == 400
    assert "analyser.example.org" in capsys.readouterr().out
    assert _serve(tmp_path, "--allowed-host", "not a/host") == EXIT_USAGE


def test_named_host_answers_that_name(tmp_path, runner):
    """A --host given as a name answers that name with its port, and not the loopback names."""
    assert _serve(tmp_path, "--host", "analyser.example.org", "--no-login") == EXIT_OK
    app = runner.calls[0]["app"]
    assert _status(app, host="analyser.example.org:8050") == 200
    assert _status(app, host="localhost:8050") == 400


# -- waitress ----------------------------------------------------------------------------------


@pytest.fixture
def live(tmp_path) -> Iterator[int]:
    """The dashboard served by waitress (short idle timeout) on a free port; yields the port."""
    app = create_app(data_dir=tmp_path / "data")
    server = make_server(app, host="127.0.0.1", port=0, channel_timeout=2, cleanup_interval=1)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield server.effective_port
    server.close()
    server.task_dispatcher.shutdown()
    thread.join(10)


def _get(port: int, path: str = "/_dash-layout", timeout: float = 30) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response
    finally:
        conn.close()


def test_waitress_settings_cap_threads_connections_and_idle_time(tmp_path):
    """The production server has a thread cap, a connection limit, an idle timeout and the body limit."""
    app = create_app(data_dir=tmp_path / "data", max_upload_mb=5)
    server = make_server(app, host="127.0.0.1", port=0)
    try:
        adj = server.adj
        assert (adj.threads, adj.connection_limit, adj.channel_timeout) == (THREADS, CONNECTION_LIMIT, CHANNEL_TIMEOUT)
        assert adj.max_request_body_size == request_limit(5 * 2**20) and adj.expose_tracebacks is False
    finally:
        server.close()
        server.task_dispatcher.shutdown()


def test_served_responses_name_no_server_software(live):
    """No `Server: Werkzeug/x Python/y` header; the security headers are there."""
    response = _get(live)
    assert response.status == 200
    assert response.getheader("Server") is None
    assert response.getheader("X-Frame-Options") == "DENY"


def test_half_open_connections_hold_no_thread_and_time_out(live):
    """300 half-sent requests do not stop a normal request, and idle ones are closed by the server."""
    sockets = []
    try:
        for _ in range(300):
            sock = socket.create_connection(("127.0.0.1", live), timeout=10)
            sock.sendall(b"GET /overview HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            sockets.append(sock)
        started = time.monotonic()
        assert _get(live, timeout=10).status == 200
        assert time.monotonic() - started < 5
        assert sockets[0].recv(100) == b""  # closed by the server after the (2 s) idle timeout
    finally:
        for sock in sockets:
            sock.close()


def test_python_m_dashboard_follows_the_same_rules(tmp_path, runner):
    """`python -m dashboard` is `analyser serve`: another address without login is refused."""
    from dashboard.__main__ import main as dashboard_main

    assert dashboard_main(["--data-dir", str(tmp_path / "data"), "--host", "0.0.0.0"]) == EXIT_USAGE
    assert dashboard_main(["--data-dir", str(tmp_path / "data")]) == EXIT_OK
    assert runner.calls[0]["host"] == "127.0.0.1"
