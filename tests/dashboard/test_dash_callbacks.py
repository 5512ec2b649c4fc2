"""The dashboard's callback bodies, called as plain functions on the shipped sample."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from dash import html

from analyser.analysis import SUMMARY_FIELDS
from analyser.store import DatasetInfo, Store
from dashboard.app import create_app, dataset_choice, level_options, settings_data
from dashboard.data import DashboardData, SAMPLE_NAME
from dashboard.settings import Settings, parse_settings
from dashboard.pages import bridges, export, network, overview, projects, units, upload
from tests.dashboard.component_text import texts


def _data_url(data: bytes, mime: str = "text/csv") -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode()


# -- shell -------------------------------------------------------------------------------


def test_empty_store_opens_on_the_sample(tmp_path):
    """create_app on an empty data dir stores the shipped sample under its name, once."""
    create_app(data_dir=tmp_path)
    create_app(data_dir=tmp_path)
    assert [d.name for d in Store(tmp_path).list()] == [SAMPLE_NAME]


def test_settings_round_trip_through_the_store_json():
    """What the controls write is what the pages read, with bad values defaulted."""
    s = parse_settings(settings_data("d1", "2", "pseudonyms", 3, ""))
    assert s == Settings("d1", 2, "pseudonyms", 3, None)
    assert parse_settings(settings_data("d1", None, "bad", -1, 1)) == Settings("d1", 1, "names", 5, None)


def test_dataset_choice_prefers_a_just_saved_dataset():
    """After an upload the new dataset is selected even if another was chosen."""
    d = [DatasetInfo("new", "N", "", "2", 1, "", ""), DatasetInfo("old", "O", "", "1", 1, "", "")]
    assert dataset_choice(d, {"select": "new"}, "old")[1] == "new"
    assert dataset_choice([], {"select": None}, None) == ([], None)


def test_level_options_follow_the_roster_levels(sample_data, sample_id):
    """The sample has two unit levels, so the selector offers two."""
    assert [o["value"] for o in level_options(sample_data.levels(sample_id), "en")] == ["1", "2"]


# -- overview ----------------------------------------------------------------------------


def test_overview_headline_and_cards(sample_data, settings_for):
    """The overview states the one-unit share of team projects and the silos among judged units, in eight cards."""
    headline, cards, elements, layout, heatmap, ei = overview.overview_view(sample_data.analysis(settings_for()), "en")
    assert headline.startswith("Of the 120 projects with two or more people, ") and "stay inside one unit" in headline
    assert "1 of the 8 units with enough data is a significant silo." in headline
    assert len(cards) == 8
    assert sum("source" not in e["data"] for e in elements) == 8
    assert heatmap.data and ei.data


def test_overview_in_swedish(sample_data, settings_for):
    """The Swedish headline is Swedish."""
    headline = overview.overview_view(sample_data.analysis(settings_for()), "sv")[0]
    assert headline.startswith("Av de 120 projekten med två eller fler personer stannar ") and "inom en enhet" in headline
    assert "1 av de 8 enheterna med tillräckligt underlag är en signifikant silo." in headline


def test_overview_without_dataset_says_so():
    """No dataset gives a message, no figures."""
    headline, cards, elements, _, _, _ = overview.overview_view(None, "en")
    assert "No dataset" in headline and cards == [] and elements == []


def test_level_two_has_more_units(sample_data, settings_for):
    """Switching the hierarchy level changes the analysis the pages draw."""
    one = sample_data.analysis(settings_for(level=1)).summary["units"]
    two = sample_data.analysis(settings_for(level=2)).summary["units"]
    assert two > one


# -- units -------------------------------------------------------------------------------


def test_units_table_is_sorted_most_closed_first(sample_data, settings_for):
    """The silo table starts with the unit of lowest E-I and has translated headers."""
    rows, defs = units.units_table(sample_data.analysis(settings_for()), "sv")
    ei = [r["ei_index"] for r in rows if r["ei_index"] is not None]
    assert ei == sorted(ei)
    assert {d["headerName"] for d in defs} >= {"Enhet", "Bedömning", "E-I-index", "Förväntat E-I (slumpvisa par)",
                                              "Förväntat E-I (omblandade enheter)", "q-värde"}  # fmt: skip


def test_unit_detail_lists_partners_carriers_and_projects(sample_data, settings_for, sample_id):
    """Drilling into a unit shows its partner units, its outside-tie carriers and its projects."""
    analysis = sample_data.analysis(settings_for())
    unit = analysis.units["unit"][0]
    memberships = sample_data.roster(sample_id).at_level(1)
    parts = units.unit_detail(analysis, memberships, unit, "en")
    ids = {getattr(p, "id", None) for p in parts}
    assert {"unit-partners", "unit-carriers", "unit-projects"} <= ids


def test_unit_detail_hides_people_in_aggregate_mode(sample_data, settings_for, sample_id):
    """In aggregate mode the drill-down names nobody."""
    analysis = sample_data.analysis(settings_for("aggregate"))
    names = set(sample_data.roster(sample_id).memberships["person"].to_list())
    unit = analysis.units.filter(~analysis.units["suppressed"])["unit"][0]
    text = texts(units.unit_detail(analysis, sample_data.roster(sample_id).at_level(1), unit, "en"))
    assert not any(name in text for name in names)


# -- bridges -----------------------------------------------------------------------------


def test_bridges_ranks_people_by_cross_unit_betweenness(sample_data, settings_for):
    """The people grid is in descending cross-unit betweenness, shown as the first figure, betweenness kept."""
    message, rows, defs, style, bar, _, _ = bridges.bridges_view(sample_data.analysis(settings_for()), "en")
    values = [r["cross_unit_betweenness"] for r in rows if r["cross_unit_betweenness"] is not None]
    assert message is None and values == sorted(values, reverse=True) and len(rows) == 600
    assert [d["field"] for d in defs][:4] == ["person", "unit", "cross_unit_betweenness", "betweenness"]
    assert list(bar.data[0].y)[::-1] == [r["person"] for r in rows[: len(bar.data[0].y)]]


@pytest.mark.parametrize("privacy", ["aggregate"])
def test_bridges_in_aggregate_mode_shows_no_person(sample_data, settings_for, sample_id, privacy):
    """Aggregate mode gives a message, no rows and no chart data."""
    message, rows, _, style, bar, _, risks = bridges.bridges_view(sample_data.analysis(settings_for(privacy)), "en")
    assert rows == [] and style == {"display": "none"} and not bar.data
    names = set(sample_data.roster(sample_id).memberships["person"].to_list())
    assert not any(n in texts([message, risks]) for n in names)


def test_bridges_in_pseudonym_mode_shows_codes(sample_data, settings_for):
    """Pseudonym mode lists P- codes only."""
    rows = bridges.bridges_view(sample_data.analysis(settings_for("pseudonyms")), "en")[1]
    assert rows and all(r["person"].startswith("P-") for r in rows)


# -- projects ----------------------------------------------------------------------------


def test_projects_summary_counts_cross_unit_projects(sample_data, settings_for):
    """The sentence and the grid agree on the number of projects."""
    summary, rows, _, _ = projects.projects_view(sample_data.analysis(settings_for()), "en")
    assert summary.endswith(f"of {len(rows)} projects include people from more than one unit.")


# -- network -----------------------------------------------------------------------------


def test_network_unit_map_and_cap(sample_data, settings_for, sample_id):
    """A unit's people are all drawn (with outside contacts beside them); a big project neighbourhood is capped with a message."""
    s = settings_for()
    net = sample_data.network(sample_id, 1, None)
    unit = net.units[0]
    elements, message = network.network_view(net, s, "unit", unit, None, b"", "en")
    nodes = [e for e in elements if "source" not in e["data"]]
    assert sum("focus" in e["classes"] for e in nodes) == int((net.person_unit == 0).sum())
    assert all(e["data"]["unit"] != unit for e in nodes if "contact" in e["classes"])
    biggest = max(net.projects, key=lambda p: net.incidence[:, [net.projects.index(p)]].nnz)
    elements, message = network.network_view(net, s, "project", biggest, None, b"", "en")
    drawn = sum("source" not in e["data"] for e in elements)
    assert drawn <= 150
    if drawn == 150:
        assert getattr(message, "id", None) == "network-capped"


