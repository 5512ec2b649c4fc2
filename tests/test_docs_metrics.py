"""docs/metrics.md documents every contract name of the analysis (summary and table columns)."""

from __future__ import annotations

import re
from pathlib import Path

from analyser.analysis import PEOPLE_COLUMNS, PROJECT_COLUMNS, SUMMARY_FIELDS, UNIT_COLUMNS, UNIT_LINK_COLUMNS

METRICS_DOC = Path(__file__).resolve().parents[1] / "docs" / "metrics.md"

CONTRACTS = {
    "SUMMARY_FIELDS": SUMMARY_FIELDS,
    "UNIT_COLUMNS": UNIT_COLUMNS,
    "PEOPLE_COLUMNS": PEOPLE_COLUMNS,
    "PROJECT_COLUMNS": PROJECT_COLUMNS,
    "UNIT_LINK_COLUMNS": UNIT_LINK_COLUMNS,
}

_HEADING = re.compile(r"^#{1,6}\s")
_BACKTICKED = re.compile(r"`([^`]+)`")


def heading_names(text: str) -> set[str]:
    """Names in backticks on the markdown heading lines of ``text`` (fenced code skipped).

    >>> sorted(heading_names("# A (`a`, `b`)\\ntext `c`\\n```\\n# `d`\\n```\\n### `e` and more"))
    ['a', 'b', 'e']
    """
    names: set[str] = set()
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and _HEADING.match(line):
            names.update(_BACKTICKED.findall(line))
    return names


def missing_names(text: str, contracts: dict[str, tuple[str, ...]]) -> list[str]:
    """``CONTRACT.name`` for every contract name without a heading entry in ``text``."""
    documented = heading_names(text)
    return [f"{group}.{name}" for group, names in contracts.items() for name in names if name not in documented]


def test_every_contract_name_has_a_heading_entry() -> None:
    """Each summary field and table column of the JSON contract has its own heading in docs/metrics.md."""
    missing = missing_names(METRICS_DOC.read_text(encoding="utf-8"), CONTRACTS)
    assert not missing, f"docs/metrics.md has no heading entry (`name` in a # heading) for: {', '.join(missing)}"


def test_an_undocumented_name_is_reported() -> None:
    """The check is real: a name with no heading entry is reported, one only in body text too."""
    text = METRICS_DOC.read_text(encoding="utf-8") + "\nBody text mentions `only_in_body`.\n"
    contracts = {"UNIT_COLUMNS": ("ei_index", "not_a_documented_column", "only_in_body")}
    assert missing_names(text, contracts) == ["UNIT_COLUMNS.not_a_documented_column", "UNIT_COLUMNS.only_in_body"]


_CODE_LINE = re.compile(r"^- Code: \[`(\w+)`\]\(\.\./([\w/]+\.py)\) · Tests: (.+)$")
_TEST_LINK = re.compile(r"\[`(\w+)`\]\(\.\./([\w/]+\.py)\)")


def _defined(path: Path) -> set[str]:
    return set(re.findall(r"^(?:async )?def (\w+)", path.read_text("utf-8"), flags=re.MULTILINE))


def test_every_metric_entry_links_its_function_and_tests():
    """Each metric heading is one hop from its code: a Code line naming a function that exists
    in the linked module, and tests that exist in the linked test files."""
    root = METRICS_DOC.parents[1]
    lines = METRICS_DOC.read_text("utf-8").splitlines()
    headings = [i for i, line in enumerate(lines) if re.match(r"^#{3,4} .*`", line)]
    assert len(headings) > 40
    for i in headings:
        window = lines[i + 1 : i + 6]
        found = [m for m in map(_CODE_LINE.match, window) if m]
        assert found, f"no Code line under {lines[i]!r}"
        function, module, tests = found[0].groups()
        assert function in _defined(root / module), (lines[i], function, module)
        links = _TEST_LINK.findall(tests)
        assert links, lines[i]
        for test, test_file in links:
            assert test in _defined(root / test_file), (lines[i], test, test_file)
