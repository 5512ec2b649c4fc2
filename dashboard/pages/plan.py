"""Plan page: a planned project's effect on the silo figures (before/after), and suggested links."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import dash_bootstrap_components as dbc
import polars as pl
from dash import Dash, Input, Output, State, ctx, dcc, html
from dash.exceptions import PreventUpdate

from analyser.analysis import Analysis
from analyser.departures import Departures, departures, key_players
from analyser.network import CollaborationNetwork
from analyser.privacy import PrivacyPolicy
from analyser.roster import InputError, Roster
from analyser.suggestions import TIED_TO_BOTH, bridge_candidates, suggest_links
from analyser.whatif import NOTE_EXISTING, Plan, WhatIfResult, network_figures_of, whatif
from dashboard import ids, progress
from dashboard.components import ag_grid, column_defs, info, note, small_table
from dashboard.data import DashboardData
from dashboard.settings import Settings, parse_settings
from analyser.i18n import integer, number, percent, plural, t

__all__ = [
    "PATH",
    "TITLE_KEY",
    "PERSON_OPTION_LIMIT",
    "layout",
    "register_callbacks",
    "person_choices",
    "person_options",
    "unit_count_rows",
    "plan_form",
    "plan_from_inputs",
    "change_decimals",
    "change_texts",
    "unit_change_rows",
    "plan_view",
    "apply_view",
    "suggestion_reason",
    "candidate_reason",
    "suggestions_view",
]

PATH = "/plan"
TITLE_KEY = "nav_plan"
I = ids.Plan
#: The what-if of a large roster runs as a background job with this progress panel.
SCOPE = "whatif"
#: Most people the search offers at once; typing narrows the list.
PERSON_OPTION_LIMIT = 50
#: Organisation figures of the before/after table, in this order.
PLAN_FIGURES = ("ei_index", "modularity", "unit_pairs_covered", "unit_pair_coverage", "key_person_pairs")
SUGGESTED_PAIRS = 8
#: Most decimals a before/after figure gets so that a small change still shows; a change
#: smaller than that reads "no change".
MOST_DECIMALS = 6
CANDIDATES_PER_PAIR = 3


def layout(lang: str = "en", **_query: Any) -> html.Div:
    """The plan page in ``lang``."""
    return html.Div([
        html.H2(t("plan_title", lang)),
        html.P(t("plan_intro", lang), className="text-muted"),
        dbc.Row([
            dbc.Col([
                dbc.Label(t("plan_name", lang), html_for=I.NAME, className="small mb-0"),
                dbc.Input(id=I.NAME, type="text", value="", placeholder=t("plan_default_name", lang), maxLength=200),
                dbc.Label([t("plan_people", lang), *info("plan_people_tip", lang, "tip-plan-people")],
                          className="small mb-0 mt-3"),
                dcc.Dropdown(id=I.PEOPLE, options=[], value=[], multi=True, placeholder=t("plan_people_placeholder", lang)),
                html.Div(id=I.PEOPLE_NOTE, className="mt-2"),
                dbc.Button(t("plan_apply", lang), id=I.APPLY, color="primary", className="mt-3"),
            ], lg=5, className="mb-3"),
            dbc.Col([
                dbc.Label([t("plan_counts", lang), *info("plan_counts_tip", lang, "tip-plan-counts")], className="small mb-0"),
                ag_grid(I.COUNTS, lang, height=300,
                        options={"singleClickEdit": True, "stopEditingWhenCellsLoseFocus": True}),
            ], lg=7, className="mb-3"),
        ]),
        progress.panel(SCOPE, lang),
        dcc.Loading(html.Div(id=I.RESULT, children=note(t("plan_empty", lang)))),
        html.H3(t("suggestions_title", lang), className="mt-4"),
        html.P(t("suggestions_intro", lang), className="text-muted"),
        dcc.Loading(html.Div(id=I.SUGGESTIONS)),
        html.H3(t("departures_title", lang), className="mt-4"),
        html.P(t("departures_intro", lang), className="text-muted"),
        dbc.Label(t("departures_people", lang), html_for=I.LEAVE, className="small mb-0"),
        dcc.Dropdown(id=I.LEAVE, options=[], value=[], multi=True, placeholder=t("plan_people_placeholder", lang)),
        dbc.Button(t("departures_apply", lang), id=I.LEAVE_APPLY, color="primary", className="mt-3 me-2"),
        dbc.Button(t("keyplayers_apply", lang), id=I.KEYPLAYERS, color="secondary", outline=True, className="mt-3"),
        dcc.Loading(html.Div(id=I.LEAVE_RESULT, children=note(t("departures_empty", lang)), className="mt-3")),
        dcc.Loading(html.Div(id=I.KEYPLAYERS_RESULT, className="mt-3")),
    ])  # fmt: skip


# -- the plan form ------------------------------------------------------------------------


def _people(roster: Roster) -> pl.DataFrame:
    """Each person once, with their roster unit, sorted by name."""
    return roster.memberships.select("person", "unit").unique(subset="person", keep="first").sort("person")


def person_choices(roster: Roster, privacy: str, salt: bytes) -> pl.DataFrame:
    """Every person the search can offer, in offer order: ``label``, ``value`` and ``key``
    (the label in any case, for matching).

    Labels are "name (unit)" with names; with pseudonyms the value and label are the code
    (sorted), so no name reaches the browser; aggregate mode offers nobody. At 100,000 people
    this takes about a second with pseudonyms, so the page keeps it per dataset and mode.

    >>> person_choices(Roster.from_rows([("P1", "Bo", "B"), ("P1", "Ann", "A")]), "names", b"").rows()
    [('Ann (A)', 'Ann', 'ann (a)'), ('Bo (B)', 'Bo', 'bo (b)')]
    """
    schema = {"label": pl.String, "value": pl.String, "key": pl.String}
    policy = PrivacyPolicy(privacy, salt=salt)
    if not policy.shows_people:
        return pl.DataFrame(schema=schema)
    people = _people(roster)
    if not policy.shows_names:
        labels = sorted(policy.people(people["person"]))
        values = labels
    else:
        labels = [f"{p} ({u})" for p, u in people.iter_rows()]
        values = people["person"].to_list()
    return pl.DataFrame({"label": labels, "value": values, "key": [x.casefold() for x in labels]}, schema=schema)


def person_options(
    roster: Roster | None,
    privacy: str,
    salt: bytes,
    search: str | None,
    selected: Sequence[str] | None,
    *,
    limit: int = PERSON_OPTION_LIMIT,
    choices: pl.DataFrame | None = None,
) -> list[dict]:
    """People the search offers: those whose label holds ``search`` (any case), at most
    ``limit``, plus the ones already chosen.

    Labels are "name (unit)" with names; with pseudonyms the value and label are the code,
    so no name reaches the browser; aggregate mode offers nobody. ``choices`` is
    :func:`person_choices` of the same roster and mode when the caller has it cached.

    Examples
    --------
    >>> r = Roster.from_rows([("P1", "Ann Ek", "A"), ("P1", "Bo Ek", "B"), ("P2", "Cia Lund", "A")])
    >>> [o["value"] for o in person_options(r, "names", b"", "ek", None)]
    ['Ann Ek', 'Bo Ek']
    >>> person_options(r, "names", b"", "lund", ["Ann Ek"])[0]
    {'label': 'Ann Ek (A)', 'value': 'Ann Ek'}
    >>> person_options(r, "aggregate", b"", "", None)
    []
    """
    if roster is None or privacy == "aggregate":
        return []
    choices = choices if choices is not None else person_choices(roster, privacy, salt)
    chosen = list(dict.fromkeys(str(v) for v in selected or ()))
    is_chosen = pl.col("value").is_in(pl.Series(chosen, dtype=pl.String).implode())
    needle = (search or "").strip().casefold()
    rest = choices.filter(~is_chosen)
    if needle:
        rest = rest.filter(pl.col("key").str.contains(needle, literal=True))
    found = pl.concat([choices.filter(is_chosen), rest.head(limit)])
    return [{"label": label, "value": value} for label, value in found.select("label", "value").iter_rows()]


def unit_count_rows(roster: Roster | None, level: int) -> list[dict]:
    """One row per unit at ``level`` with a planned count of 0 (the editable grid).

    >>> unit_count_rows(Roster.from_rows([("P1", "ann", "A/x"), ("P1", "bob", "B/y")]), 1)
    [{'unit': 'A', 'count': 0}, {'unit': 'B', 'count': 0}]
    """
    if roster is None:
        return []
    units = roster.at_level(level)["unit"].unique().sort().to_list()
    return [{"unit": u, "count": 0} for u in units]


def _count(value: object) -> int:
    try:
        return max(0, int(float(value)))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0


def plan_from_inputs(
    name: str | None,
    people: Sequence[str] | None,
    rows: Sequence[Mapping[str, Any]] | None,
    *,
    roster: Roster,
    privacy: str,
    salt: bytes,
    lang: str = "en",
) -> Plan | None:
    """The plan the form describes, or ``None`` when it names nobody and counts nobody.

    Codes chosen in pseudonym mode are turned back into the roster's people here, on the
    server; aggregate mode takes counts only. Counts that are not whole numbers above 0
    are ignored.

    Examples
    --------
    >>> r = Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B")])
    >>> plan_from_inputs("", ["ann"], [{"unit": "B", "count": "2"}, {"unit": "A", "count": 0}],
    ...                  roster=r, privacy="names", salt=b"")
    Plan(name='Planned project', people=('ann',), units={'B': 2}, source='<plan>')
    >>> plan_from_inputs("X", [], [], roster=r, privacy="names", salt=b"") is None
    True
    """
    policy = PrivacyPolicy(privacy, salt=salt)
    chosen = list(people or []) if policy.shows_people else []
    if policy.shows_people and not policy.shows_names:
        by_code = policy.names_by_shown(_people(roster)["person"])
        chosen = [by_code[c] for c in chosen if c in by_code]
    units = {str(r["unit"]): _count(r.get("count")) for r in rows or [] if r.get("unit") is not None}
    units = {u: n for u, n in units.items() if n > 0}
    if not chosen and not units:
        return None
    return Plan((name or "").strip() or t("plan_default_name", lang), tuple(chosen), units)


def plan_form(roster: Roster | None, settings: Settings, lang: str) -> tuple[list[dict], list[dict], bool, list, list]:
    """Count grid rows and columns, whether people can be named, and the note about it."""
    rows = unit_count_rows(roster, settings.level)
    defs = column_defs(pl.DataFrame({"unit": ["x"], "count": [0]}), ["unit", "count"], lang)
    for d in defs:
        d["filter"] = d["field"] == "unit"
        if d["field"] == "count":
            d.update(editable=True, cellEditor="agNumberCellEditor", cellEditorParams={"min": 0, "precision": 0},
                     maxWidth=140, cellClass="plan-count")  # fmt: skip
    aggregate = settings.privacy == "aggregate"
    return rows, defs, aggregate, [], [note(t("plan_people_aggregate", lang), "info")] if aggregate else []


# -- before and after -------------------------------------------------------------------------


def change_decimals(
    change: float | None, base: int, most: int = MOST_DECIMALS, *, ends: tuple[Any, Any] = (None, None)
) -> int | None:
    """Fewest decimals, at least ``base``, at which ``change`` does not round to zero and the
    two ``ends`` (before, after), when given, read differently.

    ``None`` when the change rounds to zero even at ``most`` decimals (nil to the reader);
    ``base`` when there is no change to show.

    >>> change_decimals(0.0004, 3), change_decimals(0.02, 3), change_decimals(0.0, 3), change_decimals(None, 2)
    (4, 3, None, 2)
    >>> change_decimals(0.005, 2, ends=(-0.9024, -0.8974))  # −0.90 → −0.90 would hide it
    3
    """
    if change is None:
        return base

    def visible(d: int) -> bool:
        apart = None in ends or round(ends[0], d) != round(ends[1], d)
        return round(abs(change), d) != 0 and apart

    return next((d for d in range(base, most + 1) if visible(d)), None)


def _signed(text: str, value: float) -> str:
    """``text`` (the magnitude, or a negative number with its minus) with a + before a rise."""
    return f"+{text}" if value > 0 else text


def change_texts(key: str, before: Any, after: Any, change: Any, lang: str) -> tuple[str, str, str]:
    """Before, after and change of one plan figure as the page writes them.

    Counts are whole numbers; ``unit_pair_coverage`` a percentage; other figures get three
    decimals, or more when the change would otherwise round to zero (before and after then
    get as many, so the reader sees the difference). A change is signed (+ or −) and a nil
    one reads "no change", never +0 or −0,000. A missing value is a dash.

    Examples
    --------
    >>> change_texts("modularity", 0.0221, 0.0225, 0.0004, "en")
    ('0.0221', '0.0225', '+0.0004')
    >>> change_texts("ei_index", 0.25, 0.25, 0.0, "sv")
    ('0,250', '0,250', 'ingen förändring')
    >>> change_texts("key_person_pairs", 3, 2, -1, "en"), change_texts("unit_pair_coverage", 0.5, 0.5004, 0.0004, "en")
    (('3', '2', '−1'), ('50.00 %', '50.04 %', '+0.04 %'))
    """
    dash = "\u2013"
    if key in ("unit_pairs", "unit_pairs_covered", "key_person_pairs"):
        shown = [dash if v is None else integer(v, lang) for v in (before, after)]
        if change is None:
            return shown[0], shown[1], dash
        return shown[0], shown[1], t("plan_no_change", lang) if change == 0 else _signed(integer(change, lang), change)
    share = key == "unit_pair_coverage"
    scale = 100 if share else 1
    ends = (None, None) if before is None or after is None else (before * scale, after * scale)
    digits = change_decimals(None if change is None else change * scale, 0 if share else 3, ends=ends)

    def text(value: float | None, d: int) -> str:
        if value is None:
            return dash
        return percent(value, lang, digits=d) if share else number(value, lang, d)

    if digits is None:  # rounds to zero: before and after at the usual decimals
        return text(before, 0 if share else 3), text(after, 0 if share else 3), t("plan_no_change", lang)
    moved = dash if change is None else _signed(text(change, digits), change)
    return text(before, digits), text(after, digits), moved


def unit_change_rows(units: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The per-unit table as text: E-I before and after with two decimals or as many as the
    change needs, the change signed or "no change", people as counts. Largest change first.

    >>> u = pl.DataFrame({"unit": ["A", "B"], "people_before": [3, 1200], "people_after": [4, 1200],
    ...                   "ei_before": [0.5, -0.2], "ei_after": [0.25, -0.2], "change": [-0.25, 0.0]})
    >>> unit_change_rows(u, "en").rows()
    [('A', '3', '4', '0.50', '0.25', '−0.25'), ('B', '1,200', '1,200', '−0.20', '−0.20', 'no change')]
    """
    dash = "\u2013"
    ordered = units.sort(pl.col("change").abs(), "unit", descending=[True, False], nulls_last=True)
    rows = []
    for unit, people_before, people_after, before, after, change in ordered.select(
        "unit", "people_before", "people_after", "ei_before", "ei_after", "change"
    ).iter_rows():
        digits = change_decimals(change, 2, ends=(before, after))
        shown = [dash if v is None else number(v, lang, digits or 2) for v in (before, after)]
        if change is None:
            moved = dash
        elif digits is None:
            moved = t("plan_no_change", lang)
        else:
            moved = _signed(number(change, lang, digits), change)
        rows.append((unit, integer(people_before, lang), integer(people_after, lang), *shown, moved))
    columns = ("unit", "people_before", "people_after", "ei_before", "ei_after", "change")
    return pl.DataFrame(rows, schema=dict.fromkeys(columns, pl.String), orient="row")