def test_network_communities_are_offered_largest_first(sample_data, settings_for, sample_id):
    """Community options name their size, largest first."""
    net = sample_data.network(sample_id, 1, None)
    options = network.choice_options(net, "community", sample_data.communities(settings_for()), "en")
    sizes = [int(o["label"].split("(")[1].split()[0]) for o in options]
    assert sizes == sorted(sizes, reverse=True)


@pytest.mark.parametrize("privacy", ["names", "pseudonyms", "aggregate"])
def test_network_communities_are_the_analysis_communities(tmp_path, monkeypatch, privacy):
    """The Network page's "Community n" is community n of the people table and the exports;
    read from the analysis (no second Louvain run) whenever it has people."""
    from analyser.ingest import read_roster
    from analyser.metrics import structure
    from tests.shared_data import SAMPLE_ROSTER

    data = DashboardData(Store(tmp_path / "store"))
    info = data.store.save(read_roster(SAMPLE_ROSTER), name="Sample")
    settings = Settings(dataset=info.id, privacy=privacy)
    analysis = data.analysis(settings)
    calls = []
    louvain = structure.louvain_partitions
    monkeypatch.setattr(structure, "louvain_partitions", lambda *a, **k: calls.append(1) or louvain(*a, **k))
    ranks = data.communities(settings)
    assert bool(calls) == (privacy == "aggregate")
    net = data.network(info.id, 1, None)
    assert len(ranks) == len(net.people) and ranks.min() == 0
    sizes = np.bincount(ranks)
    assert (np.diff(sizes) <= 0).all()  # 0 is the largest community
    # in every mode, the communities the analysis reports with names (the library's one partition)
    named = data.analysis(Settings(dataset=info.id, privacy="names")).people
    by_name = dict(zip(named["person"], named["community"]))
    assert [by_name[p] - 1 for p in net.people] == ranks.tolist()


