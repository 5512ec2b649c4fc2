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