def _pair_table(key: str, pairs: Sequence[Sequence[str]], lang: str, table_id: str) -> list:
    frame = pl.DataFrame([list(p) for p in pairs], schema={"unit_a": pl.String, "unit_b": pl.String}, orient="row")
    body = small_table(frame, ["unit_a", "unit_b"], lang, table_id) if frame.height else html.P(t("change_none", lang), id=table_id)
    return [html.H5(t(key, lang, n=frame.height), className="mt-3"), body]


def plan_view(result: WhatIfResult, lang: str) -> list:
    """The before/after of a :func:`analyser.whatif.whatif` result: organisation figures,
    unit E-I, unit pairs newly covered and key-person risk pairs gained and removed, and the
    result's notes in ``lang``."""
    plan = result.plans[0]
    figures = pl.DataFrame(
        [(t(f"fig_{k}", lang), *change_texts(k, result.before[k], result.after[k], result.change[k], lang))
         for k in PLAN_FIGURES],
        schema={"figure": pl.String, "before": pl.String, "after": pl.String, "change": pl.String}, orient="row",
    )  # fmt: skip
    # the existing-project note names the plan shown in the heading; the others as they come
    notes = [n.text(lang) for n in result.notes if n.key != NOTE_EXISTING or n.values.get("name") == plan.name]
    return [
        html.H4(plural("plan_before_after", plan.members, lang, name=plan.name, members=integer(plan.members, lang)),
                id="plan-heading"),
        small_table(figures, ["figure", "before", "after", "change"], lang, "plan-figures"),
        html.H5(t("plan_units_title", lang), className="mt-3"),
        small_table(unit_change_rows(result.units, lang), ["unit", "people_before", "people_after", "ei_before",
                                                          "ei_after", "change"], lang, "plan-units"),
        *_pair_table("plan_pairs_new", result.unit_pairs_covered_new, lang, "plan-pairs-new"),
        *_pair_table("plan_key_new", result.key_person_pairs_new, lang, "plan-key-new"),
        *_pair_table("plan_key_removed", result.key_person_pairs_removed, lang, "plan-key-removed"),
        *[html.P(n, className="text-muted small mb-1 plan-note") for n in notes],
    ]  # fmt: skip


