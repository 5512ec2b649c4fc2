"""Serving safely: request limits, the hosts and origins answered, security headers, a
login (HTTP basic once, then a signed session cookie) with a failure throttle and a password policy,
and the privacy floor of each request (the server's, raised by the role of the login).

What each defence is for, and the test that proves it: ``docs/security.md``.
"""

from __future__ import annotations

import getpass
import hmac
import ipaddress
import math
import os
import secrets
import sys
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import flask
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.security import check_password_hash, generate_password_hash

from analyser.privacy import PRIVACY_MODES
from dashboard.settings import most_private
from dashboard.uploads import MAX_UPLOAD_BYTES, megabytes

__all__ = [
    "UPLOAD_LIMIT_KEY",
    "MIN_PASSWORD_LENGTH",
    "LOOPBACK_NAMES",
    "LoginError",
    "request_limit",
    "limit_uploads",
    "upload_limit",
    "is_loopback",
    "HostRule",
    "served_hosts",
    "restrict_hosts",
    "content_security_policy",
    "secure_headers",
    "ROLES",
    "DEFAULT_ROLE",
    "PRIVACY_FLOOR_KEY",
    "Account",
    "parse_accounts",
    "parse_users",
    "read_auth_file",
    "check_role",
    "describe_logins",
    "password_problem",
    "check_password_policy",
    "hash_password",
    "check_password",
    "Throttle",
    "Login",
    "require_login",
    "set_privacy_floor",
    "server_floor",
    "request_user",
    "request_role",
    "privacy_floor",
    "main",
]

#: Flask config key holding the largest roster file (bytes) the upload page accepts.
UPLOAD_LIMIT_KEY = "ANALYSER_MAX_UPLOAD_BYTES"
_HASH_METHODS = ("pbkdf2:", "scrypt:")
REALM = "Collaboration analyser"
#: Shortest password accepted in an auth file or by :func:`hash_password`.
MIN_PASSWORD_LENGTH = 12
#: Names of this machine a browser may use for a server bound to the loopback.
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
_WILDCARD_HOSTS = ("0.0.0.0", "::", "[::]", "")
#: Methods that change something; their Origin, when sent, must be one served here.
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: A session lasts this long (seconds); then the browser's stored basic login renews it.
SESSION_SECONDS = 8 * 3600
#: Failed logins a client address may make before each further try waits 1, 2, 4 ... seconds.
FREE_FAILURES = 5
MAX_BACKOFF_SECONDS = 900
#: An address without a failed login for this long starts afresh (seconds).
FORGET_FAILURES_AFTER = 3600
MAX_TRACKED_CLIENTS = 10_000
#: Password hashes checked at once: scrypt takes 32 MB and ~0.1 s each, so this caps the
#: memory concurrent logins can take. A login finding no free slot gets 503 at once rather
#: than wait, so a flood of logins never holds the server's threads.
HASH_SLOTS = max(1, min(4, (os.cpu_count() or 2) // 2))  # half the cores: the rest keep serving
#: How long a request waits for the check of the same credentials already running (seconds).
SAME_CHECK_WAIT_SECONDS = 10
#: Credentials remembered as checked (by a keyed hash), for clients that keep no cookie.
KNOWN_CREDENTIALS = 1000
_EARLY_HOOK = "_analyser_runs_first"
_NEW_SESSION = "analyser_new_session"
#: ``flask.g`` key of the user a request is logged in as (set by the login hook).
_USER = "analyser_user"
#: ``server.extensions`` key of the :class:`Login` of a server.
_LOGIN = "analyser_login"
#: Flask config key of the least private mode the server shows anyone (``--privacy-floor``).
PRIVACY_FLOOR_KEY = "ANALYSER_PRIVACY_FLOOR"
#: Roles of an auth file line ``user:password:role``, with the least private mode each may see.
ROLES = {"analyst": "names", "viewer": "pseudonyms"}
#: The role of a login whose line names none. The safe one: a forgotten role must not show
#: names to a whole team (docs/security.md, "Roles and the privacy floor").
DEFAULT_ROLE = "viewer"
_ROLES_TEXT = "the roles are analyst (may see names) and viewer (pseudonyms or aggregate only)"


class LoginError(ValueError):
    """A login configuration that cannot be used (unreadable file, malformed line, short password)."""


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


def _early(server: flask.Flask, hook: Callable[[], flask.Response | None]) -> None:
    """Run ``hook`` before every other request hook of ``server``, after earlier early ones.

    So the host check runs first, then the login, then Dash's own hooks and the redirect of "/".
    """
    def early() -> flask.Response | None:
        return hook()

    setattr(early, _EARLY_HOOK, True)
    hooks = server.before_request_funcs.setdefault(None, [])
    hooks.insert(sum(1 for h in hooks if getattr(h, _EARLY_HOOK, False)), early)


def _plain(message: str, status: int, **headers: str) -> flask.Response:
    response = flask.Response(message, status=status, mimetype="text/plain")
    response.headers.update(headers)
    return response


def _split_host(value: str, default_port: int) -> tuple[str, int] | None:
    """``(name, port)`` of a ``Host`` header value, lower case; ``None`` when malformed.

    >>> _split_host("LocalHost:8050", 80), _split_host("[::1]", 80), _split_host("a:b", 80)
    (('localhost', 8050), ('[::1]', 80), None)
    """
    value = value.strip().lower()
    if value.startswith("["):
        name, bracket, rest = value.partition("]")
        name, port = name + bracket, rest.removeprefix(":") if rest.startswith(":") else rest
    else:
        name, _, port = value.partition(":")
    if not name or (port and not port.isdigit()) or not 0 <= int(port or 0) <= 65535:
        return None
    return name, int(port) if port else default_port


def _bracketed(host: str) -> str:
    """An IPv6 address in the brackets a ``Host`` header puts around it.

    >>> _bracketed("::1"), _bracketed("[::1]"), _bracketed("localhost")
    ('[::1]', '[::1]', 'localhost')
    """
    host = host.strip().lower()
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class HostRule:
    """The ``Host`` header values a server answers.

    ``names`` holds ``name:port`` entries (that port only) and bare names (any port);
    ``any_address`` also accepts every IP address (a server bound to all of them): a DNS
    rebinding page always sends its own domain name, never an address.
    """

    names: frozenset[str]
    any_address: bool = False

    def listed(self, name: str, port: int) -> bool:
        """Whether ``name`` with ``port`` is one of :attr:`names`."""
        return f"{name}:{port}" in self.names or name in self.names

    def allows(self, host: str, default_port: int = 80) -> bool:
        """Whether a request with this ``Host`` header is answered.

        >>> rule = HostRule(frozenset({"localhost:8050", "analyser.example.org"}))
        >>> [rule.allows(h) for h in ("localhost:8050", "localhost:9", "analyser.example.org", "evil.example")]
        [True, False, True, False]
        """
        parts = _split_host(host, default_port)
        if parts is None:
            return False
        return self.listed(*parts) or (self.any_address and _is_address(parts[0]))

    def describe(self) -> str:
        """The accepted names for messages, e.g. ``127.0.0.1:8050, localhost:8050``."""
        names = ", ".join(sorted(self.names))
        return names + (", and any IP address of this machine" if self.any_address else "")


def _allowed_entry(item: str) -> str:
    """A ``--allowed-host`` value as a :class:`HostRule` entry (``name`` or ``name:port``).

    >>> _allowed_entry("Analyser.Example.org"), _allowed_entry("proxy.local:443")
    ('analyser.example.org', 'proxy.local:443')
    """
    parts = _split_host(item, 0)
    if parts is None or any(c in item for c in "/ @\\t"):
        raise ValueError(f"--allowed-host expects a host name such as analyser.example.org, optionally with "
                         f":port (got {item!r})")  # fmt: skip
    name, port = parts
    return f"{name}:{port}" if port else name


def served_hosts(host: str, port: int | None = None, allowed: Iterable[str] = ()) -> HostRule:
    """The :class:`HostRule` of a server bound to ``host`` and ``port``, plus ``allowed`` names.

    A loopback bind answers ``127.0.0.1``, ``localhost`` and ``[::1]``; another bind answers
    the host given; a bind to every address (``0.0.0.0``, ``::``) answers the loopback names
    and any IP address. ``port`` 0 or ``None`` (not known yet) accepts any port.

    Examples
    --------
    >>> rule = served_hosts("127.0.0.1", 8050)
    >>> rule.allows("localhost:8050"), rule.allows("evil.example:8050"), rule.allows("127.0.0.1:9999")
    (True, False, False)
    >>> rule = served_hosts("0.0.0.0", 8050, ["analyser.example.org"])
    >>> rule.allows("analyser.example.org"), rule.allows("192.168.1.20:8050"), rule.allows("evil.example")
    (True, True, False)
    """
    wildcard = host.strip().lower() in _WILDCARD_HOSTS
    names = {_bracketed(host)} if not wildcard else set()
    if wildcard or is_loopback(host):
        names.update(LOOPBACK_NAMES)
    entries = {f"{name}:{port}" if port else name for name in names}
    entries.update(_allowed_entry(item) for item in allowed)
    return HostRule(frozenset(entries), any_address=wildcard)


def _origin_allowed(origin: str, host: str, rule: HostRule, scheme: str) -> bool:
    """Whether a request's ``Origin`` is this server: the same as its ``Host``, or a listed name.

    An IP address is not enough here (unlike for ``Host``): a hostile page may be served
    from an address of its own; nor is a loopback name with another port: that is another
    server on this machine.

    >>> rule = served_hosts("127.0.0.1", 8050)
    >>> _origin_allowed("http://127.0.0.1:8050", "127.0.0.1:8050", rule, "http")
    True
    >>> [_origin_allowed(o, "127.0.0.1:8050", rule, "http") for o in ("http://evil.example", "null")]
    [False, False]
    """
    try:
        parts = urlsplit(origin.strip())
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    source = _split_host(parts.netloc, 443 if parts.scheme == "https" else 80)
    target = _split_host(host, 443 if scheme == "https" else 80)
    return source is not None and (source == target or (rule.listed(*source) and not is_loopback(source[0])))


def restrict_hosts(server: flask.Flask, rule: HostRule) -> None:
    """Answer only requests addressed to ``rule`` (400 otherwise), and refuse with 403 a
    changing request (POST: Dash callbacks, uploads) whose ``Origin`` is another site.

    Without this a web page whose domain is pointed at 127.0.0.1 (DNS rebinding) could read
    and delete every roster of a server without a login.
    """

    def guard() -> flask.Response | None:
        request = flask.request
        host = request.environ.get("HTTP_HOST", "")
        if not rule.allows(host, 443 if request.scheme == "https" else 80):
            return _plain(f"This server does not answer for the address {host[:100]!r}. It answers "
                          f"{rule.describe()}; `analyser serve --allowed-host NAME` adds a name.", 400)  # fmt: skip
        origin = request.headers.get("Origin")
        if request.method in UNSAFE_METHODS and origin is not None and not _origin_allowed(origin, host, rule, request.scheme):
            return _plain("Refused: this request comes from another web site.", 403)
        return None

    _early(server, guard)


def content_security_policy(script_hashes: Iterable[str] = ()) -> str:
    """The Content-Security-Policy of the dashboard: its own files only, no framing.

    Scripts: the app's files plus its inline scripts by hash (Dash's renderer start and
    clientside callbacks), no ``eval``. Styles may be inline: Plotly and the Dash components
    set them at run time. Images may be ``data:`` and ``blob:`` (figure downloads).

    >>> content_security_policy(["'sha256-abc='"]).split("; ")[:2]
    ["default-src 'self'", "script-src 'self' 'sha256-abc='"]
    """
    scripts = " ".join(["'self'", *script_hashes])
    return "; ".join([
        "default-src 'self'", f"script-src {scripts}", "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:", "font-src 'self' data:", "connect-src 'self'", "object-src 'none'",
        "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
    ])  # fmt: skip


def secure_headers(server: flask.Flask, script_hashes: Callable[[], Iterable[str]] = tuple) -> None:
    """Add security headers to every response of ``server``.

    ``script_hashes()`` gives the CSP hashes of the page's inline scripts (``Dash.csp_hashes``);
    it is asked on each response because Dash adds one on its first request.
    """

    def add(response: flask.Response) -> flask.Response:
        headers = response.headers
        headers["Content-Security-Policy"] = content_security_policy(script_hashes())
        headers["X-Frame-Options"] = "DENY"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "no-referrer"
        headers.pop("Server", None)
        return response

    server.after_request(add)


# -- users and passwords ---------------------------------------------------------------------


def _is_hash(stored: str) -> bool:
    return stored.startswith(_HASH_METHODS) and stored.count("$") >= 2


@dataclass(frozen=True)
class Account:
    """One login of an auth file: its password (clear or a werkzeug hash) and its role.

    ``role`` is ``None`` when the line names none; the login then has :data:`DEFAULT_ROLE`.
    """

    password: str
    role: str | None = None


def check_role(role: str, where: str) -> str:
    """``role`` in lower case when it is one of :data:`ROLES`.

    Raises
    ------
    LoginError
        Naming ``where`` (a file and line, or a variable). The text is not repeated in the
        message: after a password containing ``:`` it may be the end of that password.

    Examples
    --------
    >>> check_role(" Analyst", "users.txt:2")
    'analyst'
    >>> check_role("admin", "ANALYSER_ROLE")
    Traceback (most recent call last):
    ...
    dashboard.security.LoginError: ANALYSER_ROLE: not a role; the roles are analyst (may see names) and viewer (pseudonyms or aggregate only)
    """
    name = role.strip().casefold()
    if name not in ROLES:
        raise LoginError(f"{where}: not a role; {_ROLES_TEXT}")
    return name


def _split_role(secret: str) -> tuple[str, str | None]:
    """The text after ``user:`` of an auth file line as its password and role (``None``: no role).

    A hash (``scrypt:...$salt$hexdigits``) has no ``:`` after its last ``$``, so one there
    starts the role; in a clear password the text after the last ``:`` is the role.

    >>> _split_role("two words "), _split_role("secret :analyst"), _split_role("pbkdf2:sha256:1$s$h :viewer")
    (('two words ', None), ('secret ', 'analyst'), ('pbkdf2:sha256:1$s$h', 'viewer'))
    """
    if _is_hash(secret.strip()):
        head, dollar, tail = secret.strip().rpartition("$")
        digest, colon, role = tail.partition(":")
        # a hash has no spaces: those around it are the file's layout
        return head + dollar + digest.strip(), (role if colon else None)
    password, colon, role = secret.rpartition(":")
    return (password, role) if colon else (secret, None)


def parse_accounts(text: str, source: str = "auth file") -> dict[str, Account]:
    """Logins from ``user:password`` or ``user:password:role`` lines (``#`` comments and blank lines skipped).

    The password is everything between the first ``:`` and the role, spaces included (they
    are never trimmed). It may be a werkzeug hash (``scrypt:...`` or ``pbkdf2:...``, made by
    :func:`hash_password`), so the file need not hold it in clear. The role is one of
    :data:`ROLES`; without one a login is a :data:`DEFAULT_ROLE`. A clear password that
    contains ``:`` must be followed by its role (``ann:pass:word:viewer``), as its last part
    would be read as one.

    Raises
    ------
    LoginError
        Naming the source and line: a line without ``:``, an empty user or password, an
        unknown role, or a user listed twice.

    Examples
    --------
    >>> accounts = parse_accounts("# team\\nann:secret phrase:analyst\\nbo:pbkdf2:sha256:1$s$h\\n")
    >>> accounts["ann"], accounts["bo"]
    (Account(password='secret phrase', role='analyst'), Account(password='pbkdf2:sha256:1$s$h', role=None))
    >>> parse_accounts("ann:pass:word\\n", "users.txt")
    Traceback (most recent call last):
    ...
    dashboard.security.LoginError: users.txt:1: user 'ann': the text after the last ':' is not a role; the roles are analyst (may see names) and viewer (pseudonyms or aggregate only). A password containing ':' needs its role after it (ann:pass:word:viewer), or use a hash from `python -m dashboard.security ann`
    """
    accounts: dict[str, Account] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        user, colon, secret = line.partition(":")
        user = user.strip()
        password, role = _split_role(secret)
        if not colon or not user or not password:
            raise LoginError(f"{source}:{number}: expected user:password or user:password:role")
        if user in accounts:
            raise LoginError(f"{source}:{number}: user {user!r} is listed twice")
        if role is not None and role.strip().casefold() not in ROLES:
            raise LoginError(f"{source}:{number}: user {user!r}: the text after the last ':' is not a role; "
                             f"{_ROLES_TEXT}. A password containing ':' needs its role after it ({user}:pass:word:viewer), "
                             f"or use a hash from `python -m dashboard.security {user}`")  # fmt: skip
        accounts[user] = Account(password, None if role is None else check_role(role, f"{source}:{number}"))
    return accounts


def parse_users(text: str, source: str = "auth file") -> dict[str, str]:
    """The passwords of :func:`parse_accounts` by user (roles left out).

    Examples
    --------
    >>> parse_users("# team\\nann:secret \\n\\nbo:pbkdf2:sha256:1$s$h:viewer\\n")
    {'ann': 'secret ', 'bo': 'pbkdf2:sha256:1$s$h'}
    >>> parse_users("ann\\n", "users.txt")
    Traceback (most recent call last):
    ...
    dashboard.security.LoginError: users.txt:1: expected user:password or user:password:role
    """
    return {user: account.password for user, account in parse_accounts(text, source).items()}


def read_auth_file(path: str | Path) -> dict[str, Account]:
    """The logins of an auth file (see :func:`parse_accounts`); at least one is required."""
    path = Path(path)
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise LoginError(f"{path}: cannot read the login file ({getattr(exc, 'strerror', None) or exc})") from None
    accounts = parse_accounts(text, str(path))
    if not accounts:
        raise LoginError(f"{path}: the login file lists no user:password line")
    return accounts


def describe_logins(users: Iterable[str], roles: Mapping[str, str] | None = None) -> str:
    """One line for the operator at start: each user with its role and what it may see.

    Examples
    --------
    >>> describe_logins(["bo", "ann"], {"ann": "analyst"})
    'Logins: ann (analyst: names allowed), bo (viewer, no role given: pseudonyms or aggregate only)'
    """
    roles = roles or {}
    seen = {"analyst": "names allowed", "viewer": "pseudonyms or aggregate only"}
    parts = [f"{user} ({roles[user]}: {seen[roles[user]]})" if user in roles
             else f"{user} ({DEFAULT_ROLE}, no role given: {seen[DEFAULT_ROLE]})" for user in sorted(users)]  # fmt: skip
    return "Logins: " + ", ".join(parts)


def password_problem(password: str) -> str | None:
    """Why ``password`` is too weak for the dashboard, or ``None``.

    >>> password_problem("secret"), password_problem("correct horse battery")
    ('has 6 characters; at least 12 are needed', None)
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"has {len(password)} characters; at least {MIN_PASSWORD_LENGTH} are needed"
    return None


def check_password_policy(users: Mapping[str, str]) -> None:
    """Refuse clear-text passwords shorter than :data:`MIN_PASSWORD_LENGTH` (hashes cannot be checked).

    Raises
    ------
    LoginError
        Naming every user whose password is too short.

    Examples
    --------
    >>> check_password_policy({"ann": "correct horse battery"})
    >>> check_password_policy({"ann": "pw"})
    Traceback (most recent call last):
    ...
    dashboard.security.LoginError: refusing to start: the password of user 'ann' has 2 characters; at least 12 are needed (choose a longer one, or put a hash from `python -m dashboard.security USER` in the auth file)
    """
    weak = [f"the password of user {user!r} {problem}" for user, password in users.items()
            if not _is_hash(password) and (problem := password_problem(password))]  # fmt: skip
    if weak:
        raise LoginError("refusing to start: " + "; ".join(weak) + " (choose a longer one, or put a hash from "
                         "`python -m dashboard.security USER` in the auth file)")  # fmt: skip


def hash_password(password: str) -> str:
    """A scrypt hash of ``password`` for an auth file line ``user:<hash>``.

    Raises
    ------
    LoginError
        When the password is shorter than :data:`MIN_PASSWORD_LENGTH`.

    Examples
    --------
    >>> hash_password("correct horse battery").startswith("scrypt:")
    True
    """
    problem = password_problem(password)
    if problem:
        raise LoginError(f"the password {problem}")
    return generate_password_hash(password, method="scrypt")


def check_password(stored: str, given: str) -> bool:
    """Whether ``given`` matches ``stored`` (a werkzeug hash, or the password itself).

    Plain passwords are compared in constant time.

    >>> check_password("secret", "secret"), check_password("secret", "guess")
    (True, False)
    """
    if _is_hash(stored):
        return check_password_hash(stored, given)
    return hmac.compare_digest(stored.encode("utf-8"), given.encode("utf-8"))


# -- login -------------------------------------------------------------------------------------


class _Client:
    __slots__ = ("failures", "last", "running")

    def __init__(self) -> None:
        self.failures, self.last, self.running = 0, 0.0, 0


class Throttle:
    """Failed logins per client address: ``free`` of them, then each try waits twice as long.

    :meth:`begin` before checking a password says how long the client must still wait
    (0: go ahead, and call :meth:`end` with the outcome). Checks running at once count as
    failures until they end, so a burst of parallel guesses gets no more than ``free``.

    Examples
    --------
    >>> now = [0.0]
    >>> throttle = Throttle(free=2, clock=lambda: now[0])
    >>> [throttle.begin("a") for _ in range(3)]  # two may run at once, the third waits
    [0.0, 0.0, 1.0]
    >>> throttle.end("a", False); throttle.end("a", False)
    >>> throttle.begin("a"), throttle.begin("b")  # a waits 2**0 s after its last failure, b is fresh
    (1.0, 0.0)
    >>> now[0] = 1.0
    >>> throttle.begin("a")
    0.0
    """

    def __init__(self, free: int = FREE_FAILURES, *, max_wait: float = MAX_BACKOFF_SECONDS,
                 forget_after: float = FORGET_FAILURES_AFTER, max_clients: int = MAX_TRACKED_CLIENTS,
                 clock: Callable[[], float] = time.monotonic):  # fmt: skip
        self.free, self.max_wait, self.forget_after, self.max_clients = free, max_wait, forget_after, max_clients
        self._clock = clock
        self._clients: OrderedDict[str, _Client] = OrderedDict()
        self._lock = threading.Lock()

    def _wait(self, client: _Client, now: float) -> float:
        if client.failures + client.running < self.free:
            return 0.0
        if client.running:
            return 1.0  # one check at a time once the free ones are used
        delay = min(self.max_wait, 2.0 ** (client.failures - self.free))
        return max(0.0, client.last + delay - now)

    def begin(self, address: str) -> float:
        """Seconds ``address`` must wait before a password check; 0 reserves one."""
        with self._lock:
            now = self._clock()
            client = self._clients.get(address)
            if client is None or (not client.running and now - client.last > self.forget_after):
                client = _Client()
            wait = self._wait(client, now)
            if wait > 0:
                return wait
            client.running += 1
            self._clients[address] = client
            self._clients.move_to_end(address)
            if len(self._clients) > self.max_clients:  # the least recently seen idle address goes
                idle = next((a for a, c in self._clients.items() if not c.running), None)
                if idle is not None:
                    del self._clients[idle]
            return 0.0

    def end(self, address: str, ok: bool | None) -> None:
        """The check reserved by :meth:`begin` is over: ``ok`` true, false, or ``None`` (not run)."""
        with self._lock:
            client = self._clients.get(address)
            if client is None:
                return
            client.running = max(0, client.running - 1)
            if ok:
                client.failures = 0
            elif ok is False:
                client.failures += 1
                client.last = self._clock()
            if not client.failures and not client.running:
                del self._clients[address]


def _dummy_hash(hashes: Iterable[str]) -> str:
    """A hash of a random password made like most of ``hashes``: an unknown user's check then
    costs as much as a known one's (no timing hint of which user names exist)."""
    methods = Counter(h.split("$", 1)[0] for h in hashes)
    method = methods.most_common(1)[0][0] if methods else "scrypt"
    try:
        return generate_password_hash(secrets.token_urlsafe(16), method=method)
    except ValueError:
        return generate_password_hash(secrets.token_urlsafe(16), method="scrypt")


class Login:
    """HTTP basic login for ``users``, then a signed session cookie.

    A password (clear or hashed in ``users``) is checked once per browser: the answer
    carries a cookie signed with a key made at start, valid for :data:`SESSION_SECONDS`,
    and requests with it skip the slow hash. Requests carrying the same credentials at once
    share one check, and credentials that passed are remembered (an HMAC with that key), so
    a browser's parallel requests never count as several tries. Clear passwords are hashed
    at start, so every check costs the same; an unknown user is checked against a dummy
    hash. Failed checks are throttled per client address (:class:`Throttle`, 429 with
    ``Retry-After``), and at most :data:`HASH_SLOTS` hashes run at once (503 beyond).

    ``roles`` gives users their role (:data:`ROLES`; :data:`DEFAULT_ROLE` for the others).
    The user of each request that passes is kept in ``flask.g`` for :func:`privacy_floor`;
    the role is looked up here, never read from the cookie.

    Raises
    ------
    LoginError
        Without users, with a clear password shorter than :data:`MIN_PASSWORD_LENGTH`, or
        with an unknown role.
    """

    def __init__(self, users: Mapping[str, str], *, roles: Mapping[str, str] | None = None,
                 throttle: Throttle | None = None, hash_slots: int = HASH_SLOTS):  # fmt: skip
        if not users:
            raise LoginError("a login needs at least one user")
        check_password_policy(users)
        self._roles = {user: check_role((roles or {}).get(user, DEFAULT_ROLE), f"the role of user {user!r}")
                       for user in users}  # fmt: skip
        self._accounts = {user: p if _is_hash(p) else generate_password_hash(p) for user, p in users.items()}
        self._dummy = _dummy_hash(self._accounts.values())
        self._key = secrets.token_bytes(32)
        self._signer = URLSafeTimedSerializer(self._key, salt="analyser-login")
        self._slots = threading.BoundedSemaphore(hash_slots)
        self._known: OrderedDict[bytes, str] = OrderedDict()
        self._pending: dict[bytes, threading.Event] = {}
        self._lock = threading.Lock()
        self.throttle = throttle or Throttle()

    @staticmethod
    def cookie_name() -> str:
        """The session cookie of this server: named by port, as browsers share cookies across ports."""
        return f"analyser-login-{flask.request.environ.get('SERVER_PORT', '')}"

    def verify(self, user: str, password: str) -> bool:
        """Whether ``user`` may log in with ``password``; as slow for an unknown user as for a known one."""
        stored, known = self._dummy, False
        for name, hashed in self._accounts.items():
            if hmac.compare_digest(name.encode("utf-8"), user.encode("utf-8")):
                stored, known = hashed, True
        return check_password_hash(stored, password) and known

    def floor_of(self, user: str | None) -> str:
        """The least private mode ``user`` may see; the most private one for no or an unknown user.

        A request that reaches a callback has passed :meth:`check`, so it has a user; if it
        somehow has none, it sees nothing personal rather than everything.
        """
        role = self._roles.get(user) if user is not None else None
        return ROLES[role] if role is not None else PRIVACY_MODES[-1]

    def role_of(self, user: str | None) -> str | None:
        """The role of ``user``, or ``None`` for no or an unknown user."""
        return self._roles.get(user) if user is not None else None

    def session_user(self) -> str | None:
        """The user of the request's valid session cookie, else ``None``."""
        token = flask.request.cookies.get(self.cookie_name())
        if not token:
            return None
        try:
            user = self._signer.loads(token, max_age=SESSION_SECONDS)
        except BadSignature:  # also an expired one
            return None
        return user if isinstance(user, str) and user in self._accounts else None

    def check(self) -> flask.Response | None:
        """The request hook: ``None`` lets the request through, else the answer (401, 429 or 503)."""
        user = self.session_user()
        if user is not None:
            flask.g.setdefault(_USER, user)
            return None
        auth = flask.request.authorization
        if auth is None or auth.type != "basic":
            return self._challenge()
        user, password = auth.username or "", auth.password or ""
        token = hmac.new(self._key, f"{user}\0{password}".encode("utf-8", "surrogatepass"), "sha256").digest()
        with self._lock:
            known = self._known.get(token) == user
            running = None if known else self._pending.get(token)
            if not known and running is None:
                self._pending[token] = mine = threading.Event()
        if known:
            return self._passed(user)
        if running is not None:  # the same credentials are being checked: take that answer
            running.wait(SAME_CHECK_WAIT_SECONDS)
            with self._lock:
                known = self._known.get(token) == user
            return self._passed(user) if known else self._challenge()
        try:
            return self._check_password(token, user, password)
        finally:
            with self._lock:
                self._pending.pop(token, None)
            mine.set()

    def _check_password(self, token: bytes, user: str, password: str) -> flask.Response | None:
        address = flask.request.remote_addr or "unknown"
        wait = self.throttle.begin(address)
        if wait > 0:
            return _plain("Too many failed logins from this address; wait and try again.", 429,
                          **{"Retry-After": str(math.ceil(wait))})  # fmt: skip
        ok: bool | None = None
        try:
            if not self._slots.acquire(blocking=False):
                return _plain("The server is busy with other logins; try again in a moment.", 503,
                              **{"Retry-After": "2"})  # fmt: skip
            try:
                ok = self.verify(user, password)
            finally:
                self._slots.release()
        finally:
            self.throttle.end(address, ok)
        if not ok:
            return self._challenge()
        with self._lock:
            self._known[token] = user
            while len(self._known) > KNOWN_CREDENTIALS:
                self._known.popitem(last=False)
        return self._passed(user)

    @staticmethod
    def _passed(user: str) -> None:
        flask.g.setdefault(_USER, user)
        flask.g.setdefault(_NEW_SESSION, user)  # the answer gets a session cookie
        return None

    def issue(self, response: flask.Response) -> flask.Response:
        """After a basic login: set the session cookie (HttpOnly, SameSite=Strict)."""
        user = flask.g.pop(_NEW_SESSION, None)
        if user is not None:
            response.set_cookie(self.cookie_name(), self._signer.dumps(user), max_age=SESSION_SECONDS, httponly=True,
                                samesite="Strict", secure=flask.request.is_secure)  # fmt: skip
        return response

    @staticmethod
    def _challenge() -> flask.Response:
        return _plain("Login required.", 401, **{"WWW-Authenticate": f'Basic realm="{REALM}", charset="UTF-8"'})


def require_login(server: flask.Flask, users: Mapping[str, str], **options) -> Callable[[], flask.Response | None]:
    """Ask every request on ``server`` for a login as one of ``users`` (see :class:`Login`).

    The check runs before Dash's hooks and the redirect of "/" (after the host check). Basic
    login sends the password in clear, so anything beyond a trusted network needs HTTPS in
    front (a reverse proxy). ``options`` go to :class:`Login` (``roles``: user -> role).
    Returns the request hook.

    Raises
    ------
    LoginError
        Without users, with a too short clear-text password, or an unknown role.
    """
    login = Login(users, **options)
    server.extensions[_LOGIN] = login  # privacy_floor() asks it for the role of each request
    _early(server, login.check)
    server.after_request(login.issue)
    return login.check


# -- the privacy floor ---------------------------------------------------------------------


def set_privacy_floor(server: flask.Flask, floor: str) -> None:
    """Show nobody on ``server`` a less private mode than ``floor`` (``--privacy-floor``).

    Raises
    ------
    ValueError
        When ``floor`` is not a privacy mode.

    Examples
    --------
    >>> app = flask.Flask("x")
    >>> set_privacy_floor(app, "pseudonyms")
    >>> with app.test_request_context():
    ...     server_floor(), privacy_floor()
    ('pseudonyms', 'pseudonyms')
    """
    if floor not in PRIVACY_MODES:
        raise ValueError(f"--privacy-floor must be one of {', '.join(PRIVACY_MODES)} (got {floor!r})")
    server.config[PRIVACY_FLOOR_KEY] = floor


def server_floor() -> str:
    """The ``--privacy-floor`` of the app answering the current request (``names`` outside one)."""
    if not flask.has_app_context():
        return PRIVACY_MODES[0]
    return flask.current_app.config.get(PRIVACY_FLOOR_KEY, PRIVACY_MODES[0])


def _login() -> Login | None:
    return flask.current_app.extensions.get(_LOGIN) if flask.has_app_context() else None


def request_user() -> str | None:
    """The user the current request is logged in as (``None`` without a login or a request)."""
    return flask.g.get(_USER) if flask.has_request_context() else None


def request_role() -> str | None:
    """The role of the current request's login (``None`` when the server has no login)."""
    login = _login()
    return login.role_of(request_user()) if login is not None and flask.has_request_context() else None


def privacy_floor() -> str:
    """The least private mode the current request may see: the server's floor, raised by the
    role of its login (:data:`ROLES`), in the order names < pseudonyms < aggregate.

    Every setting read from a browser is clamped to it (:func:`dashboard.settings.parse_settings`).
    Outside a request (the CLI, tests calling page functions) there is no browser to
    distrust: the floor is ``names``.

    Examples
    --------
    >>> privacy_floor()
    'names'
    >>> app = flask.Flask("x")
    >>> login = require_login(app, {"ann": "correct horse battery"})  # no role given: a viewer
    >>> with app.test_request_context():
    ...     flask.g.analyser_user = "ann"
    ...     privacy_floor()
    'pseudonyms'
    """
    if not flask.has_request_context():
        return PRIVACY_MODES[0]
    login = _login()
    role_floor = login.floor_of(request_user()) if login is not None else PRIVACY_MODES[0]
    return most_private(server_floor(), role_floor)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m dashboard.security USER [ROLE]``: ask for a password twice, print the auth file line.

    The line is ``USER:scrypt:...`` (``USER:scrypt:...:ROLE`` with a role); append it to the
    file given to ``analyser serve --auth-file``. Returns the exit code (2 for a usage error,
    an unknown role, a mismatch or a short password).
    """
    args = list(sys.argv[1:] if argv is None else argv)
    if not 1 <= len(args) <= 2 or not args[0].strip() or ":" in args[0]:
        print("usage: python -m dashboard.security USER [analyst|viewer]   (prints USER:<hash>[:ROLE] for an auth file)",
              file=sys.stderr)  # fmt: skip
        return 2
    try:
        role = ":" + check_role(args[1], "ROLE") if len(args) == 2 else ""
    except LoginError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    password = getpass.getpass(f"Password for {args[0]} (at least {MIN_PASSWORD_LENGTH} characters): ")
    if getpass.getpass("Again: ") != password:
        print("error: the two passwords differ", file=sys.stderr)
        return 2
    try:
        print(f"{args[0].strip()}:{hash_password(password)}{role}")
    except LoginError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
