"""Command line: ``analyser validate | report | trends | whatif | keyplayers | sample | serve``.

Exit codes: 0 success, 1 invalid input (the message names file, line and column),
2 usage error. Errors meant for the user go to standard error, never as a traceback; any
other exception is a bug and keeps its traceback.

Help, messages and errors are in the language of ``--lang``, else of the ``ANALYSER_LANG``
setting (:func:`analyser.i18n.default_language`), else English. Only human text changes with
the language: the files written (JSON, CSV, Excel) keep their English field names and values.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from analyser import __version__
from analyser.i18n import LANGUAGES, check_language, default_language, t
from analyser.privacy import PRIVACY_MODES
from analyser.roster import Amount, InputError, Problem

__all__ = ["main", "build_parser", "EXIT_OK", "EXIT_INVALID_INPUT", "EXIT_USAGE"]

EXIT_OK, EXIT_INVALID_INPUT, EXIT_USAGE = 0, 1, 2

#: Default of ``report --person-level-max-pairs`` (analysis.PERSON_LEVEL_MAX_PAIRS, the 4 GB memory budget; not
#: imported, so ``analyser --help`` stays fast).
PERSON_LEVEL_MAX_PAIRS = 12_918_456  # (4 GiB − 400 MiB) / 300 B per pair
#: Languages of ``report --lang`` (analyser.report.REPORT_LANGUAGES, not imported for the same reason).
REPORT_LANGUAGES = LANGUAGES
#: Default of ``--min-silo-projects`` (analysis.MIN_SILO_PROJECTS, not imported for the same reason).
MIN_SILO_PROJECTS = 3
#: Least value of each whole-number option (by its ``dest``), checked once for every verb.
AT_LEAST = {"level": 1, "min_group_size": 1, "min_silo_projects": 1, "k": 1, "max_project_size": 2}


class _UsageError(Exception):
    """A command line that cannot be carried out as written; the message is in the reader's language."""


# -- language --------------------------------------------------------------------------------


def _language(argv: Sequence[str]) -> str:
    """The language asked for with ``--lang`` (before the parser exists, so that its help is in
    that language), else the ``ANALYSER_LANG`` setting.

    >>> _language(["report", "r.csv", "--lang", "sv"]), _language(["validate", "--lang=sv", "r.csv"])
    ('sv', 'sv')
    >>> _language(["validate", "r.csv", "--lang", "fi"]) == _language([])  # argparse will refuse 'fi'
    True
    """
    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else arg.removeprefix("--lang=")
        if (arg == "--lang" or arg.startswith("--lang=")) and value in LANGUAGES:
            return value
    return default_language()


#: argparse's own words (its gettext ids in Python 3.10-3.12) -> our keys.
_ARGPARSE_WORDS = {
    "usage: ": "cli.argparse.usage",
    "positional arguments": "cli.argparse.positional",
    "options": "cli.argparse.options",
    "show this help message and exit": "cli.argparse.help",
    "%(prog)s: error: %(message)s\n": "cli.argparse.error",
    "the following arguments are required: %s": "cli.argparse.required",
    "unrecognized arguments: %s": "cli.argparse.unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.argparse.invalid_choice",
    "argument %(argument_name)s: %(message)s": "cli.argparse.argument",
    "expected one argument": "cli.argparse.expected_one",
    "invalid %(type)s value: %(value)r": "cli.argparse.invalid_value",
    "ambiguous option: %(option)s could match %(matches)s": "cli.argparse.ambiguous",
}


@contextmanager
def _argparse_words(lang: str) -> Iterator[None]:
    """argparse's own words (``usage:``, ``error:``, ``the following arguments are required``)
    in ``lang`` while the parser is built and used; others stay as argparse writes them."""
    if lang == LANGUAGES[0]:
        yield
        return
    english = argparse._  # type: ignore[attr-defined]  # argparse looks its words up through this name

    def words(text: str) -> str:
        return t(_ARGPARSE_WORDS[text], lang) if text in _ARGPARSE_WORDS else english(text)

    argparse._ = words  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = english  # type: ignore[attr-defined]


# -- progress --------------------------------------------------------------------------------

#: Steps the analysis reports (analyser.analysis) -> our keys, so they are shown in the reader's language.
_ANALYSIS_STEPS = {
    "building the collaboration graphs": "cli.step.graphs",
    "unit silo figures (unit level only: person ties counted in blocks)": "cli.step.unit_figures_blocks",
    "unit silo figures": "cli.step.unit_figures",
    "project figures": "cli.step.project_figures",
    "organisation structure": "cli.step.structure",
    "communities": "cli.step.communities",
    "person bridging figures": "cli.step.bridging",
}