def apply_view(
    roster: Roster | None,
    settings: Settings,
    salt: bytes,
    name: str | None,
    people: Sequence[str] | None,
    rows: Sequence[Mapping[str, Any]] | None,
    lang: str,
    before: Any = None,
) -> list:
    """What pressing Apply shows: the before/after of the described plan, or why there is none.

    Works on a copy of the roster (:func:`analyser.whatif.whatif`); nothing is stored.
    ``before`` is :func:`analyser.whatif.network_figures` of the roster at these settings,
    when the page already has them.
    """
    if roster is None:
        return [note(t("no_dataset", lang))]
    plan = plan_from_inputs(name, people, rows, roster=roster, privacy=settings.privacy, salt=salt, lang=lang)
    if plan is None:
        return [note(t("plan_empty", lang), "warning")]
    try:
        result = whatif(roster, [plan], level=settings.level, privacy=settings.privacy,
                        min_group_size=settings.min_group_size, max_project_size=settings.max_project_size, salt=salt,
                        before=before)  # fmt: skip
    except InputError as exc:
        return [note(t("plan_problem", lang, error="; ".join(p.text(lang) for p in exc.problems)), "danger")]
    except ValueError as exc:
        return [note(t("plan_problem", lang, error=str(exc)), "danger")]
    return plan_view(result, lang)


