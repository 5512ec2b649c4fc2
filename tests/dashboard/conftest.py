"""Fixtures of the dashboard unit tests: a store holding the shipped sample, and its analyses."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyser.store import Store
from dashboard.data import DashboardData, ensure_sample
from dashboard.settings import Settings


@pytest.fixture(scope="module")
def sample_data(tmp_path_factory: pytest.TempPathFactory) -> DashboardData:
    """A DashboardData over a fresh store into which the sample was loaded on first start."""
    store = Store(tmp_path_factory.mktemp("dash") / "data")
    ensure_sample(store)
    return DashboardData(store)


@pytest.fixture(scope="module")
def sample_id(sample_data: DashboardData) -> str:
    """Id of the sample dataset."""
    return sample_data.store.list()[0].id


@pytest.fixture(scope="module")
def settings_for(sample_id: str):
    """Settings on the sample in a privacy mode."""

    def make(privacy: str = "names", level: int = 1) -> Settings:
        return Settings(dataset=sample_id, level=level, privacy=privacy)

    return make


@pytest.fixture
def swedish_excel_bytes() -> bytes:
    """A roster as Swedish Excel saves CSV: ';' separated, Windows-1252, header Projekt;Namn;Enhet."""
    path = Path(__file__).resolve().parents[1] / "data" / "ingest" / "swedish_excel.csv"
    return path.read_bytes()