class Progress:
    """Prints each analysis step to stderr in ``lang``, with its duration when it took over a second."""

    def __init__(self, lang: str = "en", *, quiet: bool = False, stream=None):
        self.lang, self.quiet, self.stream = lang, quiet, stream or sys.stderr
        self._name: str | None = None
        self._start = 0.0

    def __call__(self, name: str) -> None:
        self.done()
        step = _ANALYSIS_STEPS.get(name)
        self._name, self._start = (t(step, self.lang) if step else name), time.perf_counter()
        if not self.quiet:
            print(f"… {self._name}", file=self.stream, flush=True)

    def done(self) -> None:
        elapsed = time.perf_counter() - self._start
        if self._name and not self.quiet and elapsed >= 1.0:
            print(f"  {self._name}: {_seconds(elapsed, self.lang)}", file=self.stream, flush=True)
        self._name = None


def _seconds(elapsed: float, lang: str) -> str:
    return t("cli.seconds", lang, s=_number(elapsed, lang, ".1f"))


# -- the parser ------------------------------------------------------------------------------


def _options(
    p: argparse.ArgumentParser, lang: str, *, analysis: bool = True, verdicts: bool = True, seed: bool = True
) -> None:
    """The options verbs share: the roster and how it is read; with ``analysis`` the analysis
    options (``verdicts``: the silo-verdict minimum, ``seed``: the random seed); and ``--lang``."""
    p.add_argument("roster", help=t("cli.help.roster", lang))
    p.add_argument("--columns", metavar="MAP", help=t("cli.help.columns", lang))
    p.add_argument("--max-project-size", type=int, metavar="M", help=t("cli.help.max_project_size", lang))
    p.add_argument("--max-file-mb", type=float, metavar="MB", help=t("cli.help.max_file_mb", lang))
    p.add_argument("--lang", choices=LANGUAGES, help=t("cli.help.lang", lang))
    if not analysis:
        return
    p.add_argument("--level", type=int, metavar="N", help=t("cli.help.level", lang))
    p.add_argument("--privacy", choices=PRIVACY_MODES, default=PRIVACY_MODES[0], help=t("cli.help.privacy", lang))
    p.add_argument("--min-group-size", type=int, default=5, metavar="K", help=t("cli.help.min_group_size", lang))
    if verdicts:
        p.add_argument("--min-silo-projects", type=int, default=MIN_SILO_PROJECTS, metavar="N",
                       help=t("cli.help.min_silo_projects", lang, n=MIN_SILO_PROJECTS))  # fmt: skip
    if seed:
        p.add_argument("--seed", type=int, default=0, metavar="S", help=t("cli.help.seed", lang))