# -- suggestions ------------------------------------------------------------------------------


def _names(names: Sequence[str], lang: str, most: int = 3) -> str:
    if len(names) > most:
        return t("and_more", lang, names=", ".join(names[:most]), n=len(names) - most)
    return ", ".join(names)


def suggestion_reason(partners: str, lang: str) -> str:
    """Why a unit pair is suggested, from its ``"; "``-joined shared partners.

    >>> suggestion_reason("C; D; E; F", "sv")
    'båda arbetar med C, D, E och 1 till, men inte med varandra'
    """
    return t("suggestion_reason", lang, partners=_names(partners.split("; ") if partners else [], lang))


def candidate_reason(row: Mapping[str, Any], lang: str) -> str:
    """Why a person could link ``unit_a`` and ``unit_b`` (a row of :func:`bridge_candidates`).

    >>> row = {"unit_a": "A", "unit_b": "B", "unit": "C", "kind": "tied to both", "ties_a": 1, "ties_b": 2, "via": 0}
    >>> candidate_reason(row, "en")
    'collaborators in A: 1, in B: 2'
    >>> candidate_reason({**row, "unit": "A", "kind": "one step away", "ties_b": 0, "via": 3}, "en")
    'in A; collaborators who work with B: 3'
    """
    a, b, unit = row["unit_a"], row["unit_b"], row["unit"]
    if row["kind"] == TIED_TO_BOTH:
        if unit == a:
            return t("reason_tied_in", lang, home=a, other=b, n=row["ties_b"])
        if unit == b:
            return t("reason_tied_in", lang, home=b, other=a, n=row["ties_a"])
        return t("reason_tied_third", lang, a=a, b=b, na=row["ties_a"], nb=row["ties_b"])
    near_a = unit == a or (unit != b and row["ties_a"] > 0)
    near, far, ties = (a, b, row["ties_a"]) if near_a else (b, a, row["ties_b"])
    if unit in (a, b):
        return t("reason_step_in", lang, near=near, far=far, via=row["via"])
    return t("reason_step_out", lang, near=near, far=far, n=ties, via=row["via"])


