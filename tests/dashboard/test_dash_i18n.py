"""Tests of the one catalogue (analyser.i18n): both languages complete, every used key defined."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analyser.analysis import (
    PEOPLE_COLUMNS,
    PROJECT_COLUMNS,
    UNIT_COLUMNS,
    UNIT_LINK_COLUMNS,
)
from analyser.i18n import LANGUAGES, catalogue, number, percent, t

TEXT = {lang: catalogue(lang) for lang in LANGUAGES}

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"


def test_every_key_exists_in_both_languages():
    """English and Swedish have exactly the same keys."""
    assert set(TEXT["en"]) == set(TEXT["sv"])


def test_swedish_is_translated():
    """Swedish texts differ from English for most keys (not a copy)."""
    same = [k for k in TEXT["en"] if TEXT["en"][k] == TEXT["sv"][k] and len(TEXT["en"][k]) > 12]
    assert len(same) < 5, same


def test_placeholders_match_between_languages():
    """Each text has the same {placeholders} in both languages."""
    for key, text in TEXT["en"].items():
        assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", TEXT["sv"][key])), key


def test_every_literal_key_in_the_code_is_defined():
    """Every t("key") written in the dashboard code exists."""
    used = set()
    for path in DASHBOARD.rglob("*.py"):
        used |= set(re.findall(r"\bt\(\s*\"([a-z0-9_\-]+)\"", path.read_text("utf-8")))
    assert used, "no keys found"
    assert used <= set(TEXT["en"]), used - set(TEXT["en"])


@pytest.mark.parametrize("column", sorted({*UNIT_COLUMNS, *PEOPLE_COLUMNS, *PROJECT_COLUMNS, *UNIT_LINK_COLUMNS, "silo"} - {"weight"}))
def test_every_shown_column_has_a_name_and_an_explanation(column):
    """Each contract column the pages show has a label and a tooltip explanation."""
    assert t(column, "sv") and t(f"{column}_tip", "en") and t(f"{column}_tip", "sv")


def test_numbers_follow_the_language():
    """Swedish writes a decimal comma and a true minus; missing values read 'withheld'."""
    assert number(-0.5, "sv") == "\u22120,50"
    assert number(0.5, "en") == "0.50"
    assert number(None, "en") == "withheld"
    assert percent(0.62, "sv") == "62\u00a0%"


def test_unknown_language_falls_back_to_english():
    """An unknown language code gives English rather than an error."""
    assert t("nav_units", "xx") == "Units"


#: Every sentence key the shared headline choices (analyser.report.common) can return.
HEADLINE_KEYS = (
    "team", "one_team_inside", "one_team_crosses", "no_team", "projects", "silos_zero", "silos_one", "silos_other",
    "silos_single_yes", "silos_single_no", "silos_none_judged", "silos_not_tested", "silos_legacy_zero",
    "silos_legacy_one", "silos_legacy_other", "too_little_one", "too_little_other",
)  # fmt: skip


@pytest.mark.parametrize("key", HEADLINE_KEYS)
def test_every_headline_choice_has_words_in_both_languages_and_both_places(key):
    """The dashboard (headline_<key>) and the report (hl_<key>) word every choice, in English and Swedish."""
    from analyser.report.html_report import TEXTS

    assert t(f"headline_{key}", "en") and TEXT["sv"][f"headline_{key}"]
    assert TEXTS["en"][f"hl_{key}"] and TEXTS["sv"][f"hl_{key}"]


def test_headline_choices_stay_within_the_worded_keys():
    """Summaries of every shape lead only to worded keys."""
    from analyser.report.common import project_headline, silo_headline, unjudged_headline

    summaries = [{"projects": p, "team_projects": tp, "cross_unit_team_project_share": sh, "cross_unit_project_share": 0.5,
                  "significant_silos": k, "units_judged": j, "units": 9}
                 for p, tp, sh in ((9, 0, None), (9, 1, 0.0), (9, 1, 1.0), (9, 4, 0.5), (9, None, None))
                 for k, j in ((None, None), (0, 0), (1, 1), (0, 1), (0, 4), (1, 4), (3, 4), (2, None))]  # fmt: skip
    keys = {choice[0] for s in summaries for f in (project_headline, silo_headline, unjudged_headline)
            if (choice := f(s)) is not None}  # fmt: skip
    assert keys <= set(HEADLINE_KEYS) and len(keys) >= 14


@pytest.mark.parametrize("code", ["silo", "not_silo", "too_little_data", "none"])
def test_every_verdict_has_a_label_in_both_languages(code):
    """The grid's verdict labels exist in English and Swedish and differ."""
    assert t(f"verdict_{code}", "en") != t(f"verdict_{code}", "sv")


# -- the whole catalogue, file by file (issue 11) ----------------------------------------------

LOCALE_DIR = Path(__file__).resolve().parents[2] / "analyser" / "locale"
PO_FILES = sorted(p.name for p in (LOCALE_DIR / "en" / "LC_MESSAGES").glob("*.po"))


