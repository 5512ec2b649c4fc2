"""The dashboard server's command line: ``python -m dashboard`` and ``analyser serve`` (options, logins, start).

Both commands take the same options (:func:`add_serve_options`) and start the server the same
way (:func:`serve_from_args`); a configuration that cannot be served (another address without
a login, a short password, an unknown role ...) is a usage error, exit code 2. Help and
messages are in the language of the ``ANALYSER_LANG`` setting (English by default).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from analyser.i18n import default_language, t
from analyser.privacy import PRIVACY_MODES

__all__ = ["EXIT_OK", "EXIT_USAGE", "ServeSetupError", "add_serve_options", "login_accounts", "serve_from_args", "main"]

EXIT_OK, EXIT_USAGE = 0, 2


class ServeSetupError(ValueError):
    """The server cannot start as configured; the message says what to change."""


def add_serve_options(p: argparse.ArgumentParser, lang: str = "en") -> None:
    """The options of ``analyser serve`` and ``python -m dashboard``, their help in ``lang``."""
    p.add_argument("--data-dir", default=".analyser-data", metavar="D", help=t("cli.help.data_dir", lang))
    p.add_argument("--host", default="127.0.0.1", metavar="H", help=t("cli.help.host", lang))
    p.add_argument("--port", type=int, default=8050, metavar="P", help=t("cli.help.port", lang))
    p.add_argument("--max-upload-mb", type=float, default=50, metavar="MB", help=t("cli.help.max_upload_mb", lang))
    p.add_argument("--auth-file", metavar="PATH", help=t("cli.help.auth_file", lang))
    p.add_argument("--privacy-floor", choices=PRIVACY_MODES, metavar="MODE", help=t("cli.help.privacy_floor", lang))
    p.add_argument("--no-login", action="store_true", help=t("cli.help.no_login", lang))
    p.add_argument("--allowed-host", action="append", default=[], metavar="NAME", help=t("cli.help.allowed_host", lang))


def login_accounts(auth_file: str | None, environ: Mapping[str, str] | None = None, lang: str = "en") -> dict[str, Any]:
    """Logins (user -> :class:`dashboard.security.Account`): from ``auth_file`` and from
    ANALYSER_USER/ANALYSER_PASSWORD, whose role is ANALYSER_ROLE (none: the default role).

    Raises
    ------
    dashboard.security.LoginError
        For an unreadable login file, a role that is not one, or half a login in the environment.

    Examples
    --------
    >>> sorted(login_accounts(None, {"ANALYSER_USER": "ann", "ANALYSER_PASSWORD": "x" * 12}))
    ['ann']
    >>> login_accounts(None, {"ANALYSER_USER": "ann"})
    Traceback (most recent call last):
    ...
    dashboard.security.LoginError: set both ANALYSER_USER and ANALYSER_PASSWORD, or neither
    """
    from dashboard.security import Account, LoginError, check_role, read_auth_file

    environ = os.environ if environ is None else environ
    accounts = read_auth_file(auth_file) if auth_file else {}
    user, password = environ.get("ANALYSER_USER", ""), environ.get("ANALYSER_PASSWORD", "")
    role = environ.get("ANALYSER_ROLE", "")
    if bool(user) != bool(password):
        raise LoginError(t("cli.error.half_login", lang))
    if role and not user:
        raise LoginError(t("cli.error.role_without_user", lang))
    if user:
        accounts[user] = Account(password, check_role(role, "ANALYSER_ROLE") if role else None)
    return accounts


def serve_from_args(args: argparse.Namespace, lang: str = "en") -> None:
    """Start the dashboard as the options of :func:`add_serve_options` say (blocks until stopped).

    Raises
    ------
    ServeSetupError
        When the configuration cannot be served: a port out of range, a login file or
        environment login that cannot be used, or what :func:`dashboard.server.serve` refuses
        before it starts (another address without a login, a short password, an unknown
        privacy floor, an upload limit or allowed host that is not one).
    """
    import dashboard.server as server
    from dashboard.security import LoginError

    if not 0 <= args.port <= 65535:
        raise ServeSetupError(t("cli.error.port", lang))
    try:
        accounts = login_accounts(args.auth_file, lang=lang)
    except LoginError as exc:
        raise ServeSetupError(str(exc)) from None
    started: list[tuple[Any, dict[str, Any]]] = []
    try:  # serve() checks everything before it runs the server; the run itself comes after
        server.serve(
            args.data_dir, host=args.host, port=args.port, users={u: a.password for u, a in accounts.items()},
            roles={u: a.role for u, a in accounts.items() if a.role}, privacy_floor=args.privacy_floor,
            no_login=args.no_login, max_upload_mb=args.max_upload_mb, allowed_hosts=args.allowed_host,
            run=lambda app, **where: started.append((app, where)),
        )  # fmt: skip
    except ValueError as exc:  # serve() documents ValueError for each setting it refuses
        raise ServeSetupError(str(exc)) from None
    for app, where in started:
        server.run_app(app, **where)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m dashboard [options]``: the same as ``analyser serve``; returns the exit code."""
    lang = default_language()
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=t("cli.serve.description", lang))
    add_serve_options(parser, lang)
    try:
        args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 on --help
        return int(exc.code or 0)
    try:
        serve_from_args(args, lang)
    except ServeSetupError as exc:
        print(t("cli.error.line", lang, command=parser.prog, message=exc), file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK
