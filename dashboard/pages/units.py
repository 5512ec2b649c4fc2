"""Units page: the silo table and, for a clicked unit, its partners, carriers, key-person risks and projects."""

from __future__ import annotations

import dataclasses
from typing import Any

from collections.abc import Mapping

import dash_bootstrap_components as dbc
import polars as pl
from dash import Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from analyser.analysis import Analysis
from analyser.report import REPORT_LANGUAGES, PdfExportError
from analyser.report.common import ordered_units, permutations_used, slug, verdict_minimums, verdicts
from analyser.report.unit_sheet import UnknownUnitError, unit_sheet_bytes
from dashboard import ids, progress
from dashboard.components import ag_grid, column_defs, info, note, p_text, small_table
from dashboard.data import DashboardData
from dashboard.selection import unit_projects
from dashboard.settings import Settings, parse_settings
from dashboard.pages.person import people_table
from analyser.i18n import integer, number, plural, t

__all__ = ["PATH", "TITLE_KEY", "SHOWN_COLUMNS", "layout", "register_callbacks", "units_table", "unit_detail",
           "partner_carriers", "verdict_note", "sheet_filename", "export_unit_sheet"]  # fmt: skip

PATH = "/units"
TITLE_KEY = "nav_units"
I = ids.Units
#: The dialogue sheet of a large roster is written by a background job with this progress panel.
SHEET_SCOPE = "sheet"
#: The grid's columns: the verdict in words beside the name, each baseline beside the E-I,
#: q beside p. (``silo`` stays in the row data for the row colour; the verdict says it.)
SHOWN_COLUMNS = (
    "unit", "verdict", "people", "projects", "ties_internal", "ties_external", "ei_index", "ei_expected",
    "ei_expected_perm", "ei_p", "ei_q", "ei_z", "partner_units", "cross_unit_project_share",
    "bridge_concentration", "suppressed",
)  # fmt: skip
#: p and q are shown as text at the test's resolution ("≤ 0.001"), sorted by their number.
P_TEXTS = {"ei_p": "ei_p_text", "ei_q": "ei_q_text"}
CARRIER_COLUMNS = ("person", "external_collaborators", "units_reached", "cross_unit_betweenness", "betweenness",
                   "sole_bridges")  # fmt: skip
#: Most carriers of outside ties the drill-down lists (the sentence above says how many there are).
CARRIER_ROWS = 15
#: Silo rows in red, rows without a verdict muted (neither red nor "open").
ROW_CLASSES = {"silo-row": "params.data.verdict_code === 'silo'",
               "no-verdict-row": "params.data.verdict_code !== 'silo' && params.data.verdict_code !== 'not_silo'"}  # fmt: skip
VERDICT_CELL_CLASSES = {"verdict-silo": "params.data.verdict_code === 'silo'",
                        "verdict-none": "params.data.verdict_code !== 'silo' && params.data.verdict_code !== 'not_silo'"}  # fmt: skip


def layout(lang: str = "en", **_query: Any) -> html.Div:
    """The units page in ``lang``."""
    return html.Div([
        html.H2(t("units_title", lang)),
        html.P(t("units_intro", lang), className="text-muted"),
        ag_grid(I.GRID, lang, height=420, options={"getRowId": {"function": "params.data.unit"}},
                rowClassRules=ROW_CLASSES),
        # the sheet button sits above the drill-down and follows its unit (enabled once one is clicked)
        html.Div(dbc.Button(t("units_sheet_button", lang), id=I.SHEET_BUTTON, color="primary", outline=True,
                            disabled=True, n_clicks=0, title=t("units_sheet_tip", lang)), className="mt-4"),
        html.Div(progress.panel(SHEET_SCOPE, lang), className="mt-2"),
        dcc.Loading(html.Div(id=I.SHEET_MESSAGE, className="mt-2")),
        dcc.Download(id=I.SHEET_DOWNLOAD),
        html.Div(id=I.DETAIL, className="mt-3", children=note(t("units_detail_empty", lang))),
    ])  # fmt: skip