def suggestions_view(
    analysis: Analysis | None, net: CollaborationNetwork | None, settings: Settings, salt: bytes, lang: str
) -> list:
    """Unit pairs that never work together but share partners, each with its bridge
    candidates (none in aggregate mode; codes with pseudonyms, as on the other pages)."""
    if analysis is None or net is None:
        return [note(t("no_dataset", lang))]
    pairs = suggest_links(analysis, top=SUGGESTED_PAIRS)
    if pairs.is_empty():
        return [note(t("suggestions_none", lang), id="suggestions-none")]
    shown = pairs.with_columns(pl.Series("reason", [suggestion_reason(p, lang) for p in pairs["partners"]]))
    parts: list = [small_table(shown, ["unit_a", "unit_b", "shared_partners", "reason"], lang, "suggestions-pairs")]
    if settings.privacy == "aggregate":
        return [*parts, note(t("candidates_aggregate", lang), id="suggestions-aggregate")]
    candidates = bridge_candidates(net, pairs, privacy=settings.privacy, min_group_size=settings.min_group_size,
                                   salt=salt, per_pair=CANDIDATES_PER_PAIR)  # fmt: skip
    for i, (a, b) in enumerate(pairs.select("unit_a", "unit_b").iter_rows()):
        rows = candidates.filter((pl.col("unit_a") == a) & (pl.col("unit_b") == b))
        parts.append(html.H5(t("candidates_title", lang, a=a, b=b), className="mt-3"))
        if rows.is_empty():
            parts.append(html.P(t("candidates_none", lang), className="text-muted"))
            continue
        rows = rows.with_columns(
            pl.Series("kind", [t("kind_tied" if k == TIED_TO_BOTH else "kind_step", lang) for k in rows["kind"]]),
            pl.Series("reason", [candidate_reason(r, lang) for r in rows.iter_rows(named=True)]),
        )
        parts.append(small_table(rows, ["person", "unit", "kind", "reason"], lang, f"suggestions-candidates-{i}"))
    return parts