def _json_out(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument("--out", required=True, metavar="FILE.json", help=t("cli.help.out_json", lang))
    p.set_defaults(json_out=True)


def build_parser(lang: str | None = None) -> argparse.ArgumentParser:
    """The parser of every verb, its help in ``lang`` (default: :func:`~analyser.i18n.default_language`)."""
    from dashboard.cli import add_serve_options  # light: the server itself loads only when it runs

    lang = check_language(lang or default_language())
    with _argparse_words(lang):
        parser = argparse.ArgumentParser(prog="analyser", description=t("cli.description", lang))
        parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                            help=t("cli.help.version", lang))  # fmt: skip
        sub = parser.add_subparsers(dest="command", metavar=t("cli.command_metavar", lang), required=True)

        v = sub.add_parser("validate", help=t("cli.validate.help", lang), description=t("cli.validate.description", lang))
        _options(v, lang, analysis=False)
        v.set_defaults(run=_validate)

        r = sub.add_parser("report", help=t("cli.report.help", lang), description=t("cli.report.description", lang))
        _options(r, lang)
        r.add_argument("--out", metavar="PATH", help=t("cli.help.report_out", lang))
        r.add_argument("--unit", metavar="NAME", help=t("cli.help.unit", lang))
        r.add_argument("--per-unit", metavar="DIR", help=t("cli.help.per_unit", lang))
        r.add_argument("--sheet-format", choices=("html", "pdf"), default="html", help=t("cli.help.sheet_format", lang))
        r.add_argument("--person-level-max-pairs", type=int, default=PERSON_LEVEL_MAX_PAIRS, metavar="N",
                       help=t("cli.help.person_level_max_pairs", lang, n=_number(PERSON_LEVEL_MAX_PAIRS, lang, ",")))  # fmt: skip
        r.add_argument("--trend-period", choices=("month", "quarter", "half", "year", "none"), default="year",
                       help=t("cli.help.trend_period", lang))  # fmt: skip
        r.set_defaults(run=_report)

        tr = sub.add_parser("trends", help=t("cli.trends.help", lang), description=t("cli.trends.description", lang))
        _options(tr, lang)
        tr.add_argument("--period", choices=("month", "quarter", "half", "year"), default="quarter",
                        help=t("cli.help.period", lang))  # fmt: skip
        _json_out(tr, lang)
        tr.set_defaults(run=_trends)

        w = sub.add_parser("whatif", help=t("cli.whatif.help", lang), description=t("cli.whatif.description", lang))
        _options(w, lang, verdicts=False, seed=False)
        w.add_argument("plan", nargs="?", help=t("cli.help.plan", lang))
        w.add_argument("--leave", metavar="PEOPLE", help=t("cli.help.leave", lang))
        _json_out(w, lang)
        w.set_defaults(run=_whatif)

        k = sub.add_parser("keyplayers", help=t("cli.keyplayers.help", lang),
                           description=t("cli.keyplayers.description", lang))  # fmt: skip
        _options(k, lang, verdicts=False, seed=False)
        k.add_argument("--k", type=int, default=5, metavar="K", help=t("cli.help.k", lang))
        _json_out(k, lang)
        k.set_defaults(run=_keyplayers)

        s = sub.add_parser("sample", help=t("cli.sample.help", lang), description=t("cli.sample.description", lang))
        s.add_argument("--people", type=int, default=600, metavar="N", help=t("cli.help.people", lang))
        s.add_argument("--projects", type=int, metavar="P", help=t("cli.help.projects", lang))
        s.add_argument("--seed", type=int, default=42, metavar="S", help=t("cli.help.sample_seed", lang))
        s.add_argument("--out", required=True, metavar="FILE", help=t("cli.help.sample_out", lang))
        s.add_argument("--lang", choices=LANGUAGES, help=t("cli.help.lang", lang))
        s.set_defaults(run=_sample)

        d = sub.add_parser("serve", help=t("cli.serve.help", lang), description=t("cli.serve.description", lang))
        add_serve_options(d, lang)
        d.set_defaults(run=_serve)
    return parser


# -- checks (once, for every verb) -------------------------------------------------------------


def _check_options(args: argparse.Namespace) -> None:
    """Refuse option values no verb can use, before any file is read; ``--columns`` is parsed here."""
    from analyser.ingest import parse_column_mapping
    from analyser.ingest.headers import ColumnMappingError

    lang = args.lang
    for dest, least in AT_LEAST.items():
        value = getattr(args, dest, None)
        if value is not None and value < least:
            raise _UsageError(t("cli.error.at_least", lang, option="--" + dest.replace("_", "-"), n=least))
    max_mb = getattr(args, "max_file_mb", None)
    if max_mb is not None and not 0 < max_mb < 1e6:  # also refuses nan and inf
        raise _UsageError(t("cli.error.max_file_mb", lang))
    if getattr(args, "json_out", False) and Path(args.out).suffix.lower() != ".json":
        raise _UsageError(t("cli.error.out_json", lang, out=args.out))
    try:
        args.column_map = parse_column_mapping(args.columns) if getattr(args, "columns", None) else None
    except ColumnMappingError as exc:
        raise _UsageError(exc.phrase.text(lang)) from None


def _load(args: argparse.Namespace):
    from analyser.ingest import MAX_FILE_BYTES, read_roster

    if not Path(args.roster).is_file():
        raise InputError(Problem.of(args.roster, None, None, "datacheck.file_not_found", "error"))
    max_bytes = MAX_FILE_BYTES if args.max_file_mb is None else int(args.max_file_mb * 1024 * 1024)
    return read_roster(args.roster, columns=args.column_map, max_project_size=args.max_project_size or 100,
                       max_bytes=max_bytes)  # fmt: skip


def _print_problems(problems: Sequence[Problem], lang: str) -> None:
    """``severity: FILE:LINE: column: message`` per problem (in English exactly ``severity: str(problem)``)."""
    for p in problems:
        print(f"{t('cli.severity.' + p.severity, lang)}: {p.describe(lang)}", file=sys.stderr)


