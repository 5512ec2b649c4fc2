"""serve(): run the dashboard, on this machine only unless a login protects it (never debug mode)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TextIO

from analyser.store import DEFAULT_DATA_DIR
from dashboard.security import is_loopback

__all__ = ["DEFAULT_MAX_UPLOAD_MB", "NO_LOGIN_WARNING", "serve", "check_exposure", "run_app"]

DEFAULT_MAX_UPLOAD_MB = 50.0
NO_LOGIN_WARNING = (
    "warning: serving on {host} without a login: anyone who can reach this address can see and "
    "delete the rosters (personal data) stored in {data_dir}"
)


def check_exposure(host: str, *, login: bool, no_login: bool) -> None:
    """Refuse to serve a non-loopback ``host`` unless a login is configured or ``no_login`` is explicit.

    Raises
    ------
    ValueError
        When ``host`` can be reached from other machines and there is no login and no
        explicit ``no_login``, or when both a login and ``no_login`` are asked for.

    Examples
    --------
    >>> check_exposure("127.0.0.1", login=False, no_login=False)
    >>> check_exposure("0.0.0.0", login=False, no_login=False)
    Traceback (most recent call last):
    ...
    ValueError: serving on 0.0.0.0 makes the rosters reachable from other machines: set ANALYSER_USER and ANALYSER_PASSWORD, or give --auth-file, or (on a trusted network only) --no-login
    """
    if login and no_login:
        raise ValueError("--no-login contradicts the login that is configured (ANALYSER_USER or --auth-file)")
    if not is_loopback(host) and not login and not no_login:
        raise ValueError(
            f"serving on {host} makes the rosters reachable from other machines: set ANALYSER_USER and "
            "ANALYSER_PASSWORD, or give --auth-file, or (on a trusted network only) --no-login"
        )


def run_app(app: Any, *, host: str, port: int, debug: bool) -> None:
    """Run ``app`` in Flask's threaded server (the default runner of :func:`serve`)."""
    app.run(host=host, port=port, debug=debug)


def serve(
    data_dir: str | Path = DEFAULT_DATA_DIR,
    host: str = "127.0.0.1",
    port: int = 8050,
    *,
    users: Mapping[str, str] | None = None,
    no_login: bool = False,
    max_upload_mb: float = DEFAULT_MAX_UPLOAD_MB,
    run: Callable[..., None] | None = None,
    stream: TextIO | None = None,
) -> None:
    """Start the dashboard on ``http://host:port`` with datasets kept in ``data_dir``.

    Blocks until interrupted. ``users`` (user -> password or werkzeug hash) turns on HTTP
    basic login; a ``host`` other than loopback requires it, or ``no_login=True``, which
    prints a warning to ``stream`` (default stderr). Uploads above ``max_upload_mb``
    megabytes are refused by the server as well as by the browser. Debug mode stays off:
    it would expose a code console and tracebacks to anyone who can reach the address.
    Responses are gzipped when ``host`` is not loopback (see :func:`dashboard.app.create_app`).
    ``run(app, host=, port=, debug=)`` replaces the server (tests).

    Raises
    ------
    ValueError
        When the address needs a login (see :func:`check_exposure`) or the limit is not a
        positive number of megabytes.
    """
    from dashboard.app import create_app
    from dashboard.security import require_login

    stream = stream or sys.stderr
    check_exposure(host, login=bool(users), no_login=no_login)
    if not 0 < max_upload_mb < 1e6:  # also refuses nan and inf
        raise ValueError("--max-upload-mb must be a number of megabytes above 0")
    app = create_app(data_dir=data_dir, max_upload_mb=max_upload_mb, compress=not is_loopback(host))
    if users:
        require_login(app.server, users)
    if no_login and not is_loopback(host):
        print(NO_LOGIN_WARNING.format(host=host, data_dir=Path(data_dir).resolve()), file=stream, flush=True)
    login = f"login required ({len(users)} user{'s' if len(users) != 1 else ''})" if users else "no login"
    print(f"Collaboration analyser: http://{host}:{port}/  (datasets in {Path(data_dir).resolve()}; {login}; "
          "Ctrl+C stops)", flush=True)  # fmt: skip
    (run or run_app)(app, host=host, port=port, debug=False)
