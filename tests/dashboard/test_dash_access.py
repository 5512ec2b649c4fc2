"""Who sees what, enforced on the server: login roles, the privacy floor, and the person map
with pseudonyms (issue 12 item 7; docs/security.md, "Roles and the privacy floor").

Every callback that reads the settings is posted as the browser would, with privacy "names",
and its answer searched for the sample's real names (and, under an aggregate floor, for codes).
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
import zipfile
from typing import Any

import numpy as np
import pytest

from analyser.ingest import read_roster
from analyser.privacy import pseudonym
from analyser.store import Store
from dashboard import ids
from dashboard.app import create_app, settings_data
from dashboard.data import DashboardData, SAMPLE_PATH
from dashboard.selection import network_withheld_units
from dashboard.settings import Settings, parse_settings
from dashboard.network_map import person_network_elements
from dashboard.pages import network
from dashboard.security import require_login
from tests.dash_requests import callback_body

PASSWORD = "correct horse battery"
CODE = re.compile(r"P-[A-Z2-7]{8}")
EXPORTS = ("json", "xlsx", "csv-zip", "html")
#: Units withheld at level 1 of the sample with at least 30 people per unit (28, then 52 and 53).
SMALL_GROUP = 30


class Browser:
    """A logged-in browser on an app: posts callbacks with chosen values, as the renderer would."""

    def __init__(self, app, user: str | None):
        self.client = app.server.test_client()
        token = base64.b64encode(f"{user}:{PASSWORD}".encode()).decode()
        self.headers = {"Authorization": f"Basic {token}"} if user else {}
        self.dependencies = self.client.get("/_dash-dependencies", headers=self.headers).get_json()

    def post(self, dependency: dict, values: dict, changed: str, wildcards: dict | None = None) -> tuple[int, Any]:
        body = callback_body(dependency, lambda i, p: _value(values, i, p), changed=[changed], wildcards=wildcards)
        response = self.client.post("/_dash-update-component", json=body, headers=self.headers)
        assert response.status_code in (200, 204), response.get_data(as_text=True)[:500]
        return response.status_code, (response.get_json() if response.status_code == 200 else None)

    def callback(self, fragment: str) -> dict:
        (found,) = [d for d in self.dependencies if fragment in d["output"]]
        return found


def _value(values: dict, cid: Any, prop: str) -> Any:
    if isinstance(cid, dict):  # an export button: clicked when it is the format asked for
        return 1 if cid.get("fmt") == values.get("fmt") else 0
    return values.get((cid, prop))


def _reads_settings(dependency: dict) -> bool:
    return any(d["id"] == ids.App.SETTINGS for d in dependency["inputs"] + dependency["state"])


def _text(answer: Any) -> str:
    """A callback answer as text a person would read: JSON without escapes, downloads decoded."""
    parts = [json.dumps(answer, ensure_ascii=False)]
    for output in (answer or {}).get("response", {}).values():
        download = output.get("data") if isinstance(output, dict) else None
        if isinstance(download, dict) and "content" in download:
            parts.append(_download_text(base64.b64decode(download["content"])))
    return html.unescape("\n".join(parts))


def _download_text(content: bytes) -> str:
    if content.startswith(b"PK"):  # xlsx and the csv zip: every member's text
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    text = content.decode("utf-8", "replace")
    try:
        return json.dumps(json.loads(text), ensure_ascii=False)
    except ValueError:
        return text


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> dict[str, Any]:
    """A data folder with the sample twice (the Trends page compares datasets), its names and choices."""
    folder = tmp_path_factory.mktemp("access") / "data"
    store = Store(folder)
    roster = read_roster(SAMPLE_PATH)
    first = store.save(roster, name="Sample").id
    other = store.save(roster, name="Sample again").id
    data = DashboardData(store)
    net = data.network(first, 1, None)
    biggest = max(net.units, key=lambda u: int((net.person_unit == net.units.index(u)).sum()))
    names = sorted(set(roster.memberships["person"].to_list()))
    return {"folder": folder, "dataset": first, "other": other, "names": names, "unit": biggest,
            "project": net.projects[0], "salt": data.salt(first)}  # fmt: skip


def _app(sample, floor: str = "names"):
    """The dashboard on the sample with an analyst (ann) and a viewer without a role (vic)."""
    app = create_app(data_dir=sample["folder"], privacy_floor=floor)
    require_login(app.server, {"ann": PASSWORD, "vic": PASSWORD}, roles={"ann": "analyst"})
    return app


@pytest.fixture(scope="module")
def open_app(sample):
    return _app(sample)


@pytest.fixture(scope="module")
def aggregate_app(sample):
    return _app(sample, "aggregate")


def _values(sample, fmt: str | None = None, **settings: Any) -> dict:
    """What a browser on each page would send, asking for names."""
    chosen = settings_data(sample["dataset"], "1", "names", settings.get("min_group", 5), None)
    return {
        (ids.App.SETTINGS, "data"): chosen, (ids.App.LANG, "data"): "en",
        (ids.Units.GRID, "cellClicked"): {"rowId": sample["unit"], "colId": "unit"},
        (ids.Network.MODE, "value"): "unit", (ids.Network.CHOICE, "value"): sample["unit"],
        (ids.Plan.PEOPLE, "search_value"): "", (ids.Plan.PEOPLE, "value"): sample["names"][:2],
        (ids.Plan.APPLY, "n_clicks"): 1, (ids.Plan.NAME, "value"): "Test", (ids.Plan.COUNTS, "rowData"): [],
        (ids.Trends.PERIOD, "value"): "year", (ids.Trends.FROM, "value"): "2025", (ids.Trends.TO, "value"): "2026",
        (ids.Trends.OTHER, "value"): sample["other"], "fmt": fmt,
    }  # fmt: skip


def _answers(app, user: str, sample) -> dict[str, str]:
    """Output -> answer text of every callback that reads the settings, and of each export format."""
    browser = Browser(app, user)
    answers: dict[str, str] = {}
    for dependency in filter(_reads_settings, browser.dependencies):
        trigger = dependency["inputs"][0]
        if trigger["id"].startswith("{"):  # the export buttons: one request per format below
            continue
        _, answer = browser.post(dependency, _values(sample), f"{trigger['id']}.{trigger['property']}")
        answers[dependency["output"]] = _text(answer)
    export = browser.callback(ids.Export.DOWNLOAD)
    buttons = {"export-button": [ids.export_button(f) for f in ("html", "xlsx", "csv-zip", "json", "pdf")]}
    for fmt in EXPORTS:
        changed = json.dumps(ids.export_button(fmt), sort_keys=True, separators=(",", ":")) + ".n_clicks"
        _, answer = browser.post(export, _values(sample, fmt), changed, wildcards=buttons)
        answers[f"export {fmt}"] = _text(answer)
    return answers


def _named(answers: dict[str, str], names: list[str]) -> set[str]:
    """The answers that hold a real name."""
    return {key for key, text in answers.items() if any(name in text for name in names)}


#: Answers that show people by name to an analyst (so the viewer's tests search where names are).
PERSON_OUTPUTS = (ids.Bridges.BODY, ids.Units.DETAIL, ids.Network.MAP, f"{ids.Plan.PEOPLE}.options", "export json",
                  "export xlsx")  # fmt: skip


def _report_meta(answers: dict[str, str]) -> dict:
    """The ``meta`` of the downloaded JSON report (after the callback's own answer, on its own line)."""
    return json.loads(answers["export json"].split("\n", 1)[1])["meta"]


def _with(answers: dict[str, str], fragment: str) -> str:
    (key,) = [k for k in answers if fragment in k]
    return answers[key]


# -- roles ------------------------------------------------------------------------------------


def test_an_analyst_sees_names_where_the_pages_show_people(open_app, sample):
    """The control of the tests below: these requests do reach person-level output."""
    answers = _answers(open_app, "ann", sample)
    named = _named(answers, sample["names"])
    assert all(any(fragment in key for key in named) for fragment in PERSON_OUTPUTS), named


def test_a_viewer_asking_for_names_gets_pseudonyms_on_every_callback_and_export(open_app, sample):
    """vic (no role: a viewer) sends privacy "names" everywhere: no real name comes back; the
    person outputs hold codes instead (pseudonymised, not merely emptied)."""
    answers = _answers(open_app, "vic", sample)
    assert _named(answers, sample["names"]) == set()
    for fragment in PERSON_OUTPUTS:
        assert CODE.search(_with(answers, fragment)), fragment
    assert _report_meta(answers)["privacy"] == "pseudonyms"


def test_the_settings_store_and_the_dropdown_follow_the_role(open_app, sample):
    """The page offers a viewer no names and says why; the settings it stores are pseudonyms."""
    for user, offered, note in (("ann", ["names", "pseudonyms", "aggregate"], None),
                                ("vic", ["pseudonyms", "aggregate"], "Names are not shown to your login (role viewer).")):  # fmt: skip
        browser = Browser(open_app, user)
        _, answer = browser.post(browser.callback(f"{ids.App.PRIVACY}.options"), {(ids.App.LANG, "data"): "en",
                                 (ids.App.PRIVACY, "value"): "names"}, f"{ids.App.LANG}.data")  # fmt: skip
        control = answer["response"][ids.App.PRIVACY]
        assert [o["value"] for o in control["options"]] == offered and control["value"] == offered[0]
        assert answer["response"][ids.App.PRIVACY_NOTE]["children"] == note
        values = {(ids.App.DATASET, "value"): sample["dataset"], (ids.App.LEVEL, "value"): "1",
                  (ids.App.PRIVACY, "value"): "names", (ids.App.MIN_GROUP, "value"): 5}  # fmt: skip
        _, answer = browser.post(browser.callback(f"{ids.App.SETTINGS}.data"), values, f"{ids.App.PRIVACY}.value")
        assert answer["response"][ids.App.SETTINGS]["data"]["privacy"] == offered[0]


def test_the_role_comes_from_the_server_not_the_cookie(open_app, sample):
    """A viewer's session cookie (after one basic login) still gets pseudonyms, and a request
    without a known user, if one ever got through, would see nothing personal."""
    browser = Browser(open_app, "vic")
    browser.headers = {}  # from here on only the session cookie
    values = _values(sample)
    _, answer = browser.post(browser.callback(ids.Bridges.BODY), values, f"{ids.App.SETTINGS}.data")
    assert _named({"b": _text(answer)}, sample["names"]) == set() and CODE.search(_text(answer))
    with open_app.server.test_request_context():
        assert parse_settings({"privacy": "names"}).privacy == "aggregate"  # no user in flask.g


# -- the server's floor -------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["ann", "vic"])
def test_aggregate_floor_gives_no_person_output_anywhere(aggregate_app, sample, user):
    """--privacy-floor aggregate: no name and no code on any page's callbacks or in any export
    (JSON, XLSX, CSV, HTML), for an analyst too."""
    answers = _answers(aggregate_app, user, sample)
    assert _named(answers, sample["names"]) == set()
    assert {key for key, text in answers.items() if CODE.search(text)} == set()
    assert _report_meta(answers)["privacy"] == "aggregate"


def test_aggregate_floor_offers_aggregate_only_and_says_it_is_the_server(aggregate_app):
    browser = Browser(aggregate_app, "ann")
    _, answer = browser.post(browser.callback(f"{ids.App.PRIVACY}.options"), {(ids.App.LANG, "data"): "sv",
                             (ids.App.PRIVACY, "value"): "names"}, f"{ids.App.LANG}.data")  # fmt: skip
    assert [o["value"] for o in answer["response"][ids.App.PRIVACY]["options"]] == ["aggregate"]
    assert "bara aggregerade" in answer["response"][ids.App.PRIVACY_NOTE]["children"]


def test_floor_without_a_login_applies_to_everyone(sample):
    """A server without a login (e.g. --no-login) holds every request to its floor."""
    app = create_app(data_dir=sample["folder"], privacy_floor="pseudonyms")
    browser = Browser(app, None)
    _, answer = browser.post(browser.callback(ids.Bridges.BODY), _values(sample), f"{ids.App.SETTINGS}.data")
    assert _named({"b": _text(answer)}, sample["names"]) == set() and CODE.search(_text(answer))


# -- the person map with pseudonyms ---------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_net(sample):
    data = DashboardData(Store(sample["folder"]))
    return data, data.network(sample["dataset"], 1, None)


def _nodes(elements: list[dict]) -> list[dict]:
    return [e["data"] for e in elements if "source" not in e["data"]]


def test_pseudonym_node_ids_do_not_follow_the_names_order(sample, sample_net):
    """Ids are the codes, elements sorted by them: the real names of the nodes, read in element
    order, are not in alphabetical order (with p<index> ids they were)."""
    _, net = sample_net
    people = np.flatnonzero(net.person_unit == net.units.index(sample["unit"]))
    elements, drawn, _ = person_network_elements(net, people, privacy="pseudonyms", salt=sample["salt"])
    nodes = _nodes(elements)
    real = {pseudonym(net.people[i], sample["salt"]): net.people[i] for i in people}
    node_ids = [n["id"] for n in nodes]
    assert drawn > 20 and set(node_ids) <= set(real) and node_ids == sorted(node_ids)
    assert [n["label"] for n in nodes] == node_ids
    in_order = [real[i] for i in node_ids]
    assert in_order != sorted(in_order)
    edges = [e["data"] for e in elements if "source" in e["data"]]
    assert edges and {e["source"] for e in edges} | {e["target"] for e in edges} <= set(node_ids)
    assert [(e["source"], e["target"]) for e in edges] == sorted((e["source"], e["target"]) for e in edges)
    assert not any(name in json.dumps(elements, ensure_ascii=False) for name in sample["names"])


def test_pseudonym_cap_does_not_pick_by_name_order(sample_net):
    """Above the cap, people with equal ties are kept in code order, not alphabetical order."""
    _, net = sample_net
    people = np.arange(len(net.people))
    degree = np.sort(np.asarray(net.adjacency.sum(axis=1)).ravel())[::-1]
    cap = next(k for k in range(20, len(degree)) if degree[k - 1] == degree[k])  # a tie at the cut
    keep_names = {n["label"] for n in _nodes(person_network_elements(net, people, cap=cap)[0])}
    codes = _nodes(person_network_elements(net, people, privacy="pseudonyms", salt=b"s", cap=cap)[0])
    assert len(codes) == cap and {pseudonym(n, b"s") for n in keep_names} != {n["label"] for n in codes}


def test_withheld_units_are_the_analysis_withheld_units(sample, sample_net):
    """The map withholds exactly the units the pseudonymised tables withhold."""
    data, net = sample_net
    analysis = data.analysis(Settings(dataset=sample["dataset"], privacy="pseudonyms", min_group_size=SMALL_GROUP))
    suppressed = set(analysis.units.filter(analysis.units["suppressed"])["unit"])
    assert len(suppressed) == 3
    assert network_withheld_units(net, "pseudonyms", SMALL_GROUP) == suppressed
    assert network_withheld_units(net, "names", SMALL_GROUP) == frozenset()


@pytest.mark.parametrize("mode", ["unit", "community", "project"])
def test_withheld_units_are_neither_offered_nor_drawn(sample, sample_net, mode):
    """With pseudonyms: no withheld unit among the choices; whatever is chosen (a withheld unit
    included), no person of a withheld unit is drawn and no node names one."""
    data, net = sample_net
    s = Settings(dataset=sample["dataset"], privacy="pseudonyms", min_group_size=SMALL_GROUP)
    withheld = network_withheld_units(net, s.privacy, s.min_group_size)
    communities = data.communities(s) if mode == "community" else None
    options = network.choice_options(net, mode, communities, "en", withheld)
    assert not withheld & {o["value"] for o in options}
    hidden = {pseudonym(net.people[i], sample["salt"]) for i in np.flatnonzero(
        np.isin(net.person_unit, [net.units.index(u) for u in withheld]))}  # fmt: skip
    choices = [o["value"] for o in options] + (sorted(withheld) if mode == "unit" else [])
    drawn = 0
    for choice in choices:
        elements, _ = network.network_view(net, s, mode, choice, communities, sample["salt"], "en")
        text = json.dumps(elements, ensure_ascii=False)
        assert not any(unit in text for unit in withheld), choice
        assert not hidden & {n["id"] for n in _nodes(elements)}, choice
        drawn += len(_nodes(elements))
    assert drawn > 0


def test_withheld_units_through_the_server(open_app, sample):
    """A viewer's unit list on the Network page leaves out the withheld units; posting one
    anyway draws nothing."""
    browser = Browser(open_app, "vic")
    values = _values(sample, min_group=SMALL_GROUP)
    _, answer = browser.post(browser.callback(f"{ids.Network.CHOICE}.options"), values, f"{ids.App.SETTINGS}.data")
    offered = {o["value"] for o in answer["response"][ids.Network.CHOICE]["options"]}
    assert "Miljöförvaltningen" not in offered and sample["unit"] in offered
    values[(ids.Network.CHOICE, "value")] = "Miljöförvaltningen"
    _, answer = browser.post(browser.callback(f"{ids.Network.MAP}.elements"), values, f"{ids.Network.CHOICE}.value")
    assert answer["response"][ids.Network.MAP]["elements"] == []
