"""Named toy rosters shared by the tests (each hand-worked in its docstring)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyser.roster import Roster

#: ../shared beside the checkout holds published reference values; CI has it too.
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REFCASES = SHARED / "refcases"
SAMPLE_ROSTER = Path(__file__).resolve().parents[1] / "data" / "sample_rosters.csv"

# fmt: off
TINY_ROWS = [
    ("P1", "ann", "A"), ("P1", "bob", "A"), ("P1", "cid", "A"),
    ("P2", "cid", "A"), ("P2", "dan", "B"),
    ("P3", "dan", "B"), ("P3", "eva", "B"),
    ("P4", "eva", "B"), ("P4", "fay", "C"), ("P4", "cid", "A"),
    ("P5", "gus", "D"),
]
# fmt: on


@pytest.fixture
def tiny_roster() -> Roster:
    """Four units, five projects, eight ties; worked by hand.

    Ties: P1 ann-bob ann-cid bob-cid; P2 cid-dan; P3 dan-eva; P4 eva-fay eva-cid fay-cid.
    Unit A: 3 internal, 3 external (E-I 0); B: 1 internal, 3 external (E-I 0.5);
    C (one person, fay): 0 internal, 2 external (E-I 1); D (gus, alone on P5): no ties.
    cid is the only person on the A-B ties; A-C hangs on cid-fay, B-C on eva-fay.
    """
    return Roster.from_rows(TINY_ROWS, source="tiny.csv")


def require_shared(path: Path) -> Path:
    """Skip the calling test with a clear reason when ../shared is not beside the checkout."""
    if not path.exists():
        pytest.skip(f"reference data not found at {path} (../shared is not beside this checkout)")
    return path