def units_table(analysis: Analysis | None, lang: str) -> tuple[list[dict], list[dict]]:
    """Rows and column definitions of the silo table.

    Significant silos first, then the other judged units, then units without a verdict,
    each from the most closed (lowest E-I) up (:func:`~analyser.report.common.ordered_units`).
    ``verdict`` holds the verdict in words (what the grid shows, filters and sorts);
    ``verdict_code`` the contract value the row colours follow; ``ei_p_text`` and
    ``ei_q_text`` the p- and q-values at the test's resolution.
    """
    if analysis is None or analysis.units.is_empty():
        return [], []
    units = ordered_units(analysis.units)
    codes = verdicts(units)
    hidden = units["suppressed"].fill_null(False).to_list() if "suppressed" in units.columns else [False] * units.height
    labels = [t("withheld", lang) if c is None and h else t(f"verdict_{c or 'none'}", lang) for c, h in zip(codes, hidden)]
    units = units.with_columns(pl.Series("verdict", labels, dtype=pl.String), codes.alias("verdict_code"))
    columns = [c for c in SHOWN_COLUMNS if c in units.columns]
    n = permutations_used(analysis.meta)
    rows = units.select(*columns, "verdict_code").to_dicts()
    for row in rows:
        for column, field in P_TEXTS.items():
            row[field] = p_text(row.get(column), n, lang)
    defs = column_defs(units, columns, lang, texts=P_TEXTS)
    for spec in defs:
        if spec["field"] == "verdict":
            spec["cellClassRules"] = VERDICT_CELL_CLASSES
            spec["minWidth"] = 170  # "significant silo" / "för lite underlag" in full
    return rows, defs


def verdict_note(analysis: Analysis, row: pl.DataFrame, lang: str):
    """The unit's silo verdict in one plain sentence, with the figures it rests on.

    Red for a significant silo, grey otherwise; a unit with too little data is told what
    a verdict needs (the analysis' own minimums).
    """
    code = verdicts(row).item()
    q = p_text(row["ei_q"].item() if "ei_q" in row.columns else None, permutations_used(analysis.meta), lang)
    values = {"ei": number(row["ei_index"].item() if "ei_index" in row.columns else None, lang),
              "perm": number(row["ei_expected_perm"].item() if "ei_expected_perm" in row.columns else None, lang),
              # "q ≤ 0.001" at the floor, "q = 0.004" otherwise
              "q": "= \u2013" if q is None else q if q[0] in "\u2264<" else f"= {q}"}  # fmt: skip
    if code == "too_little_data":
        people, projects = verdict_minimums(analysis.meta)
        return note(t("units_verdict_too_little_data", lang, people=plural("count_people", people, lang),
                      projects=plural("count_projects", projects, lang)), "light", id="unit-verdict")  # fmt: skip
    if code in ("silo", "not_silo"):
        return note(t(f"units_verdict_{code}", lang, **values), "danger" if code == "silo" else "secondary", id="unit-verdict")
    return note(t("units_verdict_none", lang), "light", id="unit-verdict")


def partner_carriers(memberships: pl.DataFrame, unit: str, *, max_project_size: int | None = None) -> pl.DataFrame:
    """Return, for each other unit, how many people of ``unit`` share a project with someone there.

    This is the unit's own side of the ties to each partner (the people the drill-down's
    carrier list is made of), not both sides: a person with ties to three partner units is
    counted once under each. Ties are those of the analysis: shared projects with at most
    ``max_project_size`` members. Works on the memberships alone (no person network), so a
    click costs a join, also at 100,000 people.

    Returns
    -------
    polars.DataFrame
        ``partner`` and ``partner_carriers``, one row per partner unit with at least one
        such person, sorted by partner; empty when ``unit`` has no memberships.

    Examples
    --------
    >>> m = pl.DataFrame({"project": ["P1", "P1", "P1", "P2", "P2", "P3"],
    ...                   "person": ["ann", "bob", "cid", "bob", "dan", "eva"], "unit": ["A", "A", "B", "A", "C", "A"]})
    >>> partner_carriers(m, "A").rows()
    [('B', 2), ('C', 1)]
    >>> partner_carriers(m, "A", max_project_size=2).rows()
    [('C', 1)]
    """
    schema = {"partner": pl.String, "partner_carriers": pl.Int64}
    m = memberships.select("project", "person", "unit")
    if max_project_size is not None:  # larger projects make no ties in the analysis
        size = m.group_by("project").agg(pl.col("person").n_unique().alias("size"))
        m = m.join(size.filter(pl.col("size") <= max_project_size), on="project", how="semi")
    mine = m.filter(pl.col("unit") == unit).select("project", "person").unique()
    others = m.filter(pl.col("unit") != unit).select("project", pl.col("unit").alias("partner")).unique()
    pairs = mine.join(others, on="project").select("person", "partner").unique()
    counts = pairs.group_by("partner").agg(pl.len().alias("partner_carriers")).sort("partner")
    return counts.cast(schema)