# -- departures -------------------------------------------------------------------------------

#: Summary figures of the departures table, in order.
DEPARTURE_FIGURES = ("people", "ties", "cross_unit_ties", "ei_index", "unit_pairs", "components", "largest_component_share")
#: Key-player sets the page asks for.
KEY_PLAYERS = 5


def leaving_names(roster: Roster, privacy: str, salt: bytes, chosen: Sequence[str] | None) -> list[str]:
    """The roster names behind the chosen values (codes in pseudonym mode; unknown ones dropped).

    >>> r = Roster.from_rows([("P1", "Ann", "A"), ("P1", "Bo", "B")])
    >>> leaving_names(r, "pseudonyms", b"s", [PrivacyPolicy("pseudonyms", salt=b"s").person("Bo"), "P-NOBODY"])
    ['Bo']
    """
    by_shown = PrivacyPolicy(privacy, salt=salt).names_by_shown(_people(roster)["person"])  # empty in aggregate mode
    return [by_shown[c] for c in chosen or () if c in by_shown]


def departures_view(result: Departures | None, lang: str) -> list:
    """Before/after figures and the unit pairs lost or weakened."""
    if result is None:
        return [note(t("departures_empty", lang))]
    header = html.Thead(html.Tr([html.Th(t(k, lang)) for k in ("departures_figure", "departures_before", "departures_after")]))
    rows = [
        html.Tr([html.Td(t(f"departures_f_{k}", lang)),
                 html.Td(_figure(result.summary_before[k], k, lang)), html.Td(_figure(result.summary_after[k], k, lang))])
        for k in DEPARTURE_FIGURES
    ]  # fmt: skip
    parts: list = [dbc.Table([header, html.Tbody(rows)], size="sm", striped=True, id="departures-summary")]
    for key, frame, columns, table_id in (
        ("departures_lost", result.unit_pairs_lost, ("unit_a", "unit_b", "ties_before"), "departures-lost"),
        ("departures_weakened", result.unit_pairs_weakened, ("unit_a", "unit_b", "ties_before", "ties_after"), "departures-weakened"),
    ):  # fmt: skip
        parts.append(html.H5(t(key, lang, n=frame.height), className="mt-3"))
        parts.append(small_table(frame, columns, lang, table_id) if frame.height else html.P(t("departures_none", lang)))
    return parts


