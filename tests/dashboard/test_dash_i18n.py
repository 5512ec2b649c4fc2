"""Tests of dashboard.i18n: both languages complete, every used key defined."""

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
from dashboard.i18n import TEXT, number, percent, t

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
    assert percent(0.62, "sv") == "62 %"


def test_unknown_language_falls_back_to_english():
    """An unknown language code gives English rather than an error."""
    assert t("nav_units", "xx") == "Units"
