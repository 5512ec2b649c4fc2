"""Serving safely: request size limit, HTTP basic login, and which addresses count as local."""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Callable, Mapping
from pathlib import Path

import flask
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.security import check_password_hash

from dashboard.data import MAX_UPLOAD_BYTES, megabytes

__all__ = [
    "UPLOAD_LIMIT_KEY",
    "LoginError",
    "request_limit",
    "limit_uploads",
    "upload_limit",
    "is_loopback",
    "parse_users",
    "read_auth_file",
    "check_password",
    "require_login",
]

#: Flask config key holding the largest roster file (bytes) the upload page accepts.
UPLOAD_LIMIT_KEY = "ANALYSER_MAX_UPLOAD_BYTES"
_HASH_METHODS = ("pbkdf2:", "scrypt:")
REALM = "Collaboration analyser"


class LoginError(ValueError):
    """A login configuration that cannot be used (unreadable file, malformed line)."""


def request_limit(max_upload_bytes: int) -> int:
    """The largest request body to accept so that a file of ``max_upload_bytes`` gets through.

    The browser sends an upload base64-encoded (4/3 of the file) inside a JSON callback
    request, with the other inputs of that callback; 1.4 times the file plus 1 MB covers it.

    >>> request_limit(50 * 2**20) / 2**20
    71.0
    """
    return int(max_upload_bytes * 1.4) + 2**20


def limit_uploads(server: flask.Flask, max_upload_bytes: int = MAX_UPLOAD_BYTES) -> None:
    """Refuse larger requests on ``server`` with HTTP 413 and a message a person can act on.

    Sets Flask's ``MAX_CONTENT_LENGTH`` (checked by werkzeug before the body is read) and
    keeps the file limit in the config under :data:`UPLOAD_LIMIT_KEY` for the upload page.
    """
    server.config["MAX_CONTENT_LENGTH"] = request_limit(max_upload_bytes)
    server.config[UPLOAD_LIMIT_KEY] = max_upload_bytes

    def too_large(_error: RequestEntityTooLarge) -> flask.Response:
        message = (f"The upload is larger than this server accepts: files up to {megabytes(max_upload_bytes)} MB. "
                   "Split the roster into smaller files.")  # fmt: skip
        return flask.Response(message, status=413, mimetype="text/plain")

    server.register_error_handler(413, too_large)


def upload_limit() -> int:
    """The upload limit (bytes) of the app serving the current request, else the default."""
    if flask.has_app_context():
        return int(flask.current_app.config.get(UPLOAD_LIMIT_KEY, MAX_UPLOAD_BYTES))
    return MAX_UPLOAD_BYTES


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable only from this machine (``localhost``, 127.0.0.0/8, ::1).

    ``0.0.0.0`` and ``::`` listen on every address, so they are not loopback.

    >>> [is_loopback(h) for h in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "192.168.1.5", "example.org")]
    [True, True, True, False, False, False]
    """
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to any address


def parse_users(text: str, source: str = "auth file") -> dict[str, str]:
    """Users and passwords from ``user:password`` lines (``#`` comments and blank lines skipped).

    The password may be a werkzeug hash (``pbkdf2:...`` or ``scrypt:...``, made by
    ``werkzeug.security.generate_password_hash``), so the file need not hold it in clear.

    Raises
    ------
    LoginError
        For a line without ``:``, an empty user or password, or a user listed twice.

    Examples
    --------
    >>> parse_users("# team\\nann:secret\\n\\nbo:pbkdf2:sha256:1$s$h\\n")
    {'ann': 'secret', 'bo': 'pbkdf2:sha256:1$s$h'}
    >>> parse_users("ann\\n", "users.txt")
    Traceback (most recent call last):
    ...
    dashboard.security.LoginError: users.txt:1: expected user:password
    """
    users: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        user, colon, password = line.partition(":")
        user = user.strip()
        if not colon or not user or not password:
            raise LoginError(f"{source}:{number}: expected user:password")
        if user in users:
            raise LoginError(f"{source}:{number}: user {user!r} is listed twice")
        users[user] = password
    return users


def read_auth_file(path: str | Path) -> dict[str, str]:
    """The users of an auth file (see :func:`parse_users`); at least one is required."""
    path = Path(path)
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise LoginError(f"{path}: cannot read the login file ({getattr(exc, 'strerror', None) or exc})") from None
    users = parse_users(text, str(path))
    if not users:
        raise LoginError(f"{path}: the login file lists no user:password line")
    return users


def check_password(stored: str, given: str) -> bool:
    """Whether ``given`` matches ``stored`` (a werkzeug hash, or the password itself).

    Plain passwords are compared in constant time.

    >>> check_password("secret", "secret"), check_password("secret", "guess")
    (True, False)
    """
    if stored.startswith(_HASH_METHODS) and stored.count("$") >= 2:
        return check_password_hash(stored, given)
    return hmac.compare_digest(stored.encode("utf-8"), given.encode("utf-8"))


def require_login(server: flask.Flask, users: Mapping[str, str]) -> Callable[[], flask.Response | None]:
    """Ask every request on ``server`` for HTTP basic login as one of ``users``.

    The check runs before any other request hook (so before Dash's own and the redirect of
    "/"); a missing or wrong login gets 401 with a ``WWW-Authenticate`` challenge, which
    makes the browser ask for user and password. Basic login sends the password with each
    request, so anything beyond a trusted network needs HTTPS in front (a reverse proxy).
    """
    accounts = dict(users)
    if not accounts:
        raise LoginError("a login needs at least one user")
    decoy = next(iter(accounts.values()))

    def check() -> flask.Response | None:
        auth = flask.request.authorization
        if auth is not None and auth.type == "basic":
            stored = accounts.get(auth.username or "")
            # an unknown user costs the same check as a known one (no timing hint)
            ok = check_password(stored if stored is not None else decoy, auth.password or "")
            if ok and stored is not None:
                return None
        response = flask.Response("Login required.", status=401, mimetype="text/plain")
        response.headers["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
        return response

    server.before_request_funcs.setdefault(None, []).insert(0, check)
    return check