def _roster(args: argparse.Namespace, progress: Progress | None = None):
    """The roster of ``args``, its data check printed."""
    if progress is not None:
        progress(t("cli.step.reading", args.lang))
    roster = _load(args)
    _print_problems(roster.problems, args.lang)
    return roster


def _plural(key: str, n: int, lang: str, spec: str = "d") -> str:
    """The text ``key.one`` or ``key.other`` for the count ``n``: in English as the command line
    has always written it (``spec``, a Python format), else in the language's number style."""
    return t(f"{key}.{'one' if n == 1 else 'other'}", lang, n=Amount(n, spec).text(lang))


def _number(n: float, lang: str, spec: str = "d") -> str:
    return Amount(n, spec).text(lang)


# -- verbs -----------------------------------------------------------------------------------


def _validate(args: argparse.Namespace) -> int:
    roster = _roster(args)
    m, lang = roster.memberships, args.lang
    counts = {
        "memberships": _plural("cli.count.memberships", m.height, lang),
        "people": _plural("cli.count.people", m["person"].n_unique(), lang),
        "projects": _plural("cli.count.projects", m["project"].n_unique(), lang),
        "units": _plural("cli.count.units", m["unit"].n_unique(), lang),
        "levels": _plural("cli.count.levels", roster.levels, lang),
    }
    print(t("cli.validate.usable", lang, source=roster.source, **counts))
    return EXIT_OK


def _verdict_summary(summary: dict, lang: str = "en") -> str:
    """The silo verdicts in a few words, for the line ``report`` prints.

    >>> _verdict_summary({"significant_silos": 1, "units_judged": 4})
    '1 significant silo of 4 units judged'
    >>> _verdict_summary({"significant_silos": 0, "units_judged": 1}), _verdict_summary({"significant_silos": None})
    ('0 significant silos of 1 unit judged', 'significance not tested')
    >>> _verdict_summary({"significant_silos": 2, "units_judged": 8}, "sv")
    '2 signifikanta silor av 8 bedömda enheter'
    """
    k, j = summary.get("significant_silos"), summary.get("units_judged")
    if k is None or j is None:
        return t("cli.report.not_tested", lang)
    return t("cli.report.verdicts", lang, silos=_plural("cli.count.silos", k, lang),
             judged=_plural("cli.count.units_judged", j, lang))  # fmt: skip


def _check_report_options(args: argparse.Namespace) -> None:
    """Refuse combinations of --out, --unit and --per-unit that say two things at once, and an
    --out whose suffix names no format (before the analysis, not after it)."""
    lang = args.lang
    if args.per_unit is not None:
        if args.unit is not None or args.out is not None:
            raise _UsageError(t("cli.error.per_unit_alone", lang))
        return
    if args.out is None:
        raise _UsageError(t("cli.error.out_required", lang))
    suffix = Path(args.out).suffix.lower()
    if args.unit is not None:
        if suffix not in (".pdf", ".html"):
            raise _UsageError(t("cli.error.sheet_suffix", lang, out=args.out))
        return
    from analyser.report import FORMATS

    if not Path(args.out).is_dir() and suffix not in FORMATS:
        supported = ", ".join(s or t("cli.report.folder", lang) for s in FORMATS)
        raise _UsageError(t("cli.error.report_suffix", lang, out=args.out, suffix=Path(args.out).suffix,
                            supported=supported))  # fmt: skip


def _unit_of_roster(roster, args: argparse.Namespace) -> int | None:
    """Check --unit against the roster's units at --level before the analysis runs: a typo
    is reported in a second, naming the closest unit (exit 1), not after the whole analysis."""
    from analyser.report.unit_sheet import UnknownUnitError, find_unit

    units = roster.at_level(args.level)["unit"].unique().sort().to_list()
    try:
        find_unit(units, args.unit)
    except UnknownUnitError as exc:
        print(t("cli.error.line", args.lang, command="analyser report", message=exc.args[0]), file=sys.stderr)
        return EXIT_INVALID_INPUT
    return None


def _write_sheets(analysis, roster, args: argparse.Namespace, progress: Progress) -> str:
    """Write the --unit sheet or the --per-unit folder; return what the summary line says."""
    from analyser.report.unit_sheet import write_unit_sheet, write_unit_sheets

    lang = args.lang
    trends = _sheet_trends(roster, args, progress)
    memberships = roster.at_level(args.level)
    if args.per_unit is not None:
        progress(t("cli.step.sheets", lang, format=args.sheet_format.upper()))
        written = write_unit_sheets(analysis, args.per_unit, fmt=args.sheet_format, memberships=memberships,
                                    trends=trends, lang=lang)  # fmt: skip
        return t("cli.report.wrote_sheets", lang, sheets=_plural("cli.count.sheets", len(written) - 1, lang),
                 index=written[-1])  # fmt: skip
    progress(t("cli.step.sheet", lang))
    out = write_unit_sheet(analysis, args.unit, args.out, memberships=memberships, trends=trends, lang=lang)
    return t("cli.report.wrote_sheet", lang, out=out, unit=args.unit)