def test_network_in_aggregate_mode_has_no_map(sample_data, settings_for, sample_id):
    """Aggregate mode draws no person."""
    net = sample_data.network(sample_id, 1, None)
    elements, message = network.network_view(net, settings_for("aggregate"), "unit", net.units[0], None, b"", "en")
    assert elements == [] and message.id == "network-aggregate"


# -- export ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["html", "xlsx", "csv-zip", "json"])
def test_export_gives_a_download(sample_data, settings_for, fmt):
    """Each format gives a named download with content."""
    payload, _ = export.export_report(sample_data.analysis(settings_for()), fmt, SAMPLE_NAME, "en")
    assert payload["filename"].startswith("silo-report-sample-municipality-names")
    assert len(base64.b64decode(payload["content"])) > 100


def test_export_follows_the_page_language(sample_data, settings_for):
    """On the Swedish page the HTML report is Swedish; an unknown page language gives English."""
    analysis = sample_data.analysis(settings_for())
    swedish, message = export.export_report(analysis, "html", SAMPLE_NAME, "sv")
    page = base64.b64decode(swedish["content"]).decode("utf-8")
    assert '<html lang="sv">' in page and "Silotabell per enhet" in page
    assert texts(message).startswith("Hämtade silo-report-sample-municipality-names")
    other, _ = export.export_report(analysis, "html", SAMPLE_NAME, "xx")
    assert '<html lang="en">' in base64.b64decode(other["content"]).decode("utf-8")


def test_export_json_holds_the_contract(sample_data, settings_for):
    """The JSON download carries the summary contract fields."""
    payload, _ = export.export_report(sample_data.analysis(settings_for()), "json", SAMPLE_NAME, "en")
    body = json.loads(base64.b64decode(payload["content"]))
    assert set(SUMMARY_FIELDS) <= set(json.dumps(body).split('"'))


