"""A bare clone runs the reference-value tests: published cases live in tests/refcases/.

Only the large real rosters stay in ../shared/refcases/real beside the checkout; their path is
``shared_data.REAL_ROSTERS`` and the tests using it skip without it. No other test module may
build a path into ../shared.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from tests import shared_data

TESTS = Path(__file__).resolve().parent
#: A string that names ../shared as a path (messages with spaces, e.g. skip reasons, are fine).
SHARED_PATH = re.compile(r"^(\.\./)*shared(/|$)|(^|/)shared/refcases")


def _modules() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if p.name != "shared_data.py" and "refcases" not in p.parts)


def _offences(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value.strip()
            if text and not any(c.isspace() for c in text) and SHARED_PATH.search(text):
                found.append(f"line {node.lineno}: {text!r}")
        # REFCASES / "real": the real rosters are shared_data.REAL_ROSTERS, never in the repo
        if (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Div)
            and isinstance(node.left, ast.Name)
            and node.left.id == "REFCASES"
            and isinstance(node.right, ast.Constant)
            and node.right.value == "real"
        ):
            found.append(f"line {node.lineno}: REFCASES / 'real' (use REAL_ROSTERS)")
    return found


def test_no_test_module_builds_a_path_into_shared():
    """Only tests/shared_data.py names ../shared, and only for the real rosters."""
    offences = {str(p.relative_to(TESTS)): o for p in _modules() if (o := _offences(p))}
    assert not offences, f"use shared_data.REFCASES (in the repo) or REAL_ROSTERS: {offences}"


def test_only_the_real_rosters_come_from_shared():
    """Every Path that shared_data exposes under ../shared is ../shared itself or the real rosters."""
    outside = {
        name: value
        for name, value in vars(shared_data).items()
        if isinstance(value, Path) and value.is_relative_to(shared_data.SHARED)
    }
    assert outside == {"SHARED": shared_data.SHARED, "REAL_ROSTERS": shared_data.SHARED / "refcases" / "real"}


def test_refcases_are_in_the_repo_with_their_sources():
    """tests/refcases/ holds every case, each with a cited source, listed in its README."""
    assert shared_data.REFCASES == TESTS / "refcases"
    cases = sorted(p for p in shared_data.REFCASES.iterdir() if p.is_dir())
    assert cases, "tests/refcases/ is empty"
    assert not (shared_data.REFCASES / "real").exists(), "the real rosters stay outside the repo"
    readme = (shared_data.REFCASES / "README.md").read_text("utf-8")
    for case in cases:
        source = json.loads((case / "expected.json").read_text("utf-8")).get("source")
        assert source and ("repo" in source or "paper" in source), f"{case.name}: no source"
        assert f"`{case.name}`" in readme, f"{case.name} is not listed in tests/refcases/README.md"
        big = [f.name for f in case.iterdir() if f.stat().st_size > 200_000]
        assert not big, f"{case.name}: keep only what the tests use of {big}"
