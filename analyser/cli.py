"""Command line: ``analyser validate | report | trends | whatif | sample | serve``.

Exit codes: 0 success, 1 invalid input (the message names file, line and column),
2 usage error. Errors go to standard error, never as a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from analyser import __version__
from analyser.roster import Problem, RosterError

__all__ = ["main", "build_parser", "EXIT_OK", "EXIT_INVALID_INPUT", "EXIT_USAGE"]

EXIT_OK, EXIT_INVALID_INPUT, EXIT_USAGE = 0, 1, 2

#: Default of ``report --person-level-max-pairs`` (analysis.PERSON_LEVEL_MAX_PAIRS, the 4 GB memory budget; not
#: imported, so ``analyser --help`` stays fast).
PERSON_LEVEL_MAX_PAIRS = 12_918_456  # (4 GiB − 400 MiB) / 300 B per pair
#: Languages of ``report --lang`` (analyser.report.REPORT_LANGUAGES, not imported for the same reason).
REPORT_LANGUAGES = ("en", "sv")
#: Default of ``--min-silo-projects`` (analysis.MIN_SILO_PROJECTS, not imported for the same reason).
MIN_SILO_PROJECTS = 3


class _UsageError(Exception):
    """A command line that cannot be carried out as written."""


class Progress:
    """Prints each analysis step to stderr, with its duration when it took over a second."""

    def __init__(self, *, quiet: bool = False, stream=None):
        self.quiet, self.stream = quiet, stream or sys.stderr
        self._name: str | None = None
        self._start = 0.0

    def __call__(self, name: str) -> None:
        self.done()
        self._name, self._start = name, time.perf_counter()
        if not self.quiet:
            print(f"… {name}", file=self.stream, flush=True)

    def done(self) -> None:
        elapsed = time.perf_counter() - self._start
        if self._name and not self.quiet and elapsed >= 1.0:
            print(f"  {self._name}: {elapsed:.1f} s", file=self.stream, flush=True)
        self._name = None


def _roster_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("roster", help="roster file (.csv with , ; or tab, or .xlsx)")
    p.add_argument(
        "--columns",
        metavar="MAP",
        help="map file headers to roster columns, e.g. project=Projekt,person=Namn,unit=Enhet",
    )
    p.add_argument(
        "--max-project-size",
        type=int,
        metavar="M",
        help="projects with more members create no person ties (default: keep all; larger than "
        "100 members are flagged)",
    )
    p.add_argument(
        "--max-file-mb",
        type=float,
        metavar="MB",
        help="refuse roster files larger than this many megabytes (default 50)",
    )


def _analysis_options(p: argparse.ArgumentParser, *, seed: bool = True, verdicts: bool = True) -> None:
    """The analysis options of ``report``, ``trends`` and ``whatif`` (which has no seed and no
    silo verdicts)."""
    p.add_argument("--level", type=int, metavar="N", help="unit hierarchy level (1 = top; default: as written)")
    p.add_argument("--privacy", choices=("names", "pseudonyms", "aggregate"), default="names",
                   help="names (default), pseudonyms (stable codes) or aggregate (no person-level output)")
    p.add_argument("--min-group-size", type=int, default=5, metavar="K",
                   help="units with fewer people get no silo verdict (too little data); with pseudonyms/aggregate "
                   "their figures are also withheld (default 5)")
    if verdicts:
        p.add_argument("--min-silo-projects", type=int, default=MIN_SILO_PROJECTS, metavar="N",
                       help="units whose members are in fewer projects with two or more people get no silo "
                       f"verdict (too little data; default {MIN_SILO_PROJECTS})")
    if seed:
        p.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the random steps (default 0)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="analyser",
        description="Find silos and bridges in project rosters (one row per project membership).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    v = sub.add_parser("validate", help="check a roster file and list its problems",
                       description="Check a roster file. Exit 0 when usable (warnings printed), 1 when not.")
    _roster_options(v)
    v.set_defaults(run=_validate)

    r = sub.add_parser("report", help="write the silo report of a roster",
                       description="Analyse a roster and write the silo report. The suffix of --out picks "
                       "the format: .html, .pdf, .xlsx, .json, or a directory for CSV files. With --unit, "
                       "--out gets the one-page dialogue sheet of that unit instead; --per-unit writes a "
                       "sheet for every unit.")
    _roster_options(r)
    r.add_argument("--out", metavar="PATH", help="report file (.html .pdf .xlsx .json) or CSV folder; with --unit "
                   "the sheet (.pdf or .html). Required unless --per-unit is given")
    r.add_argument("--unit", metavar="NAME",
                   help="write the one-page dialogue sheet of this unit (its name at the chosen --level) to --out")
    r.add_argument("--per-unit", metavar="DIR",
                   help="write a dialogue sheet for every unit into DIR, with an index.html linking them")
    r.add_argument("--sheet-format", choices=("html", "pdf"), default="html",
                   help="format of the --per-unit sheets: html (default) or pdf (needs Chromium)")
    _analysis_options(r)
    r.add_argument("--person-level-max-pairs", type=int, default=PERSON_LEVEL_MAX_PAIRS, metavar="N",
                   help="above this many person pairs made by projects (Σ C(size, 2)) only unit-level figures "
                   f"are computed and the skipped ones listed (default {PERSON_LEVEL_MAX_PAIRS:,}; 0 = never)")
    r.add_argument("--trend-period", choices=("month", "quarter", "half", "year", "none"), default="year",
                   help="when the roster has dates, the HTML and PDF reports add a 'Change over time' section "
                   "by this period (default year; none leaves it out)")
    r.add_argument("--lang", choices=REPORT_LANGUAGES, default="en",
                   help="language of the HTML and PDF reports: en (default) or sv (Swedish); the tabular "
                   "formats keep the contract's English field names")
    r.set_defaults(run=_report)

    t = sub.add_parser("trends", help="analyse each period and report what changed",
                       description="Analyse the roster period by period (memberships count in every period "
                       "they overlap; undated ones in every period) and write per-period figures and the "
                       "changes between consecutive periods as JSON.")
    _roster_options(t)
    t.add_argument("--period", choices=("month", "quarter", "half", "year"), default="quarter",
                   help="period length (default quarter)")
    _analysis_options(t)
    t.add_argument("--out", required=True, metavar="FILE.json", help="JSON file to write")
    t.set_defaults(run=_trends)

    w = sub.add_parser("whatif", help="show how planned projects, or people leaving, would change the figures",
                       description="Add planned projects (a CSV or JSON plan: named people and/or a number "
                       "of members per unit) to a copy of the roster, or take people out of it (--leave), and "
                       "write the figures before and after as JSON. Nothing is stored.")
    _roster_options(w)
    w.add_argument("plan", nargs="?", help="plan file (.csv: project,person or project,unit,count rows; .json)")
    w.add_argument("--leave", metavar="PEOPLE",
                   help="people who leave: a comma-separated list, or a file with one name per line; their "
                   "projects keep the other members")
    _analysis_options(w, seed=False, verdicts=False)
    w.add_argument("--out", required=True, metavar="FILE.json", help="JSON file to write")
    w.set_defaults(run=_whatif)

    k = sub.add_parser("keyplayers", help="find the people whose departure would cut the most cross-unit ties",
                       description="Find, one person at a time, the set of K people whose departure removes the "
                       "most ties between units (greedy key-player search), with the loss each adds. JSON.")
    _roster_options(k)
    k.add_argument("--k", type=int, default=5, metavar="K", help="largest set size (default 5)")
    _analysis_options(k, seed=False, verdicts=False)
    k.add_argument("--out", required=True, metavar="FILE.json", help="JSON file to write")
    k.set_defaults(run=_keyplayers)

    s = sub.add_parser("sample", help="write a realistic synthetic roster",
                       description="Write a synthetic municipality roster (2-level units, dates, roles).")
    s.add_argument("--people", type=int, default=600, metavar="N")
    s.add_argument("--projects", type=int, metavar="P", help="number of projects (default: people / 5)")
    s.add_argument("--seed", type=int, default=42, metavar="S")
    s.add_argument("--out", required=True, metavar="FILE")
    s.set_defaults(run=_sample)

    d = sub.add_parser("serve", help="start the dashboard in a local web server",
                       description="Start the collaboration dashboard (open the printed address in a browser). "
                       "Uploaded datasets are kept in --data-dir; an empty folder starts with the sample. "
                       "It listens on this machine only (127.0.0.1); another --host needs a login: "
                       "ANALYSER_USER and ANALYSER_PASSWORD in the environment, or --auth-file, "
                       "or an explicit --no-login. A login's role (analyst: may see names; viewer, the "
                       "default: pseudonyms or aggregate only) and --privacy-floor decide what each "
                       "user sees, on the server.")
    d.add_argument("--data-dir", default=".analyser-data", metavar="D", help="where datasets are kept (default .analyser-data)")
    d.add_argument("--host", default="127.0.0.1", metavar="H",
                   help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0: every address)")
    d.add_argument("--port", type=int, default=8050, metavar="P", help="port (default 8050)")
    d.add_argument("--max-upload-mb", type=float, default=50, metavar="MB",
                   help="refuse uploaded roster files larger than this many megabytes (default 50)")
    d.add_argument("--auth-file", metavar="PATH",
                   help="ask for a login: a file of user:password or user:password:role lines (role analyst: may "
                   "see names; viewer, the default: pseudonyms or aggregate only); the password may be a hash "
                   "from `python -m dashboard.security USER` (scrypt:... or pbkdf2:...). The environment login "
                   "ANALYSER_USER/ANALYSER_PASSWORD takes its role from ANALYSER_ROLE")
    d.add_argument("--privacy-floor", choices=("names", "pseudonyms", "aggregate"), metavar="MODE",
                   help="the least private mode anyone is shown: names, pseudonyms or aggregate (default: names "
                   "on this machine or behind a login, where roles decide; pseudonyms with --no-login on "
                   "another address)")
    d.add_argument("--no-login", action="store_true",
                   help="serve on a non-local --host without a login (trusted networks only; prints a warning)")
    d.add_argument("--allowed-host", action="append", default=[], metavar="NAME",
                   help="also answer requests addressed to NAME (repeatable): this machine's name, or a reverse "
                   "proxy's; requests for other names get 400")
    d.set_defaults(run=_serve)
    return parser


def _load(args: argparse.Namespace):
    from analyser.ingest import MAX_FILE_BYTES, parse_column_mapping, read_roster

    columns = parse_column_mapping(args.columns) if args.columns else None
    if args.max_project_size is not None and args.max_project_size < 2:
        raise _UsageError("--max-project-size must be 2 or more")
    if not Path(args.roster).is_file():
        raise RosterError(Problem(args.roster, None, None, "file not found", "error"))
    max_mb = getattr(args, "max_file_mb", None)
    if max_mb is not None and not 0 < max_mb < 1e6:  # also refuses nan and inf
        raise _UsageError("--max-file-mb must be a number of megabytes above 0")
    max_bytes = MAX_FILE_BYTES if max_mb is None else int(max_mb * 1024 * 1024)
    return read_roster(args.roster, columns=columns, max_project_size=args.max_project_size or 100, max_bytes=max_bytes)


def _print_problems(problems: Sequence[Problem]) -> None:
    for p in problems:
        print(f"{p.severity}: {p}", file=sys.stderr)


def _validate(args: argparse.Namespace) -> int:
    roster = _load(args)
    _print_problems(roster.problems)
    m = roster.memberships
    print(
        f"{roster.source}: usable: {m.height} memberships, {m['person'].n_unique()} people, "
        f"{m['project'].n_unique()} projects, {m['unit'].n_unique()} units "
        f"({roster.levels} hierarchy level{'s' if roster.levels > 1 else ''})"
    )
    return EXIT_OK


def _check_options(args: argparse.Namespace) -> None:
    """Refuse analysis options no analysis can use."""
    if args.level is not None and args.level < 1:
        raise _UsageError("--level must be 1 or more")
    if args.min_group_size < 1:
        raise _UsageError("--min-group-size must be 1 or more")
    if getattr(args, "min_silo_projects", 1) < 1:
        raise _UsageError("--min-silo-projects must be 1 or more")


def _verdict_summary(summary: dict) -> str:
    """The silo verdicts in a few words, for the line ``report`` prints.

    >>> _verdict_summary({"significant_silos": 1, "units_judged": 4})
    '1 significant silo of 4 units judged'
    >>> _verdict_summary({"significant_silos": 0, "units_judged": 1}), _verdict_summary({"significant_silos": None})
    ('0 significant silos of 1 unit judged', 'significance not tested')
    """
    k, j = summary.get("significant_silos"), summary.get("units_judged")
    if k is None or j is None:
        return "significance not tested"
    return f"{k} significant silo{'' if k == 1 else 's'} of {j} unit{'' if j == 1 else 's'} judged"


def _check_sheet_options(args: argparse.Namespace) -> None:
    """Refuse combinations of --out, --unit and --per-unit that say two things at once."""
    if args.per_unit is not None:
        if args.unit is not None or args.out is not None:
            raise _UsageError("--per-unit DIR writes every unit's sheet; give neither --out nor --unit with it")
        return
    if args.out is None:
        raise _UsageError("--out is required (or --per-unit DIR)")
    if args.unit is not None and Path(args.out).suffix.lower() not in (".pdf", ".html"):
        raise _UsageError(f"a unit sheet is written as .pdf or .html, got --out {args.out}")


def _unit_of_roster(roster, args: argparse.Namespace) -> int | None:
    """Check --unit against the roster's units at --level before the analysis runs: a typo
    is reported in a second, naming the closest unit (exit 1), not after the whole analysis."""
    from analyser.report.unit_sheet import UnknownUnitError, find_unit

    units = roster.at_level(args.level)["unit"].unique().sort().to_list()
    try:
        find_unit(units, args.unit)
    except UnknownUnitError as exc:
        print(f"analyser report: error: {exc.args[0]}", file=sys.stderr)
        return EXIT_INVALID_INPUT
    return None


def _write_sheets(analysis, roster, args: argparse.Namespace, progress: Progress) -> str:
    """Write the --unit sheet or the --per-unit folder; return what the summary line says."""
    from analyser.report.unit_sheet import write_unit_sheet, write_unit_sheets

    trends = _sheet_trends(roster, args, progress)
    memberships = roster.at_level(args.level)
    if args.per_unit is not None:
        progress(f"writing a dialogue sheet per unit ({args.sheet_format.upper()})")
        written = write_unit_sheets(analysis, args.per_unit, fmt=args.sheet_format, memberships=memberships,
                                    trends=trends, lang=args.lang)  # fmt: skip
        return f"wrote {len(written) - 1} dialogue sheets and {written[-1]}"
    progress("writing the dialogue sheet")
    out = write_unit_sheet(analysis, args.unit, args.out, memberships=memberships, trends=trends, lang=args.lang)
    return f"wrote {out}: dialogue sheet of {args.unit}"


def _report(args: argparse.Namespace) -> int:
    from analyser.analysis import analyse
    from analyser.report import write_report

    _check_options(args)
    _check_sheet_options(args)
    progress = Progress()
    progress("reading the roster")
    roster = _load(args)
    _print_problems(roster.problems)
    if args.unit is not None and (failed := _unit_of_roster(roster, args)) is not None:
        progress.done()
        return failed
    analysis = analyse(
        roster,
        level=args.level,
        privacy=args.privacy,
        min_group_size=args.min_group_size,
        max_project_size=args.max_project_size,
        seed=args.seed,
        min_silo_projects=args.min_silo_projects,
        progress=progress,
        person_level_max_pairs=args.person_level_max_pairs or None,
    )
    _print_skipped(analysis.meta.get("skipped") or [])
    if args.unit is not None or args.per_unit is not None:
        said = _write_sheets(analysis, roster, args, progress)
        progress.done()
        print(f"{said} ({_verdict_summary(analysis.summary)} in the organisation)")
        return EXIT_OK
    trends = _report_trends(roster, args, progress)
    progress("writing the report")
    out = write_report(analysis, args.out, trends=trends, lang=args.lang)
    progress.done()
    s = analysis.summary
    print(f"wrote {out}: {s['people']} people, {s['projects']} projects, {s['units']} units, {_verdict_summary(s)}")
    return EXIT_OK


def _print_skipped(skipped: Sequence[dict]) -> None:
    """Say which figures an analysis did not compute and why (never silently)."""
    for item in skipped:
        print(f"note: skipped {item['metric']}: {item['reason']}", file=sys.stderr)


def _report_trends(roster, args: argparse.Namespace, progress: Progress) -> dict | None:
    """The trends of a dated roster for the HTML and PDF report (None when not wanted or no dates)."""
    from analyser.periods import period_bounds

    if args.trend_period == "none" or Path(args.out).suffix.lower() not in (".html", ".pdf"):
        return None
    if not period_bounds(roster, args.trend_period):
        return None
    return _period_trends(roster, args, progress)


def _sheet_trends(roster, args: argparse.Namespace, progress: Progress) -> dict | None:
    """The periods behind a sheet's "Change since the previous period": ``None`` when the
    roster has no dates (the sheet says so), no periods with --trend-period none."""
    from analyser.periods import period_bounds

    if not roster.has_dates:
        return None
    if args.trend_period == "none" or not period_bounds(roster, args.trend_period):
        return {"meta": {"privacy": args.privacy}, "periods": []}  # same mode as the analysis, as required
    return _period_trends(roster, args, progress)


def _period_trends(roster, args: argparse.Namespace, progress: Progress) -> dict:
    from analyser.periods import trends_json

    progress(f"analysing each {args.trend_period}")
    return trends_json(roster, period=args.trend_period, level=args.level, privacy=args.privacy,
                       min_group_size=args.min_group_size, max_project_size=args.max_project_size, seed=args.seed,
                       min_silo_projects=args.min_silo_projects)


def _check_analysis_options(args: argparse.Namespace) -> None:
    _check_options(args)
    if Path(args.out).suffix.lower() != ".json":
        raise _UsageError(f"--out must be a .json file, got {args.out}")


def _write_json(data: dict, out: str) -> None:
    import json

    text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
    Path(out).write_text(text + "\n", encoding="utf-8")


def _trends(args: argparse.Namespace) -> int:
    from analyser.periods import trends_json

    _check_analysis_options(args)
    progress = Progress()
    progress("reading the roster")
    roster = _load(args)
    _print_problems(roster.problems)
    progress(f"analysing each {args.period}")
    data = trends_json(roster, period=args.period, level=args.level, privacy=args.privacy,
                       min_group_size=args.min_group_size, max_project_size=args.max_project_size, seed=args.seed,
                       min_silo_projects=args.min_silo_projects)
    _write_json(data, args.out)
    progress.done()
    moved = sum(m["significant"] for c in data["changes"] for m in c["ei_moves"])
    print(f"wrote {args.out}: {len(data['periods'])} period(s), {moved} significant E-I move(s)")
    return EXIT_OK


def _whatif(args: argparse.Namespace) -> int:
    from analyser.whatif import read_plan, whatif, whatif_json

    _check_analysis_options(args)
    if (args.plan is None) == (args.leave is None):
        raise _UsageError("give either a plan file or --leave PEOPLE")
    if args.leave is not None:
        return _departures(args)
    roster = _load(args)
    _print_problems(roster.problems)
    plans = read_plan(args.plan)
    result = whatif_json(whatif(roster, plans, level=args.level, privacy=args.privacy,
                                min_group_size=args.min_group_size, max_project_size=args.max_project_size))
    _write_json(result, args.out)
    change = result["change"]
    print(f"wrote {args.out}: {len(plans)} planned project(s); unit pairs covered "
          f"{change['unit_pairs_covered']:+d}, pairs hanging on one person {change['key_person_pairs']:+d}")
    return EXIT_OK


def _departures(args: argparse.Namespace) -> int:
    from analyser.departures import departures, read_people

    roster = _load(args)
    _print_problems(roster.problems)
    leaving = read_people(args.leave)
    result = departures(roster, leaving, level=args.level, max_project_size=args.max_project_size,
                        privacy=args.privacy, min_group_size=args.min_group_size)
    _write_json(_json_ready(result.as_json()), args.out)
    before, after = result.summary_before, result.summary_after
    print(f"wrote {args.out}: {len(leaving)} leaving; cross-unit ties {before['cross_unit_ties']:,} -> "
          f"{after['cross_unit_ties']:,}; unit pairs lost {result.unit_pairs_lost.height}, "
          f"weakened {result.unit_pairs_weakened.height}")
    return EXIT_OK


def _keyplayers(args: argparse.Namespace) -> int:
    from analyser.departures import key_players

    _check_analysis_options(args)
    if args.k < 1:
        raise _UsageError("--k must be 1 or more")
    roster = _load(args)
    _print_problems(roster.problems)
    sets = key_players(roster, args.k, level=args.level, max_project_size=args.max_project_size,
                       privacy=args.privacy, min_group_size=args.min_group_size)
    _write_json({"sets": sets, "method": "greedy, one person at a time, by cross-unit ties removed"}, args.out)
    last = sets[-1] if sets else {"k": 0, "cross_unit_ties_lost": 0, "unit_pairs_lost": 0}
    print(f"wrote {args.out}: {last['k']} people would take {last['cross_unit_ties_lost']:,} cross-unit ties "
          f"and cut {last['unit_pairs_lost']} unit pair(s) off")
    return EXIT_OK


def _json_ready(data):
    """NaN (no E-I) as null, as in every JSON the CLI writes."""
    import math

    if isinstance(data, dict):
        return {k: _json_ready(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_json_ready(v) for v in data]
    return None if isinstance(data, float) and not math.isfinite(data) else data


def _sample(args: argparse.Namespace) -> int:
    from analyser.sample import write_sample

    projects = args.projects if args.projects is not None else max(1, args.people // 5)
    if args.people < 1 or not 1 <= projects <= args.people:
        raise _UsageError("--people must be 1 or more and --projects between 1 and --people")
    frame = write_sample(args.out, people=args.people, projects=projects, seed=args.seed)
    print(f"wrote {args.out}: {frame.height} memberships")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from dashboard.server import serve  # Dash loads only for this command

    if not 0 <= args.port <= 65535:
        raise _UsageError("--port must be between 0 and 65535")
    accounts = _login_accounts(args)
    serve(args.data_dir, host=args.host, port=args.port, users={u: a.password for u, a in accounts.items()},
          roles={u: a.role for u, a in accounts.items() if a.role}, privacy_floor=args.privacy_floor,
          no_login=args.no_login, max_upload_mb=args.max_upload_mb, allowed_hosts=args.allowed_host)  # fmt: skip
    return EXIT_OK


def _login_accounts(args: argparse.Namespace) -> dict:
    """Logins (user -> ``dashboard.security.Account``): from --auth-file and from
    ANALYSER_USER/ANALYSER_PASSWORD, whose role is ANALYSER_ROLE (none: the default role)."""
    import os

    from dashboard.security import Account, check_role, read_auth_file

    accounts = read_auth_file(args.auth_file) if args.auth_file else {}
    user, password = os.environ.get("ANALYSER_USER", ""), os.environ.get("ANALYSER_PASSWORD", "")
    role = os.environ.get("ANALYSER_ROLE", "")
    if bool(user) != bool(password):
        raise _UsageError("set both ANALYSER_USER and ANALYSER_PASSWORD, or neither")
    if role and not user:
        raise _UsageError("ANALYSER_ROLE is the role of ANALYSER_USER: set ANALYSER_USER and ANALYSER_PASSWORD too")
    if user:
        accounts[user] = Account(password, check_role(role, "ANALYSER_ROLE") if role else None)
    return accounts


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 on --help
        return int(exc.code or 0)
    try:
        return args.run(args)
    except RosterError as exc:
        _print_problems(exc.problems)
        return EXIT_INVALID_INPUT
    except (_UsageError, ValueError) as exc:
        print(f"analyser {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"analyser {args.command}: error: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return EXIT_INVALID_INPUT
    except RuntimeError as exc:
        from analyser.report import PdfExportError  # already loaded: only a report gets here

        if not isinstance(exc, PdfExportError):
            raise
        print(f"analyser {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_INVALID_INPUT


if __name__ == "__main__":
    sys.exit(main())
