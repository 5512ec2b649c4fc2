"""Tests for the synthetic roster generator in analyser.sample."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from analyser.roster import ROSTER_SCHEMA, Roster
from analyser.sample import (
    BRIDGE_ADMINISTRATION,
    KEY_LINK,
    KEY_PROJECT,
    OPENING_ADMINISTRATION,
    ORGANISATION,
    SAMPLE_COLUMNS,
    SILO_ADMINISTRATION,
    _add_months,
    _person_names,
    generate_roster,
    write_sample,
)

SHIPPED_SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample_rosters.csv"
ROLES = {"projektledare", "deltagare", "referensgrupp"}


@pytest.fixture(scope="module")
def default_roster() -> pl.DataFrame:
    """The default sample: 600 people, 120 projects, seed 42."""
    return generate_roster()


def with_admin(roster: pl.DataFrame) -> pl.DataFrame:
    """Add the administration (first level of the unit path) to each membership."""
    return roster.with_columns(admin=pl.col("unit").str.split("/").list.first())


def project_table(roster: pl.DataFrame) -> pl.DataFrame:
    """One row per project: lead's administration, start year index, cross-administration flag."""
    first = roster["start"].min()
    return (
        with_admin(roster)
        .group_by("project")
        .agg(
            lead=pl.col("admin").filter(pl.col("role") == "projektledare").first(),
            start=pl.col("start").min(),
            cross=pl.col("admin").n_unique() > 1,
        )
        .with_columns(year=pl.when(pl.col("start") < _add_months(first, 12)).then(1).otherwise(2))
    )


def cross_share(roster: pl.DataFrame, admin: str) -> dict[int, float]:
    """Share of an administration's projects (by lead) that take members from others, per year."""
    table = project_table(roster).filter(pl.col("lead") == admin)
    return dict(table.group_by("year").agg(pl.col("cross").mean()).iter_rows())


def assert_invariants(roster: pl.DataFrame, *, people: int, projects: int, start: dt.date, months: int) -> None:
    """Check every shape rule a generated roster promises."""
    assert roster.columns == list(SAMPLE_COLUMNS)
    assert roster.schema["start"] == pl.Date() and roster.schema["end"] == pl.Date()
    assert roster["person"].n_unique() == people, "everyone is on a project"
    assert roster["project"].n_unique() == projects
    assert roster.group_by("person").agg(pl.col("unit").n_unique())["unit"].max() == 1
    per_person = roster.group_by("person").len()["len"]
    assert 1 <= per_person.min() and per_person.max() <= 5
    assert not roster.select("project", "person").is_duplicated().any()
    leads = roster.group_by("project").agg((pl.col("role") == "projektledare").sum())["role"]
    assert (leads == 1).all()
    assert set(roster["role"].unique()) <= ROLES
    assert (roster["start"] <= roster["end"]).all()
    assert roster["start"].min() >= start
    assert roster["end"].max() <= _add_months(start, months) - dt.timedelta(days=1)
    allocation = roster["allocation"]
    assert ((allocation > 0) & (allocation <= 1)).all()
    assert ((allocation * 100).round() - allocation * 100).abs().max() < 1e-9, "two decimals"
    assert (roster["unit"].str.split("/").list.len() == 2).all()


def test_same_seed_gives_identical_frame():
    """Two runs with one seed give the same table."""
    assert_frame_equal(generate_roster(seed=7), generate_roster(seed=7))


def test_different_seed_gives_different_frame():
    """Another seed gives another roster."""
    assert not generate_roster(seed=7).equals(generate_roster(seed=8))


def test_same_seed_gives_identical_bytes(tmp_path: Path):
    """write_sample twice with one seed writes byte-identical files."""
    write_sample(tmp_path / "a.csv", people=120, projects=25, seed=5)
    write_sample(tmp_path / "b.csv", people=120, projects=25, seed=5)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