def key_players_view(sets: Sequence[Mapping[str, Any]], lang: str) -> list:
    """The greedy key-player sets, one row per added person."""
    def who(people: Sequence[Any]) -> str:
        if people and isinstance(people[-1], Mapping):  # aggregate mode: people per unit
            return "; ".join(f"{p['unit']}: {number(p['people'], lang)}" for p in people)
        return str(people[-1]) if people else ""

    header = html.Thead(html.Tr([html.Th(t(k, lang)) for k in ("keyplayers_k", "keyplayers_people", "keyplayers_ties", "keyplayers_pairs")]))
    body = html.Tbody([
        html.Tr([html.Td(number(s["k"], lang)), html.Td(who(s["people"])),
                 html.Td(number(s["cross_unit_ties_lost"], lang)), html.Td(number(s["unit_pairs_lost"], lang))])
        for s in sets
    ])  # fmt: skip
    return [html.H5(t("keyplayers_title", lang)), html.P(t("keyplayers_intro", lang), className="text-muted"),
            dbc.Table([header, body], size="sm", striped=True, id="keyplayers-table")]  # fmt: skip


def _figure(value: Any, key: str, lang: str) -> str:
    if value is None:
        return "–"
    if key == "largest_component_share":
        return percent(value, lang)
    return number(value, lang)


def _whatif_work(jobs: progress.Jobs, report: progress.Reporter, spec: dict) -> list:
    """In a background job: the before/after of the plan a signed job describes."""
    data, s = jobs.data(), progress.settings_of(spec)
    report("plan_before", 0.05)
    before = network_figures_of(data.network(s.dataset, s.level, s.max_project_size))
    report("plan_after", 0.5)
    return apply_view(data.roster(s.dataset), s, data.salt(s.dataset), spec["name"], spec["chosen"], spec["rows"],
                      spec["lang"], before=before)  # fmt: skip