def _messages(lang: str, name: str) -> dict:
    from babel.messages.pofile import read_po

    with (LOCALE_DIR / lang / "LC_MESSAGES" / name).open("rb") as handle:
        return {m.id: m for m in read_po(handle) if m.id}


def _fields(text: str) -> set[str]:
    return set(re.findall(r"{(\w*)}", text))


def test_every_area_file_exists_in_both_languages():
    """Each area file of the English catalogue has its Swedish twin and the other way round."""
    assert PO_FILES and PO_FILES == sorted(p.name for p in (LOCALE_DIR / "sv" / "LC_MESSAGES").glob("*.po"))


@pytest.mark.parametrize("name", PO_FILES)
def test_each_area_file_has_the_same_keys_and_placeholders_in_both_languages(name):
    """A key lives in the same file in both languages, with the same {placeholders}, and no text is empty
    unless it is empty in both."""
    en, sv = _messages("en", name), _messages("sv", name)
    assert set(en) == set(sv), set(en) ^ set(sv)
    for key, message in en.items():
        assert _fields(message.string) == _fields(sv[key].string), key
        assert bool(message.string) == bool(sv[key].string), key


def _flags(lang: str, name: str) -> dict[str, set[str]]:
    """The flags (``#, ...`` lines) of each key, read from the file itself: Babel re-derives the
    format flags from the msgid, which here is a key without placeholders, and so drops them."""
    flags: dict[str, set[str]] = {}
    pending: set[str] = set()
    for line in (LOCALE_DIR / lang / "LC_MESSAGES" / name).read_text("utf-8").splitlines():
        if line.startswith("#,"):
            pending |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("msgid "):
            flags[line[len('msgid "'):-1]], pending = pending, set()
    return flags