@pytest.mark.parametrize(
    ("people", "projects", "seed", "start", "months"),
    [
        (600, 120, 42, dt.date(2025, 1, 1), 24),
        (200, 40, 3, dt.date(2024, 3, 15), 24),
        (20, 5, 1, dt.date(2025, 1, 1), 24),
        (1, 1, 0, dt.date(2025, 1, 31), 1),
        (5000, 1000, 9, dt.date(2025, 1, 1), 36),
    ],
)
def test_invariants(people: int, projects: int, seed: int, start: dt.date, months: int):
    """Every documented shape rule holds across sizes, window starts and lengths."""
    roster = generate_roster(people=people, projects=projects, seed=seed, start=start, months=months)
    assert_invariants(roster, people=people, projects=projects, start=start, months=months)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    people=st.integers(1, 250),
    share=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**32 - 1),
    months=st.integers(1, 30),
    start=st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
)
def test_invariants_hold_for_any_small_input(people: int, share: float, seed: int, months: int, start: dt.date):
    """The shape rules hold for any size, seed and window, down to one person."""
    projects = max(1, round(share * people))
    roster = generate_roster(people=people, projects=projects, seed=seed, start=start, months=months)
    assert_invariants(roster, people=people, projects=projects, start=start, months=months)


def test_default_organisation_has_all_units(default_roster: pl.DataFrame):
    """The default has 8 administrations and all their departments, each with at least 5 people."""
    people = with_admin(default_roster).unique("person")
    assert people["admin"].n_unique() == len(ORGANISATION) == 8
    assert people["unit"].n_unique() == sum(len(depts) for _, depts in ORGANISATION)
    sizes = people.group_by("unit").len()["len"]
    assert sizes.min() >= 5
    assert sizes.max() >= 4 * sizes.min(), "unit sizes are skewed"