def register_callbacks(app: Dash, data: DashboardData) -> None:
    """Attach this page's callbacks to ``app``."""
    if data.jobs is not None:
        progress.register_panel(app, SCOPE)
        progress.register_worker(app, data.jobs, SCOPE, _whatif_work)

    @app.callback(
        Output(I.COUNTS, "rowData"),
        Output(I.COUNTS, "columnDefs"),
        Output(I.PEOPLE, "disabled"),
        Output(I.PEOPLE, "value"),
        Output(I.PEOPLE_NOTE, "children"),
        Input(ids.App.SETTINGS, "data"),
        State(ids.App.LANG, "data"),
    )
    def form(settings, lang):
        # settings -> the plan form for this dataset, level and privacy mode
        s, lang = parse_settings(settings), lang or "en"
        return plan_form(data.roster(s.dataset) if s.dataset else None, s, lang)

    def search_people(s, search, chosen):
        # the people matching a typed search, as the privacy mode shows them (choices kept per dataset and mode)
        roster, salt = data.roster(s.dataset), data.salt(s.dataset)
        choices = data.cached("plan-people", (s.dataset, s.privacy), lambda: person_choices(roster, s.privacy, salt))
        return person_options(roster, s.privacy, salt, search, chosen, choices=choices)

    @app.callback(
        Output(I.PEOPLE, "options"),
        Input(I.PEOPLE, "search_value"),
        Input(ids.App.SETTINGS, "data"),
        State(I.PEOPLE, "value"),
    )
    def people(search, settings, chosen):
        # typed search -> matching people of the dataset
        s = parse_settings(settings)
        return search_people(s, search, chosen) if s.dataset else []

    @app.callback(
        Output(I.RESULT, "children"),
        Input(I.APPLY, "n_clicks"),
        Input(ids.Progress.of(SCOPE, "done"), "data"),
        State(I.NAME, "value"),
        State(I.PEOPLE, "value"),
        State(I.COUNTS, "rowData"),
        State(ids.App.SETTINGS, "data"),
        State(ids.App.LANG, "data"),
        prevent_initial_call=True,
    )
    def apply(clicks, done, name, chosen, rows, settings, lang):
        # Apply -> what-if on a copy of the roster -> before/after; a large roster's what-if runs in
        # the background job below, whose done stamp brings the before/after here
        if ids.Progress.of(SCOPE, "done") + ".data" in ctx.triggered_prop_ids:
            view = progress.job_result(data, SCOPE, done)
            if view is None:
                raise PreventUpdate
            return view
        if not clicks:
            raise PreventUpdate
        s = parse_settings(settings)
        if progress.waiting(data, SCOPE, s.dataset):
            raise PreventUpdate
        roster = data.roster(s.dataset) if s.dataset else None
        if roster is None:
            return apply_view(None, s, b"", name, chosen, rows, lang or "en")
        # the figures without the plan depend only on the dataset and graph options: once each
        graph = (s.dataset, s.level, s.max_project_size)
        before = data.cached("plan-before", graph, lambda: network_figures_of(data.network(*graph)))
        return apply_view(roster, s, data.salt(s.dataset), name, chosen, rows, lang or "en", before=before)

    @app.callback(
        Output(ids.Progress.of(SCOPE, "job"), "data"),
        Input(I.APPLY, "n_clicks"),
        State(I.NAME, "value"),
        State(I.PEOPLE, "value"),
        State(I.COUNTS, "rowData"),
        State(ids.App.SETTINGS, "data"),
        State(ids.App.LANG, "data"),
        prevent_initial_call=True,
    )
    def whatif_job(clicks, name, chosen, rows, settings, lang):
        # Apply -> a background job testing the plan, when the roster is large
        if not clicks:
            raise PreventUpdate
        s = parse_settings(settings)
        spec = {"settings": dataclasses.asdict(s), "name": name, "chosen": chosen, "rows": rows, "lang": lang or "en"}
        return progress.want(data, SCOPE, s.dataset, spec)

    @app.callback(
        Output(I.LEAVE, "options"),
        Output(I.LEAVE, "disabled"),
        Input(I.LEAVE, "search_value"),
        Input(ids.App.SETTINGS, "data"),
        State(I.LEAVE, "value"),
    )
    def leave_options(search, settings, chosen):
        # typed search -> matching people (nobody in aggregate mode)
        s = parse_settings(settings)
        if not s.dataset or s.privacy == "aggregate":
            return [], s.privacy == "aggregate"
        return search_people(s, search, chosen), False

    @app.callback(
        Output(I.LEAVE_RESULT, "children"),
        Input(I.LEAVE_APPLY, "n_clicks"),
        State(I.LEAVE, "value"),
        State(ids.App.SETTINGS, "data"),
        State(ids.App.LANG, "data"),
        prevent_initial_call=True,
    )
    def leave(clicks, chosen, settings, lang):
        # Show what changes -> departures on the roster (the privacy mode from the server's settings)
        s, lang = parse_settings(settings), lang or "en"
        roster = data.roster(s.dataset) if s.dataset and clicks else None
        if roster is None:
            raise PreventUpdate
        if s.privacy == "aggregate":
            return [note(t("departures_aggregate", lang))]
        salt = data.salt(s.dataset)
        names = leaving_names(roster, s.privacy, salt, chosen)
        if not names:
            return departures_view(None, lang)
        result = departures(roster, names, level=s.level, max_project_size=s.max_project_size, privacy=s.privacy,
                            min_group_size=s.min_group_size, salt=salt)  # fmt: skip
        return departures_view(result, lang)

    @app.callback(
        Output(I.KEYPLAYERS_RESULT, "children"),
        Input(I.KEYPLAYERS, "n_clicks"),
        State(ids.App.SETTINGS, "data"),
        State(ids.App.LANG, "data"),
        prevent_initial_call=True,
    )
    def keyplayers(clicks, settings, lang):
        # Find the key people -> greedy key-player sets (codes or unit counts as privacy asks)
        s, lang = parse_settings(settings), lang or "en"
        roster = data.roster(s.dataset) if s.dataset and clicks else None
        if roster is None:
            raise PreventUpdate
        sets = data.cached(
            "plan-keyplayers", (s.dataset, s.level, s.max_project_size, s.privacy, s.min_group_size),
            lambda: key_players(roster, KEY_PLAYERS, level=s.level, max_project_size=s.max_project_size,
                                privacy=s.privacy, min_group_size=s.min_group_size, salt=data.salt(s.dataset)),
        )  # fmt: skip
        return key_players_view(sets, lang)

    @app.callback(
        Output(I.SUGGESTIONS, "children"),
        Input(ids.App.SETTINGS, "data"),
        State(ids.App.LANG, "data"),
    )
    def suggestions(settings, lang):
        # settings -> cached analysis and network -> suggested links
        s = parse_settings(settings)
        net = data.network(s.dataset, s.level, s.max_project_size) if s.dataset else None
        analysis, lang = data.analysis(s), lang or "en"
        if analysis is None or net is None:
            return suggestions_view(None, None, s, b"", lang)
        salt = data.salt(s.dataset)  # type: ignore[arg-type]
        # bridge candidates take about a second at 100,000 people: once per settings and language
        return data.cached("plan-suggestions", (s, lang), lambda: suggestions_view(analysis, net, s, salt, lang))