def _report(args: argparse.Namespace) -> int:
    from analyser.analysis import analyse
    from analyser.report import write_report

    _check_report_options(args)
    lang = args.lang
    progress = Progress(lang)
    roster = _roster(args, progress)
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
    _print_skipped(analysis.meta.get("skipped") or [], lang)
    if args.unit is not None or args.per_unit is not None:
        said = _write_sheets(analysis, roster, args, progress)
        progress.done()
        print(t("cli.report.sheets_done", lang, said=said, verdicts=_verdict_summary(analysis.summary, lang)))
        return EXIT_OK
    trends = _report_trends(roster, args, progress)
    progress(t("cli.step.report", lang))
    out = write_report(analysis, args.out, trends=trends, lang=lang)
    progress.done()
    s = analysis.summary
    print(t("cli.report.wrote", lang, out=out, people=_plural("cli.count.people", s["people"], lang),
            projects=_plural("cli.count.projects", s["projects"], lang),
            units=_plural("cli.count.units", s["units"], lang), verdicts=_verdict_summary(s, lang)))  # fmt: skip
    return EXIT_OK


def _print_skipped(skipped: Sequence[dict], lang: str) -> None:
    """Say which figures an analysis did not compute and why (never silently)."""
    for item in skipped:
        print(t("cli.report.skipped", lang, metric=item["metric"], reason=item["reason"]), file=sys.stderr)


def _report_trends(roster, args: argparse.Namespace, progress: Progress) -> dict | None:
    """The trends of a dated roster for the HTML and PDF report (None when not wanted or no dates)."""
    from analyser.periods import period_bounds

    if args.trend_period == "none" or Path(args.out).suffix.lower() not in (".html", ".pdf"):
        return None
    if not period_bounds(roster, args.trend_period):
        return None
    return _period_trends(roster, args, args.trend_period, progress)


def _sheet_trends(roster, args: argparse.Namespace, progress: Progress) -> dict | None:
    """The periods behind a sheet's "Change since the previous period": ``None`` when the
    roster has no dates (the sheet says so), no periods with --trend-period none."""
    from analyser.periods import period_bounds

    if not roster.has_dates:
        return None
    if args.trend_period == "none" or not period_bounds(roster, args.trend_period):
        return {"meta": {"privacy": args.privacy}, "periods": []}  # same mode as the analysis, as required
    return _period_trends(roster, args, args.trend_period, progress)


def _period_trends(roster, args: argparse.Namespace, period: str, progress: Progress) -> dict:
    from analyser.periods import trends_json

    progress(t(f"cli.step.periods.{period}", args.lang))
    return trends_json(roster, period=period, level=args.level, privacy=args.privacy,
                       min_group_size=args.min_group_size, max_project_size=args.max_project_size, seed=args.seed,
                       min_silo_projects=args.min_silo_projects)  # fmt: skip


def _write_json(data: dict, out: str) -> None:
    import json

    text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
    Path(out).write_text(text + "\n", encoding="utf-8")


def _trends(args: argparse.Namespace) -> int:
    lang = args.lang
    progress = Progress(lang)
    roster = _roster(args, progress)
    data = _period_trends(roster, args, args.period, progress)
    _write_json(data, args.out)
    progress.done()
    moved = sum(m["significant"] for c in data["changes"] for m in c["ei_moves"])
    print(t("cli.trends.wrote", lang, out=args.out, periods=_plural("cli.count.periods", len(data["periods"]), lang),
            moves=_plural("cli.count.moves", moved, lang)))  # fmt: skip
    return EXIT_OK


