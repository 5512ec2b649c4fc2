"""Paths and rows shared by test modules in every folder (imported as ``shared_data``)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Published reference values (small inputs, expected numbers, sources): in the repo, see its README.
REFCASES = Path(__file__).resolve().parent / "refcases"
#: ../shared beside the checkout holds the large real rosters, and only they are read from there;
#: tests using them skip without it (tests/test_refcases_in_repo.py keeps it that way).
SHARED = ROOT.parent / "shared"
REAL_ROSTERS = SHARED / "refcases" / "real"
SAMPLE_ROSTER = ROOT / "data" / "sample_rosters.csv"

# fmt: off
TINY_ROWS = [
    ("P1", "ann", "A"), ("P1", "bob", "A"), ("P1", "cid", "A"),
    ("P2", "cid", "A"), ("P2", "dan", "B"),
    ("P3", "dan", "B"), ("P3", "eva", "B"),
    ("P4", "eva", "B"), ("P4", "fay", "C"), ("P4", "cid", "A"),
    ("P5", "gus", "D"),
]
# fmt: on


def require_shared(path: Path) -> Path:
    """Skip the calling test with a clear reason when ../shared is not beside the checkout."""
    if not path.exists():
        pytest.skip(f"reference data not found at {path} (../shared is not beside this checkout)")
    return path
