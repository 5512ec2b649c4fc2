"""Tests of dashboard.server and `analyser serve`: loopback by default, login or refusal, never debug."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from werkzeug.security import generate_password_hash

import dashboard.server as server_module
from analyser.cli import EXIT_OK, EXIT_USAGE, main
from dashboard.security import request_limit
from dashboard.server import run_app, serve


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
    return fake


def _serve(tmp_path, *extra: str) -> int:
    return main(["serve", "--data-dir", str(tmp_path / "data"), *extra])


def _status(app, user: str | None = None, password: str = "") -> int:
    headers = {}
    if user is not None:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    return app.server.test_client().get("/overview", headers=headers).status_code


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
    monkeypatch.setenv("ANALYSER_PASSWORD", "pw")
    assert _serve(tmp_path, "--host", "0.0.0.0", "--port", "9000") == EXIT_OK
    (call,) = runner.calls
    assert call["host"] == "0.0.0.0" and call["port"] == 9000 and call["debug"] is False
    assert _status(call["app"]) == 401
    assert _status(call["app"], "ann", "wrong") == 401
    assert _status(call["app"], "ann", "pw") == 200


def test_half_a_login_in_the_environment_is_refused(tmp_path, runner, monkeypatch, capsys):
    """A user without a password (or the reverse) is a usage error, not a silent open door."""
    monkeypatch.setenv("ANALYSER_USER", "ann")
    assert _serve(tmp_path, "--host", "0.0.0.0") == EXIT_USAGE
    assert "ANALYSER_PASSWORD" in capsys.readouterr().err and runner.calls == []


def test_login_from_auth_file_with_hashes(tmp_path, runner):
    """--auth-file lines may hold werkzeug hashes; the login applies also on loopback."""
    auth = tmp_path / "users.txt"
    auth.write_text(f"# staff\nann:{generate_password_hash('pw-ann', method='pbkdf2:sha256:1000')}\nbo:plain-bo\n")
    assert _serve(tmp_path, "--auth-file", str(auth)) == EXIT_OK
    app = runner.calls[0]["app"]
    assert _status(app) == 401
    assert _status(app, "ann", "pw-ann") == 200 and _status(app, "bo", "plain-bo") == 200
    assert _status(app, "ann", "plain-bo") == 401


def test_bad_auth_file_is_a_usage_error(tmp_path, runner, capsys):
    """A malformed or missing auth file exits 2 naming the file and line."""
    auth = tmp_path / "users.txt"
    auth.write_text("ann\n")
    assert _serve(tmp_path, "--host", "0.0.0.0", "--auth-file", str(auth)) == EXIT_USAGE
    assert "users.txt:1: expected user:password" in capsys.readouterr().err
    assert _serve(tmp_path, "--auth-file", str(tmp_path / "none.txt")) == EXIT_USAGE
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
    plain = local.get("/_dash-layout", headers=gzip)
    packed = remote.get("/_dash-layout", headers=gzip)
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers and packed.headers["Content-Encoding"] == "gzip"
    assert len(packed.get_data()) < len(plain.get_data()) / 2


def test_no_login_with_a_login_is_contradictory(tmp_path, runner, monkeypatch):
    """Asking for a login and for none at once is refused."""
    monkeypatch.setenv("ANALYSER_USER", "ann")
    monkeypatch.setenv("ANALYSER_PASSWORD", "pw")
    assert _serve(tmp_path, "--host", "0.0.0.0", "--no-login") == EXIT_USAGE
    assert runner.calls == []


def test_max_upload_mb_reaches_the_server(tmp_path, runner):
    """--max-upload-mb sets the request limit of the app; nonsense values exit 2."""
    assert _serve(tmp_path, "--max-upload-mb", "5") == EXIT_OK
    assert runner.calls[0]["app"].server.config["MAX_CONTENT_LENGTH"] == request_limit(5 * 2**20)
    for bad in ("0", "-1", "nan", "inf"):
        assert _serve(tmp_path, "--max-upload-mb", bad) == EXIT_USAGE
    assert len(runner.calls) == 1


def test_serve_function_never_passes_debug(tmp_path):
    """serve() hands debug=False to its runner, and the default runner passes it on to app.run."""
    fake = FakeRunner()
    serve(tmp_path / "data", run=fake)
    assert fake.calls[0]["debug"] is False

    class App:
        def run(self, **kwargs):
            self.kwargs = kwargs

    app = App()
    run_app(app, host="127.0.0.1", port=0, debug=False)
    assert app.kwargs == {"host": "127.0.0.1", "port": 0, "debug": False}


def test_python_m_dashboard_follows_the_same_rules(tmp_path, runner):
    """`python -m dashboard` is `analyser serve`: another address without login is refused."""
    from dashboard.__main__ import main as dashboard_main

    assert dashboard_main(["--data-dir", str(tmp_path / "data"), "--host", "0.0.0.0"]) == EXIT_USAGE
    assert dashboard_main(["--data-dir", str(tmp_path / "data")]) == EXIT_OK
    assert runner.calls[0]["host"] == "127.0.0.1"