def test_export_failure_is_a_message_not_a_crash(sample_data, settings_for):
    """A format the report module cannot make (PDF while it is missing) gives a clear message."""
    payload, message = export.export_report(sample_data.analysis(settings_for()), "pdf", SAMPLE_NAME, "en")
    if payload is None:
        assert message.id == "export-error" and "PDF" in texts(message)
    else:
        assert base64.b64decode(payload["content"]).startswith(b"%PDF")


# -- upload ------------------------------------------------------------------------------


def test_upload_of_a_swedish_excel_export(swedish_excel_bytes):
    """A ';' cp1252 file is read, with a warning about its encoding, and can be accepted."""
    report, style, _, _, name, disabled, state = upload.check_contents(
        _data_url(swedish_excel_bytes), "export.csv", None, "en")  # fmt: skip
    assert disabled is False and state["ok"] and name == "export"
    assert "Windows-1252" in texts(report)
    assert style == {"display": "none"}


def test_upload_reports_rejected_lines():
    """Rows without a unit are rejected and reported with their line numbers."""
    data = b"project,person,unit\nP1,Anna,HR\nP1,Bo,\nP2,Cai,IT\nP2,,IT\n"
    report, *_ , state = upload.check_contents(_data_url(data), "bad.csv", None, "en")
    text = texts(report)
    assert state["ok"] and "3" in text and "5" in text and "missing value" in text


def test_upload_with_unknown_headers_offers_a_mapping():
    """Unrecognised headers open the mapping with the file's headers as options; the mapping then reads the file."""
    data = b"Vad;Vem;Var\nP1;Anna;HR\nP1;Bo;IT\n"
    report, style, options, values, _, disabled, state = upload.check_contents(_data_url(data), "x.csv", None, "en")
    assert style == {"display": "block"} and disabled is True and not state["ok"]
    assert [o["value"] for o in options[0]] == ["Vad", "Vem", "Var"]
    mapping = dict(zip(upload.COLUMNS, ["Vad", "Vem", "Var", None, None, None, None]))
    _, _, _, values, _, disabled, state = upload.check_contents(_data_url(data), "x.csv", mapping, "en")
    assert disabled is False and state["ok"] and values[:3] == ["Vad", "Vem", "Var"]


def test_accept_saves_and_opens_the_overview(tmp_path, swedish_excel_bytes):
    """Accepting stores the dataset under the given name and navigates to the overview."""
    data = DashboardData(Store(tmp_path))
    contents = _data_url(swedish_excel_bytes)
    state = upload.check_contents(contents, "export.csv", None, "en")[-1]
    message, changed, path = upload.accept_upload(data, contents, state, "Export 2026", "en")
    assert path == "/overview" and [d.name for d in data.store.list()] == ["Export 2026"]
    assert changed["select"] == data.store.list()[0].id


def test_accept_of_an_unusable_file_saves_nothing(tmp_path):
    """Nothing is stored when the file was not usable."""
    data = DashboardData(Store(tmp_path))
    upload.accept_upload(data, _data_url(b"a;b\n1;2\n"), {"filename": "x.csv", "ok": False}, "x", "en")
    assert data.store.list() == []


def test_rename_and_delete(tmp_path, swedish_excel_bytes):
    """Datasets can be renamed and deleted from the upload page."""
    data = DashboardData(Store(tmp_path))
    contents = _data_url(swedish_excel_bytes)
    upload.accept_upload(data, contents, upload.check_contents(contents, "e.csv", None, "en")[-1], "A", "en")
    dataset_id = data.store.list()[0].id
    upload.manage_dataset(data, "rename", dataset_id, "B", "en")
    assert data.store.info(dataset_id).name == "B"
    listing, options = upload.datasets_view(data.store.list(), "en")
    assert options == [{"label": "B", "value": dataset_id}]
    upload.manage_dataset(data, "delete", dataset_id, None, "en")
    assert data.store.list() == []