@pytest.mark.parametrize("people", [200, 300, 1000])
def test_every_department_has_five_people_from_200(people: int):
    """From 200 people on, every department exists with at least 5 people."""
    units = generate_roster(people=people, projects=people // 5, seed=1).unique("person").group_by("unit").len()
    assert units.height == 28
    assert units["len"].min() >= 5


def test_small_organisation_has_fewer_units():
    """Twenty people get a couple of units, and the opening administration is among them."""
    roster = with_admin(generate_roster(people=20, projects=5, seed=1))
    assert 1 < roster["unit"].n_unique() < 5
    assert OPENING_ADMINISTRATION in roster["admin"].to_list()


def test_project_sizes_follow_the_mix(default_roster: pl.DataFrame):
    """Most projects have 3-10 members, some 11-30, and 2-3 programmes 40-80."""
    sizes = default_roster.group_by("project").len()["len"]
    assert ((sizes >= 3) & (sizes <= 10)).mean() >= 0.6
    assert ((sizes >= 11) & (sizes <= 30)).sum() >= 5
    assert 2 <= ((sizes >= 40) & (sizes <= 80)).sum() <= 3


def test_programmes_span_several_administrations(default_roster: pl.DataFrame):
    """Each programme of 40+ members draws on at least three administrations."""
    programmes = with_admin(default_roster).group_by("project").agg(pl.len(), pl.col("admin").n_unique())
    assert (programmes.filter(pl.col("len") >= 40)["admin"] >= 3).all()


def test_most_projects_stay_in_one_administration(default_roster: pl.DataFrame):
    """A majority of projects are staffed inside one administration."""
    assert project_table(default_roster)["cross"].mean() < 0.5


@pytest.mark.parametrize("seed", [42, 1, 2, 3])
def test_opening_administration_opens_in_year_two(seed: int):
    """The opening administration's cross-administration share rises clearly from year 1 to year 2."""
    share = cross_share(generate_roster(seed=seed), OPENING_ADMINISTRATION)
    assert share[1] <= 0.15
    assert share[2] - share[1] >= 0.3


@pytest.mark.parametrize("seed", [42, 1, 2, 3])
def test_silo_administration_stays_closed(seed: int):
    """The silo administration has at most one cross-administration project a year, under 10 % overall."""
    projects = project_table(generate_roster(seed=seed)).filter(pl.col("lead") == SILO_ADMINISTRATION)
    assert projects.group_by("year").agg(pl.col("cross").sum())["cross"].max() <= 1
    assert projects["cross"].mean() < 0.1


def test_bridge_administration_is_in_most_cross_projects(default_roster: pl.DataFrame):
    """The central office has members in more cross-administration projects than any other."""
    cross = project_table(default_roster).filter("cross")["project"]
    counts = (
        with_admin(default_roster)
        .filter(pl.col("project").is_in(cross.implode()))
        .group_by("admin")
        .agg(pl.col("project").n_unique())
        .sort("project", descending=True)
    )
    assert counts["admin"][0] == BRIDGE_ADMINISTRATION
    assert counts["project"][0] >= 1.3 * counts["project"][1]


@pytest.mark.parametrize("seed", [42, 1, 2])
def test_key_person_is_the_sole_link(seed: int):
    """Only KEY_PROJECT mixes the two KEY_LINK administrations, through one person of the first."""
    roster = with_admin(generate_roster(seed=seed))
    both = roster.group_by("project").agg(
        a=(pl.col("admin") == KEY_LINK[0]).sum(), b=(pl.col("admin") == KEY_LINK[1]).sum()
    ).filter((pl.col("a") > 0) & (pl.col("b") > 0))
    assert both["project"].to_list() == [KEY_PROJECT]
    assert both["a"].to_list() == [1]


def test_person_names_are_unique_at_scale():
    """Names stay unique at 20 000 people; most are a plain first and last name."""
    import numpy as np

    names = _person_names(20_000, np.random.default_rng(0))
    assert len(set(names)) == 20_000
    assert (np.char.count(names.astype(str), " ") == 1).mean() > 0.1


def test_names_are_swedish(default_roster: pl.DataFrame):
    """Units and names use å, ä and ö, and projects have unique readable names."""
    text = " ".join(default_roster.unique("person")["person"]) + " ".join(default_roster["unit"].unique())
    assert {"å", "ä", "ö"} <= set(text)
    assert default_roster["project"].n_unique() == 120


def test_checked_in_sample_matches_generator(tmp_path: Path):
    """data/sample_rosters.csv is exactly what write_sample() writes with the defaults."""
    if not SHIPPED_SAMPLE.exists():
        pytest.fail(f"{SHIPPED_SAMPLE} is missing; run analyser.sample.write_sample on it")
    write_sample(tmp_path / "sample.csv")
    assert (tmp_path / "sample.csv").read_bytes() == SHIPPED_SAMPLE.read_bytes()


def test_csv_reads_back_as_the_frame(tmp_path: Path):
    """The CSV has the documented header and reads back to the same table."""
    path = tmp_path / "roster.csv"
    expected = write_sample(path, people=60, projects=12, seed=4)
    assert path.read_text(encoding="utf-8").splitlines()[0] == "project,person,unit,role,start,end,allocation"
    result = pl.read_csv(path, schema={name: ROSTER_SCHEMA[name] for name in SAMPLE_COLUMNS})
    assert_frame_equal(result, expected)


def test_roster_accepts_the_frame(default_roster: pl.DataFrame):
    """Roster.from_frame keeps every row and the canonical column types."""
    roster = Roster.from_frame(default_roster, source="sample")
    assert len(roster) == default_roster.height
    assert roster.memberships.select(SAMPLE_COLUMNS).equals(default_roster)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"people": 20, "projects": 120}, "must not exceed people"),
        ({"people": 0}, "at least 1"),
        ({"months": 0}, "at least 1"),
    ],
)
def test_rejects_impossible_sizes(kwargs: dict[str, int], message: str):
    """Sizes that cannot make a roster raise ValueError saying why."""
    with pytest.raises(ValueError, match=message):
        generate_roster(**kwargs)


def test_default_is_fast():
    """600 people take well under a second."""
    begin = time.perf_counter()
    generate_roster()
    assert time.perf_counter() - begin < 1.0


@pytest.mark.slow
def test_large_organisation_is_fast_and_valid():
    """100 000 people in 20 000 projects take under 10 s and keep the shape rules."""
    begin = time.perf_counter()
    roster = generate_roster(people=100_000, projects=20_000, seed=1)
    assert time.perf_counter() - begin < 10.0
    assert_invariants(roster, people=100_000, projects=20_000, start=dt.date(2025, 1, 1), months=24)
