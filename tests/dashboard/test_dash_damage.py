"""The dashboard with a damaged store: it starts, says what is wrong, and keeps the rest usable."""

from __future__ import annotations

import json

import pytest

from analyser.store import Store
from dashboard import ids
from dashboard.app import create_app
from dashboard.data import DashboardData, ensure_sample
from dashboard.pages.upload import accept_upload
from tests.dash_requests import callback_body, find_callback

SETTINGS = {"level": "1", "privacy": "names", "min_group_size": 5, "max_project_size": None}


def _call(app, fragment: str, values: dict, changed: str) -> dict:
    """POST one callback as the browser would; returns the response JSON (asserting 200)."""
    client = app.server.test_client()
    dependency = find_callback(client.get("/_dash-dependencies").get_json(), fragment)
    body = callback_body(dependency, lambda i, p: values.get((i, p)), changed=[changed])
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()["response"]


def _alert(app, dataset: str | None) -> str:
    values = {(ids.App.DATASET, "value"): dataset, (ids.App.DATASETS_CHANGED, "data"): {"select": None},
              (ids.App.LANG, "data"): "en"}  # fmt: skip
    return json.dumps(_call(app, ids.App.DATASET_ERROR, values, f"{ids.App.DATASET}.value"))


def _choices(app) -> dict:
    values = {(ids.App.DATASETS_CHANGED, "data"): {"select": None}, (ids.App.DATASET, "value"): None}
    return _call(app, f"{ids.App.DATASET}.options", values, f"{ids.App.DATASETS_CHANGED}.data")[ids.App.DATASET]


@pytest.fixture
def damaged_manifest_dir(tmp_path):
    """A data folder whose manifest.json is not JSON any more."""
    Store(tmp_path / "data")
    (tmp_path / "data" / "manifest.json").write_text("{not json")
    return tmp_path / "data"


def test_app_starts_on_a_damaged_manifest_and_says_so(damaged_manifest_dir):
    """create_app does not crash; pages load, the dataset list is empty and an alert explains."""
    app = create_app(data_dir=damaged_manifest_dir)
    assert app.server.test_client().get("/overview").status_code == 200
    assert _choices(app) == {"options": [], "value": None}
    alert = _alert(app, None)
    assert "store-error" in alert and "cannot be read" in alert and "manifest.json" in alert
    assert (damaged_manifest_dir / "manifest.json").read_text() == "{not json"  # never overwritten


def test_saving_onto_a_damaged_manifest_is_a_message(damaged_manifest_dir, tiny_roster):
    """Accepting an upload when the list cannot be read shows an error instead of failing the request."""
    data = DashboardData(Store(damaged_manifest_dir))
    contents = "data:text/csv;base64,cHJvamVjdCxwZXJzb24sdW5pdApQMSxhbm4sQQpQMSxib2IsQgo="
    message, _changed, _redirect = accept_upload(data, contents, {"filename": "r.csv", "ok": True}, "r", "en")
    assert "could not be saved" in str(message) and "damaged" in str(message)
    assert not [p for p in (damaged_manifest_dir / "datasets").iterdir()]


@pytest.fixture
def one_broken(tmp_path, tiny_roster):
    """A store with the sample (intact) and a dataset whose roster file is corrupted."""
    store = Store(tmp_path / "data")
    good = ensure_sample(store)
    bad = store.save(tiny_roster, name="Broken roster")
    (tmp_path / "data" / "datasets" / bad.id / "roster.parquet").write_bytes(b"PAR1garbagePAR1")
    return tmp_path / "data", good.id, bad.id


def test_broken_dataset_shows_an_error_and_others_still_work(one_broken):
    """Both datasets stay in the dropdown; the broken one gets an alert naming it, the good one none
    and its overview still renders."""
    folder, good, bad = one_broken
    app = create_app(data_dir=folder)
    options = _choices(app)["options"]
    assert {o["value"] for o in options} == {good, bad}
    alert = _alert(app, bad)
    assert "dataset-error" in alert and "Broken roster" in alert and "other datasets are not affected" in alert
    assert _alert(app, good) == json.dumps({ids.App.DATASET_ERROR: {"children": None}})
    values = {(ids.App.SETTINGS, "data"): {"dataset": good, **SETTINGS}, (ids.App.LANG, "data"): "en"}
    headline = _call(app, ids.Overview.HEADLINE, values, f"{ids.App.SETTINGS}.data")[ids.Overview.HEADLINE]
    assert "units" in headline["children"]
    values[(ids.App.SETTINGS, "data")] = {"dataset": bad, **SETTINGS}
    _call(app, ids.Overview.HEADLINE, values, f"{ids.App.SETTINGS}.data")  # answers, does not fail


def test_broken_dataset_can_be_deleted(one_broken):
    """The way out the message suggests works: deleting the broken dataset removes its files."""
    folder, good, bad = one_broken
    store = Store(folder)
    store.delete(bad)
    assert [d.id for d in store.list()] == [good]
    assert not (folder / "datasets" / bad).exists()