def _table(frame: pl.DataFrame, columns: list[str], lang: str, table_id: str, none_key: str):
    """A small table of ``frame``, or a plain sentence (``none_key``) when it has no rows."""
    if frame.is_empty():
        return html.P(t(none_key, lang), className="text-muted", id=table_id)
    return small_table(frame, columns, lang, table_id)


def unit_detail(
    analysis: Analysis | None,
    memberships: pl.DataFrame | None,
    unit: str | None,
    lang: str,
    *,
    max_project_size: int | None = None,
) -> list:
    """The drill-down of ``unit``: partner units, the people carrying its outside ties
    (not in aggregate mode), its key-person risks and its projects.

    With ``memberships`` (units at the analysed level) the partner table counts the unit's
    own people on the ties to each partner (:func:`partner_carriers`), the people the
    carrier list below is made of; the sentence above that list says how many there are.
    """
    if analysis is None or not unit:
        return [note(t("units_detail_empty", lang))]
    row = analysis.units.filter(pl.col("unit") == unit)
    if row.is_empty():
        return [note(t("units_detail_empty", lang))]
    title = html.H3(unit)
    if row["suppressed"].fill_null(False).item():
        return [title, note(t("units_detail_suppressed", lang), "warning")]
    verdict = verdict_note(analysis, row, lang)
    links = analysis.unit_links.filter((pl.col("unit_a") == unit) | (pl.col("unit_b") == unit))
    links = links.with_columns(pl.when(pl.col("unit_a") == unit).then("unit_b").otherwise("unit_a").alias("partner"))
    partners = links.filter(pl.col("ties").fill_null(0) > 0).sort(["ties", "partner"], descending=[True, False])
    columns = ["partner", "ties", "shared_projects"]
    # the unit's own side only, so the count and the carrier list below mean the same people
    # (the analysis' bridging_people counts both ends of the ties)
    if memberships is not None:
        carried = partner_carriers(memberships, unit, max_project_size=max_project_size)
        partners = partners.join(carried, on="partner", how="left", maintain_order="left")
        partners = partners.with_columns(pl.col("partner_carriers").fill_null(0))
        columns.append("partner_carriers")
    parts: list = [title, verdict, html.H4(t("units_partners", lang)),
                   _table(partners, columns, lang, "unit-partners", "units_partners_none")]  # fmt: skip
    parts.append(html.H4(t("units_carriers", lang)))
    if analysis.privacy == "aggregate" or analysis.people.is_empty():
        parts.append(note(t("units_carriers_hidden", lang)))
    else:
        carriers = analysis.people.filter((pl.col("unit") == unit) & (pl.col("external_collaborators") > 0)).sort(
            ["external_collaborators", "person"], descending=[True, False]
        )
        people = row["people"].item() if "people" in row.columns else None
        if carriers.height:
            parts.append(html.P(t("units_carriers_count", lang, n=integer(carriers.height, lang), people=integer(people, lang)),
                                id="unit-carriers-count"))  # fmt: skip
        if carriers.height > CARRIER_ROWS:
            parts.append(html.P(t("units_carriers_shown", lang, shown=integer(CARRIER_ROWS, lang)), className="text-muted small"))
        shown = carriers.head(CARRIER_ROWS)
        # each name opens the person's page: whom they link, through which projects
        parts.append(people_table(shown, [c for c in CARRIER_COLUMNS if c in shown.columns], lang, "unit-carriers")
                     if shown.height else _table(shown, [], lang, "unit-carriers", "units_carriers_none"))
    parts.append(html.H4([t("units_key_risk", lang), *info("units_key_risk_tip", lang, "tip-unit-key-risk")]))
    risky = partners.filter(pl.col("key_people").is_not_null()) if "key_people" in partners.columns else partners.clear()
    if analysis.privacy == "aggregate":
        parts.append(note(t("units_carriers_hidden", lang)))
    elif risky.is_empty():
        parts.append(html.P(t("units_no_key_risk", lang)))
    else:
        # the clicked unit is one side of every pair: show only the other one
        parts.append(small_table(risky, ["partner", "ties", "key_people"], lang, "unit-key-risk"))
    parts.append(html.H4(t("units_projects", lang)))
    if memberships is not None:
        projects = unit_projects(memberships, unit, analysis.projects).head(50)
        parts.append(_table(projects, [c for c in ("project", "members_in_unit", "members", "units", "blau_index")
                                       if c in projects.columns], lang, "unit-projects", "units_projects_none"))  # fmt: skip
    return parts