@pytest.mark.parametrize("name", PO_FILES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_texts_with_placeholders_are_flagged_python_brace_format(name, lang):
    """gettext tools check a text's {placeholders} only when its entry carries the python-brace-format flag."""
    flags = _flags(lang, name)
    unflagged = [key for key, m in _messages(lang, name).items()
                 if _fields(m.string) and "python-brace-format" not in flags.get(key, set())]  # fmt: skip
    assert not unflagged, f"{lang}/{name}: {unflagged}"


#: Same English wording in the dashboard and the report, worded differently in Swedish on
#: purpose: a heading over the drill-down against a column name, a short column name against
#: the unit sheet's spelled-out one. (The other identical texts are kept as two keys, one per
#: area, and must stay worded alike.)
DIFFERENT_ON_PURPOSE = {"units_partners", "ties_internal"}


def test_the_dashboard_and_the_report_word_the_same_thing_alike():
    """Where a dashboard key and a report key share their English text, their Swedish is the same too."""
    dashboard, report = _messages("en", "dashboard.po"), _messages("en", "report.po")
    dashboard_sv, report_sv = _messages("sv", "dashboard.po"), _messages("sv", "report.po")
    by_text: dict[str, list[str]] = {}
    for key, message in report.items():
        by_text.setdefault(message.string, []).append(key)
    shared = [(key, other) for key, message in dashboard.items() if len(message.string) > 3
              for other in by_text.get(message.string, [])]  # fmt: skip
    assert len(shared) > 30
    different = {key for key, other in shared if dashboard_sv[key].string != report_sv[other].string}
    assert different == DIFFERENT_ON_PURPOSE, different


# -- the grids' and charts' own words ----------------------------------------------------------------

#: AG Grid texts every grid of the dashboard can show: pagination, filter menu, column menu, overlays.
GRID_KEYS = ("to", "of", "page", "nextPage", "previousPage", "firstPage", "lastPage", "filterOoo", "contains",
             "notContains", "equals", "notEqual", "startsWith", "endsWith", "lessThan", "greaterThan", "inRange",
             "blank", "notBlank", "andCondition", "orCondition", "noRowsToShow", "loadingOoo", "pinColumn",
             "sortAscending", "sortDescending", "autosizeThisColumn", "resetColumns", "columnFilter")  # fmt: skip


@pytest.mark.parametrize("lang", LANGUAGES)
def test_grids_get_their_own_words_from_the_catalogue(lang):
    """localeText covers pagination, the filter and column menus and the overlays, with the language's separators."""
    from dashboard.components import grid_locale_text

    text = grid_locale_text(lang)
    assert set(GRID_KEYS) <= set(text)
    assert text["decimalSeparator"] == number(0.5, lang)[1]


def test_swedish_grid_words_are_swedish():
    """The Swedish grid reads "1 till 20 av 600", "Sida 1 av 30" and "Innehåller"."""
    from dashboard.components import grid_locale_text

    sv, en = grid_locale_text("sv"), grid_locale_text("en")
    assert (sv["to"], sv["of"], sv["page"], sv["contains"]) == ("till", "av", "Sida", "Innehåller")
    assert [k for k in GRID_KEYS if sv[k] == en[k]] == []


def test_chart_words_are_keyed_by_plotlys_own_english():
    """Plotly looks its toolbar texts up by their English wording: each chart.* English text is one Plotly uses."""
    import plotly

    source = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text("utf-8")
    english = {key: text for key, text in TEXT["en"].items() if key.startswith("chart.")}
    assert len(english) > 15
    missing = [text for text in english.values() if f'"{text}"' not in source]
    assert not missing, missing


def test_graph_config_speaks_swedish():
    """A Swedish chart gets Plotly's Swedish toolbar and a decimal comma with a space between thousands."""
    from dashboard.components import graph_config

    config = graph_config("sv")
    locale = config["locales"][config["locale"]]
    assert locale["dictionary"]["Zoom in"] == "Zooma in" and locale["dictionary"]["Reset axes"] == "Återställ axlarna"
    assert (locale["format"]["decimal"], locale["format"]["thousands"]) == (",", "\u00a0")
    assert locale["format"]["months"][11] == "december" and config["displaylogo"] is False


def test_every_grid_and_chart_of_the_dashboard_goes_through_the_language_helpers():
    """No page builds an AgGrid or a dcc.Graph of its own: grids come from ag_grid, charts take graph_config."""
    for path in DASHBOARD.rglob("*.py"):
        source = path.read_text("utf-8")
        if path.name != "components.py":
            assert "dag.AgGrid(" not in source, f"{path.name} builds its own grid: use components.ag_grid"
        for call in re.findall(r"dcc\.Graph\((.*?)\)", source, flags=re.S):
            assert "graph_config(" in call, f"{path.name}: dcc.Graph({call.strip()[:60]}...) without graph_config"


def test_grid_numbers_follow_the_language():
    """Number columns format with the language's Intl locale, thousands grouped, z-scores with at most two decimals."""
    import polars as pl

    from dashboard.components import column_defs

    frame = pl.DataFrame({"unit": ["A"], "people": [1200], "projects": [3], "ei_index": [-0.5], "ei_z": [-96.228]})
    defs = {d["field"]: d for d in column_defs(frame, ["unit", "people", "projects", "ei_index", "ei_z"], "sv")}
    assert defs["unit"]["pinned"] == "left" and "valueFormatter" not in defs["unit"]
    assert defs["people"]["valueFormatter"]["function"] == "formatNumber(params.value, 'sv-SE', {maximumFractionDigits: 0})"
    assert defs["ei_z"]["valueFormatter"]["function"] == "formatScore(params.value, 'sv-SE')"
    assert all(defs[c]["type"] == "rightAligned" for c in ("people", "ei_index", "ei_z"))


def test_the_sample_dataset_is_named_in_the_readers_language():
    """The shipped sample reads "Exempelkommun (påhittad)" in Swedish; its stored name does not change."""
    from dashboard.app import dataset_choice
    from dashboard.data import SAMPLE_NAME
    from analyser.store import DatasetInfo

    datasets = [DatasetInfo("s", SAMPLE_NAME, "", "1", 1, "", ""), DatasetInfo("o", "Own roster", "", "2", 1, "", "")]
    options, _ = dataset_choice(datasets, None, "s", "sv")
    assert [o["label"] for o in options] == [t("sample_dataset_name", "sv"), "Own roster"]
    assert options[0]["label"] != SAMPLE_NAME and datasets[0].name == SAMPLE_NAME


# -- the report's methods and about tables ----------------------------------------------------------


@pytest.mark.parametrize("limit", [None, 10], ids=["full", "unit-level"])
def test_swedish_report_names_every_method_and_setting_in_swedish(limit):
    """The Swedish report's "how figures were estimated", skipped figures and "about" tables show no raw
    key or English description from the analysis' record."""
    from analyser.analysis import analyse
    from analyser.ingest import read_roster
    from analyser.report.html_report import _flat, render_body

    roster = read_roster(DASHBOARD.parent / "data" / "sample_rosters.csv")
    options = {} if limit is None else {"person_level_max_pairs": limit}
    analysis = analyse(roster, level=1, privacy="pseudonyms", **options)
    body = render_body(analysis, lambda figure, name: "", lang="sv")
    methods = re.sub(r"<[^>]+>", " ", body[body.index('id="methods"'):])
    english = [str(v) for k, v in _flat("", analysis.meta) if isinstance(v, str) and " " in str(v)]
    english += [item[part] for item in analysis.meta["skipped"] for part in ("metric", "reason")]
    keys = [k.split(".")[-1] for k, _ in _flat("", analysis.meta) if "_" in k.split(".")[-1]]
    assert english and keys
    assert [text for text in english if text in methods] == []
    assert [key for key in keys if re.search(rf"\b{key}\b", methods)] == []
    assert "Omblandningar i silotestet" in methods and "Källfil" in methods