def _whatif(args: argparse.Namespace) -> int:
    from analyser.ingest.plan import read_plan_file
    from analyser.whatif import whatif, whatif_json

    lang = args.lang
    if (args.plan is None) == (args.leave is None):
        raise _UsageError(t("cli.error.plan_or_leave", lang))
    if args.leave is not None:
        return _departures(args)
    roster = _roster(args)
    plans, warnings = read_plan_file(args.plan)
    _print_problems(warnings, lang)
    result = whatif_json(whatif(roster, plans, level=args.level, privacy=args.privacy,
                                min_group_size=args.min_group_size, max_project_size=args.max_project_size))  # fmt: skip
    _write_json(result, args.out)
    change = result["change"]
    print(t("cli.whatif.wrote", lang, out=args.out, plans=_plural("cli.count.plans", len(plans), lang),
            covered=f"{change['unit_pairs_covered']:+d}", key_person=f"{change['key_person_pairs']:+d}"))  # fmt: skip
    return EXIT_OK


def _departures(args: argparse.Namespace) -> int:
    from analyser.departures import departures, read_people

    lang = args.lang
    roster = _roster(args)
    leaving = read_people(args.leave)
    result = departures(roster, leaving, level=args.level, max_project_size=args.max_project_size,
                        privacy=args.privacy, min_group_size=args.min_group_size)  # fmt: skip
    _write_json(_json_ready(result.as_json()), args.out)
    before, after = result.summary_before, result.summary_after
    print(t("cli.whatif.wrote_departures", lang, out=args.out, leaving=_number(len(leaving), lang),
            before=_number(before["cross_unit_ties"], lang, ","), after=_number(after["cross_unit_ties"], lang, ","),
            lost=_number(result.unit_pairs_lost.height, lang),
            weakened=_number(result.unit_pairs_weakened.height, lang)))  # fmt: skip
    return EXIT_OK


def _keyplayers(args: argparse.Namespace) -> int:
    from analyser.departures import key_players

    lang = args.lang
    roster = _roster(args)
    sets = key_players(roster, args.k, level=args.level, max_project_size=args.max_project_size,
                       privacy=args.privacy, min_group_size=args.min_group_size)  # fmt: skip
    _write_json({"sets": sets, "method": "greedy, one person at a time, by cross-unit ties removed"}, args.out)
    last = sets[-1] if sets else {"k": 0, "cross_unit_ties_lost": 0, "unit_pairs_lost": 0}
    print(t("cli.keyplayers.wrote", lang, out=args.out, people=_plural("cli.count.people", last["k"], lang),
            ties=_number(last["cross_unit_ties_lost"], lang, ","),
            pairs=_plural("cli.count.unit_pairs", last["unit_pairs_lost"], lang)))  # fmt: skip
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
        raise _UsageError(t("cli.error.sample_sizes", args.lang))
    frame = write_sample(args.out, people=args.people, projects=projects, seed=args.seed)
    memberships = _plural("cli.count.memberships", frame.height, args.lang)
    print(t("cli.sample.wrote", args.lang, out=args.out, memberships=memberships))
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from dashboard.cli import ServeSetupError, serve_from_args  # Dash loads only for this command

    try:
        serve_from_args(args, args.lang)
    except ServeSetupError as exc:
        raise _UsageError(str(exc)) from None
    return EXIT_OK


# -- main ------------------------------------------------------------------------------------


def _user_error(exc: RuntimeError) -> bool:
    """True for the runtime errors meant for the user: a PDF without Chromium, a store that
    cannot do what was asked. Only their modules raise them, so only loaded modules are asked."""
    report, store = sys.modules.get("analyser.report"), sys.modules.get("analyser.store")
    return (report is not None and isinstance(exc, report.PdfExportError)) or (
        store is not None and isinstance(exc, store.StoreError)
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _language(argv)
    parser = build_parser(lang)
    try:
        with _argparse_words(lang):
            args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 on --help
        return int(exc.code or 0)
    args.lang = args.lang if getattr(args, "lang", None) else lang
    try:
        _check_options(args)
        return args.run(args)
    except InputError as exc:
        _print_problems(exc.problems, args.lang)
        return EXIT_INVALID_INPUT
    except _UsageError as exc:
        _print_error(args, exc)
        return EXIT_USAGE
    except OSError as exc:
        _print_error(args, f"{exc.strerror or exc}: {exc.filename or ''}")
        return EXIT_INVALID_INPUT
    except RuntimeError as exc:
        if not _user_error(exc):
            raise
        # a PDF without Pango or Chrome (PdfUnavailable) says what to install, in the reader's language
        _print_error(args, exc.message(args.lang) if callable(getattr(exc, "message", None)) else exc)
        return EXIT_INVALID_INPUT


def _print_error(args: argparse.Namespace, message: object) -> None:
    """``analyser VERB: error: message`` on stderr, in the reader's language."""
    print(t("cli.error.line", args.lang, command=f"analyser {args.command}", message=message), file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