def sheet_filename(unit: str, privacy: str, suffix: str) -> str:
    """File name of a downloaded unit sheet: the unit's name made safe, the privacy mode, the suffix.

    >>> sheet_filename("Miljöförvaltningen/Tillsyn", "pseudonyms", ".pdf")
    'unit-sheet-miljoforvaltningen-tillsyn-pseudonyms.pdf'
    """
    return f"unit-sheet-{slug(unit)}-{privacy}{suffix}"


def export_unit_sheet(
    analysis: Analysis | None,
    unit: str | None,
    lang: str,
    *,
    memberships: pl.DataFrame | None = None,
    trends: Mapping | None = None,
) -> tuple[dict | None, Any]:
    """The dcc.Download payload of ``unit``'s dialogue sheet and a message for the page.

    The sheet is a PDF; where PDF export is not available (no Chromium, no Pango) it is
    the HTML sheet instead, and the message says why and how to print it on one page. It
    follows the page's language and the analysis' privacy mode.
    """
    if analysis is None:
        return None, note(t("no_dataset", lang), "warning")
    language = lang if lang in REPORT_LANGUAGES else "en"

    def make(fmt: str) -> bytes:
        return unit_sheet_bytes(analysis, unit or "", fmt, memberships=memberships, trends=trends, lang=language)

    try:
        try:
            content, suffix, error = make("pdf"), ".pdf", None
        except (PdfExportError, OSError, ImportError) as exc:  # OSError, ImportError: weasyprint without Pango
            content, suffix, error = make("html"), ".html", exc
    except UnknownUnitError:  # nothing clicked, or the unit is not at this level any more
        return None, note(t("units_sheet_none", lang), "warning", id="unit-sheet-none")
    except Exception as exc:  # noqa: BLE001 - a failing export must not break the page
        return None, note(t("units_sheet_failed", lang, error=exc), "danger", id="unit-sheet-error")
    filename = sheet_filename(unit or "", analysis.privacy, suffix)
    if error is None:
        return dcc.send_bytes(content, filename), note(t("units_sheet_done", lang, filename=filename), "success",
                                                       id="unit-sheet-done")  # fmt: skip
    if callable(getattr(error, "message", None)):  # PdfUnavailable: what to install, in the page's language
        error = error.message(lang)
    message = t("units_sheet_html", lang, filename=filename, error=error)
    return dcc.send_bytes(content, filename), note(message, "warning", id="unit-sheet-done")


def unit_sheet_download(data: DashboardData, settings: Settings, unit: str | None, lang: str) -> tuple[Any, Any]:
    """:func:`export_unit_sheet` of ``unit`` with the analysis and years of ``settings``: (payload or no_update, message)."""
    memberships = trends = None
    if settings.dataset and unit:
        memberships = data.roster(settings.dataset).at_level(min(settings.level, data.levels(settings.dataset)))
        trends = data.report_trends(settings)
    payload, message = export_unit_sheet(data.analysis(settings), unit, lang, memberships=memberships, trends=trends)
    return (no_update if payload is None else payload), message


