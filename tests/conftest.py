"""Named toy rosters shared by the tests (each hand-worked in its docstring)."""

from __future__ import annotations

import pytest

from analyser.roster import Roster
from tests.shared_data import TINY_ROWS


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--screenshots``: the browser tests rewrite docs/screenshots/*.png (else a temporary folder)."""
    parser.addoption(
        "--screenshots",
        action="store_true",
        default=False,
        help="rewrite the README screenshots in docs/screenshots/ (also UPDATE_SCREENSHOTS=1); "
        "without it the browser tests save them to a temporary folder",
    )


@pytest.fixture
def tiny_roster() -> Roster:
    """Four units, five projects, eight ties; worked by hand.

    Ties: P1 ann-bob ann-cid bob-cid; P2 cid-dan; P3 dan-eva; P4 eva-fay eva-cid fay-cid.
    Unit A: 3 internal, 3 external (E-I 0); B: 1 internal, 3 external (E-I 0.5);
    C (one person, fay): 0 internal, 2 external (E-I 1); D (gus, alone on P5): no ties.
    cid is the only person on the A-B ties; A-C hangs on cid-fay, B-C on eva-fay.
    """
    return Roster.from_rows(TINY_ROWS, source="tiny.csv")
