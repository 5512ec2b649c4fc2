"""serve(): run the dashboard, on this machine only unless a login protects it (never debug mode).

It is served by waitress, a production WSGI server in pure Python (Windows, macOS and
Linux alike): requests are read by one event loop, so a half-sent request holds no thread;
a few worker threads run the app; idle connections are closed after a timeout.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from analyser.privacy import PRIVACY_MODES
from analyser.store import DEFAULT_DATA_DIR
from dashboard.security import check_password_policy, check_role, describe_logins, is_loopback, served_hosts

__all__ = ["DEFAULT_MAX_UPLOAD_MB", "NO_LOGIN_WARNING", "THREADS", "CONNECTION_LIMIT", "CHANNEL_TIMEOUT",
           "serve", "check_exposure", "default_privacy_floor", "describe_floor", "make_server", "run_app"]

DEFAULT_MAX_UPLOAD_MB = 50.0
#: Worker threads running requests (an analysis keeps one busy; the rest keep pages answering).
THREADS = 8
#: Open connections at most; beyond it new ones wait in the backlog. Below the 512 sockets
#: that select() handles on Windows.
CONNECTION_LIMIT = 500
#: Seconds a connection may stay idle (or a request half sent) before it is closed, and how
#: often that is checked.
CHANNEL_TIMEOUT = 10
CLEANUP_INTERVAL = 5
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


def default_privacy_floor(host: str, *, login: bool) -> str:
    """The ``--privacy-floor`` when none is given.

    ``names`` on the loopback (the user's own browser) and behind a login (the roles decide
    who sees names); ``pseudonyms`` on another address without a login (``--no-login``),
    where anyone on the network would otherwise see every name.

    Examples
    --------
    >>> default_privacy_floor("127.0.0.1", login=False), default_privacy_floor("0.0.0.0", login=True)
    ('names', 'names')
    >>> default_privacy_floor("0.0.0.0", login=False)
    'pseudonyms'
    """
    return "names" if is_loopback(host) or login else "pseudonyms"


def describe_floor(floor: str, *, login: bool) -> str:
    """The start-up line saying what the privacy floor allows.

    >>> describe_floor("pseudonyms", login=False)
    'Privacy floor: pseudonyms (names are shown to nobody; --privacy-floor changes it).'
    """
    shown = {"names": "names may be shown", "pseudonyms": "names are shown to nobody",
             "aggregate": "nobody sees any person-level output"}[floor]  # fmt: skip
    roles = "; a viewer login sees pseudonyms at least" if login and floor == "names" else ""
    return f"Privacy floor: {floor} ({shown}{roles}; --privacy-floor changes it)."


def make_server(app: Any, *, host: str, port: int, **options: Any) -> Any:
    """A waitress server for the Dash ``app`` on ``host:port`` (not started: call ``.run()``).

    Threads, connections and idle time are capped (:data:`THREADS`, :data:`CONNECTION_LIMIT`,
    :data:`CHANNEL_TIMEOUT`); request bodies above the app's ``MAX_CONTENT_LENGTH`` are refused
    before they are read; no ``Server`` header tells the software or its version; tracebacks
    never reach the browser. ``options`` override waitress settings (tests).
    """
    from waitress import create_server

    settings: dict[str, Any] = {
        "threads": THREADS,
        "connection_limit": CONNECTION_LIMIT,
        "channel_timeout": CHANNEL_TIMEOUT,
        "cleanup_interval": CLEANUP_INTERVAL,
        "ident": "",  # no Server header
        "expose_tracebacks": False,
        "asyncore_use_poll": True,  # poll() where there is one: select() stops at 1024 sockets on Linux
    }
    limit = app.server.config.get("MAX_CONTENT_LENGTH")
    if limit:
        settings["max_request_body_size"] = int(limit)
    return create_server(app.server, host=host, port=port, **{**settings, **options})


def _check_login(users: Mapping[str, str] | None, roles: Mapping[str, str] | None) -> None:
    """Refuse short clear-text passwords and unknown roles before anything is built or served.

    Raises
    ------
    dashboard.security.LoginError
        Naming the user.
    """
    if users:
        check_password_policy(users)
    for user, role in (roles or {}).items():
        check_role(role, f"the role of user {user!r}")


def run_app(app: Any, *, host: str, port: int, debug: bool) -> None:
    """Serve ``app`` with waitress until interrupted (the default runner of :func:`serve`).

    ``debug`` must be false: a debug server would give a code console to anyone who can reach it.
    """
    if debug:
        raise ValueError("the dashboard is never served in debug mode")
    make_server(app, host=host, port=port).run()


def serve(
    data_dir: str | Path = DEFAULT_DATA_DIR,
    host: str = "127.0.0.1",
    port: int = 8050,
    *,
    users: Mapping[str, str] | None = None,
    roles: Mapping[str, str] | None = None,
    privacy_floor: str | None = None,
    no_login: bool = False,
    max_upload_mb: float = DEFAULT_MAX_UPLOAD_MB,
    allowed_hosts: Sequence[str] = (),
    run: Callable[..., None] | None = None,
    stream: TextIO | None = None,
) -> None:
    """Start the dashboard on ``http://host:port`` with datasets kept in ``data_dir``.

    Blocks until interrupted. ``users`` (user -> password or werkzeug hash) turns on HTTP
    basic login; a ``host`` other than loopback requires it, or ``no_login=True``, which
    prints a warning to ``stream`` (default stderr). ``roles`` (user -> ``analyst`` or
    ``viewer``) say who may see names; users without one are viewers. ``privacy_floor`` is
    the least private mode anyone sees (default: :func:`default_privacy_floor`); every
    request is held to it and to its login's role (see :func:`dashboard.security.privacy_floor`).
    Uploads above ``max_upload_mb`` megabytes are refused by the server as well as by the
    browser. Debug mode stays off: it would expose a code console and tracebacks to anyone
    who can reach the address.
    Responses are gzipped when ``host`` is not loopback (see :func:`dashboard.app.create_app`).
    Only requests addressed to the served names are answered (see
    :func:`dashboard.security.served_hosts`): the loopback names on a loopback ``host``, else
    ``host`` itself, plus ``allowed_hosts`` (e.g. the machine's name, a reverse proxy's).
    ``run(app, host=, port=, debug=)`` replaces the server (tests).

    Raises
    ------
    ValueError
        When the address needs a login (see :func:`check_exposure`), a clear-text password
        is too short or a role unknown (:class:`dashboard.security.LoginError`), the privacy
        floor is not a privacy mode, an allowed host is not a host name, or the limit is not
        a positive number of megabytes.
    """
    from dashboard.app import create_app
    from dashboard.security import require_login

    stream = stream or sys.stderr
    check_exposure(host, login=bool(users), no_login=no_login)
    _check_login(users, roles)  # before anything is built or served
    floor = privacy_floor if privacy_floor is not None else default_privacy_floor(host, login=bool(users))
    if floor not in PRIVACY_MODES:
        raise ValueError(f"--privacy-floor must be one of {', '.join(PRIVACY_MODES)} (got {floor!r})")
    if not 0 < max_upload_mb < 1e6:  # also refuses nan and inf
        raise ValueError("--max-upload-mb must be a number of megabytes above 0")
    hosts = served_hosts(host, port, allowed_hosts)
    app = create_app(data_dir=data_dir, max_upload_mb=max_upload_mb, compress=not is_loopback(host), hosts=hosts,
                     privacy_floor=floor)  # fmt: skip
    if users:
        require_login(app.server, users, roles=roles)
    if no_login and not is_loopback(host):
        print(NO_LOGIN_WARNING.format(host=host, data_dir=Path(data_dir).resolve()), file=stream, flush=True)
    login = f"login required ({len(users)} user{'s' if len(users) != 1 else ''})" if users else "no login"
    print(f"Collaboration analyser: http://{host}:{port}/  (datasets in {Path(data_dir).resolve()}; {login}; "
          "Ctrl+C stops)", flush=True)  # fmt: skip
    print(f"Answering requests for {hosts.describe()}.", flush=True)
    if users:
        print(describe_logins(users, roles) + ".", flush=True)
    print(describe_floor(floor, login=bool(users)), flush=True)
    (run or run_app)(app, host=host, port=port, debug=False)