def _sheet_work(jobs: progress.Jobs, report: progress.Reporter, spec: dict) -> tuple[Any, Any]:
    """In a background job: the dialogue sheet a signed job asks for (analysis, years, file)."""
    data, s = jobs.data(), progress.settings_of(spec)
    report("load", 0.02)
    data.compute_analysis(s, on_stage=progress.scaled(report, 0.02, 0.4))  # cached already, as a rule
    if spec["unit"] and not data.has_trends(s, "year"):
        progress.compute_periods(data, s, "year", progress.scaled(report, 0.4, 0.8))
    report("report", 0.8)
    payload, message = unit_sheet_download(data, s, spec["unit"], spec["lang"])
    return (None if payload is no_update else payload), message


def register_callbacks(app: Dash, data: DashboardData) -> None:
    """Attach this page's callbacks to ``app``."""
    if data.jobs is not None:
        progress.register_panel(app, SHEET_SCOPE)
        progress.register_worker(app, data.jobs, SHEET_SCOPE, _sheet_work)

    @app.callback(
        Output(I.GRID, "rowData"),
        Output(I.GRID, "columnDefs"),
        Input(ids.App.SETTINGS, "data"),
        State(ids.App.LANG, "data"),
    )
    def table(settings, lang):
        # settings -> cached analysis -> silo table
        return units_table(data.analysis(parse_settings(settings)), lang or "en")

    @app.callback(
        Output(I.DETAIL, "children"),
        Input(I.GRID, "cellClicked"),
        State(ids.App.SETTINGS, "data"),
        State(ids.App.LANG, "data"),
        prevent_initial_call=True,
    )
    def detail(clicked, settings, lang):
        # clicked row -> drill-down of that unit
        if not clicked:
            raise PreventUpdate
        s = parse_settings(settings)
        memberships = data.roster(s.dataset).at_level(min(s.level, data.levels(s.dataset))) if s.dataset else None
        return unit_detail(data.analysis(s), memberships, clicked.get("rowId"), lang or "en",
                           max_project_size=s.max_project_size)  # fmt: skip

    @app.callback(
        Output(I.SHEET_BUTTON, "disabled"),
        Output(I.SHEET_MESSAGE, "children", allow_duplicate=True),
        Input(I.GRID, "cellClicked"),
        prevent_initial_call=True,
    )
    def sheet_ready(clicked):
        # a unit clicked -> its sheet can be exported; the last download's message was about another unit
        return not (clicked or {}).get("rowId"), None

    @app.callback(
        Output(I.SHEET_DOWNLOAD, "data"),
        Output(I.SHEET_MESSAGE, "children"),
        Input(I.SHEET_BUTTON, "n_clicks"),
        Input(ids.Progress.of(SHEET_SCOPE, "done"), "data"),
        State(I.GRID, "cellClicked"),
        State(ids.App.SETTINGS, "data"),
        State(ids.App.LANG, "data"),
        prevent_initial_call=True,
    )
    def sheet(n_clicks, done, clicked, settings, lang):
        # button -> the clicked unit's sheet from the cached analysis (and periods) -> browser download;
        # a large roster's sheet is written by the background job below, whose done stamp brings it here
        if ids.Progress.of(SHEET_SCOPE, "done") + ".data" in ctx.triggered_prop_ids:
            payload, message = progress.job_result(data, SHEET_SCOPE, done) or (None, None)
            if message is None:
                raise PreventUpdate
            return (no_update if payload is None else payload), message
        if not n_clicks:
            raise PreventUpdate
        s = parse_settings(settings)
        if progress.waiting(data, SHEET_SCOPE, s.dataset):
            return no_update, None
        return unit_sheet_download(data, s, (clicked or {}).get("rowId"), lang or "en")

    @app.callback(
        Output(ids.Progress.of(SHEET_SCOPE, "job"), "data"),
        Input(I.SHEET_BUTTON, "n_clicks"),
        State(I.GRID, "cellClicked"),
        State(ids.App.SETTINGS, "data"),
        State(ids.App.LANG, "data"),
        prevent_initial_call=True,
    )
    def sheet_job(n_clicks, clicked, settings, lang):
        # button -> a background job writing the clicked unit's sheet, when the roster is large
        if not n_clicks:
            raise PreventUpdate
        s = parse_settings(settings)
        spec = {"settings": dataclasses.asdict(s), "unit": (clicked or {}).get("rowId"), "lang": lang or "en"}
        return progress.want(data, SHEET_SCOPE, s.dataset, spec)