def test_language_rerenders_every_page_layout():
    """Every page layout builds in both languages (the router calls layout(lang=...))."""
    from dashboard.app import PAGES

    for page in PAGES:
        en, sv = texts(page.layout(lang="en")), texts(page.layout(lang="sv"))
        assert en != sv, page.__name__
        assert isinstance(page.layout(), html.Div)


# -- capped grids (large datasets) ---------------------------------------------------------


def test_bridges_grid_is_capped_to_the_top_of_the_ranking(sample_data, settings_for):
    """Past the limit the grid gets the best-ranked people and a note with the full count."""
    analysis = sample_data.analysis(settings_for())
    everyone = bridges.bridges_view(analysis, "en")[1]
    message, rows, *_ = bridges.bridges_view(analysis, "en", limit=50)
    assert rows == everyone[:50]
    assert message.id == "bridges-grid-note" and "Showing the 50 people" in message.children and "600" in message.children


def test_bridges_search_runs_over_everyone_on_the_server(sample_data, settings_for):
    """A unit typed in the search box finds its people even beyond the cap, best first."""
    analysis = sample_data.analysis(settings_for())
    unit = analysis.people.sort("cross_unit_betweenness", nulls_last=True)["unit"][0]  # a unit whose people rank low too
    message, rows, *_ = bridges.bridges_view(analysis, "en", unit.lower(), limit=10)
    wanted = analysis.people.filter(analysis.people["unit"].str.to_lowercase().str.contains(unit.lower(), literal=True))
    assert rows and all(unit.lower() in (r["unit"] + r["person"]).lower() for r in rows)
    assert f"{wanted.height} of 600 match" in message.children
    assert bridges.bridges_view(analysis, "en", "no such person")[1] == []


def test_bridges_search_in_pseudonym_mode_never_finds_a_name(sample_data, settings_for, sample_id):
    """With pseudonyms the search sees codes only, so typing a real name reveals nothing."""
    name = sample_data.roster(sample_id).memberships["person"][0]
    message, rows, *_ = bridges.bridges_view(sample_data.analysis(settings_for("pseudonyms")), "en", name)
    assert rows == [] and "Nothing matches" in message.children


def test_projects_grid_is_capped_and_searchable(sample_data, settings_for):
    """The grid is cut at the limit with a note; the summary still counts every project."""
    analysis = sample_data.analysis(settings_for())
    summary, rows, _, _, grid_message = projects.projects_page(analysis, "en", limit=5)
    total = analysis.projects.height
    assert len(rows) == 5 and summary.endswith(f"of {total} projects include people from more than one unit.")
    assert grid_message.id == "projects-grid-capped" and f"first 5 of {total}" in grid_message.children
    name = rows[3]["project"]
    found = projects.projects_page(analysis, "en", name)[1]
    assert name in [r["project"] for r in found] and all(name.lower() in r["project"].lower() for r in found)


def test_search_boxes_reach_the_callbacks(tmp_path):
    """The bridges and projects callbacks take the search box as input, through the Dash server."""
    from dashboard import ids
    from tests.dash_requests import callback_body, find_callback

    app = create_app(data_dir=tmp_path)
    dataset = Store(tmp_path).list()[0].id
    client = app.server.test_client()
    dependencies = client.get("/_dash-dependencies").get_json()
    values = {(ids.App.SETTINGS, "data"): settings_data(dataset, "1", "names", 5, None), (ids.App.LANG, "data"): "en",
              (ids.Bridges.SEARCH, "value"): "zz-no-match", (ids.Projects.SEARCH, "value"): "zz-no-match"}  # fmt: skip
    for fragment, search in ((ids.Bridges.BODY, ids.Bridges.SEARCH), (ids.Projects.SUMMARY, ids.Projects.SEARCH)):
        body = callback_body(find_callback(dependencies, fragment), lambda i, p: values.get((i, p)),
                             changed=[f"{search}.value"])  # fmt: skip
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code == 200
        assert "Nothing matches" in response.get_data(as_text=True)
