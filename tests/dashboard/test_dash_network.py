"""Tests of the person maps (dashboard.network_map), the Network page's choices and the person page.

Pure builders are called directly; the privacy tests also post the callbacks as a browser
would (a viewer asking for names), so what protects the names is the server, not the page.
"""

from __future__ import annotations

import base64
import json
import math
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest

from analyser.analysis import analyse
from analyser.ingest import read_roster
from analyser.network import build_network
from analyser.person import person_codes
from analyser.privacy import pseudonym
from analyser.roster import Roster
from analyser.store import Store
from dashboard import ids
from dashboard.app import create_app, settings_data
from dashboard.data import ensure_sample
from dashboard.selection import network_withheld_units
from dashboard.settings import Settings
from dashboard.network_map import (
    LABEL_ALL,
    OTHER_COLOUR,
    PERSON_MAP_STYLESHEET,
    UNIT_COLOURS,
    ego_elements,
    legend_entries,
    person_network_elements,
    place,
)
from dashboard.pages import bridges, network, person
from dashboard.security import require_login
from tests.dash_requests import callback_body
from tests.dashboard.component_text import texts as component_text
from tests.shared_data import REAL_ROSTERS, SAMPLE_ROSTER, require_shared

CODE = "P-"


def _nodes(elements: list[dict]) -> list[dict]:
    return [e for e in elements if "source" not in e["data"]]


def _edges(elements: list[dict]) -> list[dict]:
    return [e for e in elements if "source" in e["data"]]


def _classes(element: dict) -> set[str]:
    return set(element.get("classes", "").split())


@pytest.fixture(scope="module")
def uboot():
    """The U-Boot MAINTAINERS roster (../shared): 150 people in 70 units, most of one or two people."""
    roster = read_roster(require_shared(REAL_ROSTERS / "uboot.csv"))
    return build_network(roster, level=1), analyse(roster, level=1, n_permutations=99)


@pytest.fixture(scope="module")
def sample():
    """The shipped sample at levels 1 and 2: networks and analyses."""
    roster = read_roster(SAMPLE_ROSTER)
    return {level: (build_network(roster, level=level), analyse(roster, level=level, n_permutations=99)) for level in (1, 2)}


def _default_unit(net, analysis, withheld=frozenset()):
    options = network.choice_options(net, "unit", None, "en", withheld, analysis.units)
    return network.default_choice(net, "unit", options, analysis)


# -- the opening choice ---------------------------------------------------------------------------


def test_default_unit_of_uboot_is_its_largest_silo_not_the_first_one_person_unit(uboot):
    """U-Boot's alphabetically first unit has one person; the map opens on bootlin.com, its one silo."""
    net, analysis = uboot
    assert net.unit_size[0] == 1  # what the page used to open on
    choice = _default_unit(net, analysis)
    assert choice == "bootlin.com"
    assert net.unit_size[net.units.index(choice)] > 1


@pytest.mark.parametrize("level", [1, 2])
def test_default_unit_of_the_sample_is_the_largest_silo(sample, level):
    """On the sample the map opens on the largest significant silo (several people)."""
    net, analysis = sample[level]
    choice = _default_unit(net, analysis)
    silos = analysis.units.filter(analysis.units["verdict"] == "silo").sort("people", descending=True)
    assert choice == silos["unit"][0] and net.unit_size[net.units.index(choice)] > 1


def test_default_unit_without_silos_is_the_largest_unit():
    """No verdicts (or no silo): the largest unit, never the one-person unit that sorts first."""
    net = build_network(Roster.from_rows([("P1", "aa", "A"), ("P1", "bo", "B"), ("P1", "cy", "B"), ("P2", "di", "C")]))
    options = network.choice_options(net, "unit", None, "en")
    assert network.default_choice(net, "unit", options) == "B"


def test_default_project_is_a_team_whose_map_fits(sample):
    """Project mode opens on a team (not a programme of hundreds) whose neighbourhood fits on the map."""
    net, analysis = sample[1]
    options = network.choice_options(net, "project", None, "en")
    choice = network.default_choice(net, "project", options, analysis)
    members = net.incidence[:, [net.projects.index(choice)]].nnz
    assert 2 <= members <= network.TEAM_MAX
    elements, _ = network.network_view(net, Settings(dataset="x"), "project", choice, None, b"", "en")
    assert len(_nodes(elements)) <= 150 and any("focus" in _classes(n) for n in _nodes(elements))


def test_unit_options_carry_size_and_silo_in_words(uboot):
    """Each unit option says how many people it has (one person in words) and marks the silo."""
    net, analysis = uboot
    labels = {o["value"]: o["label"] for o in network.choice_options(net, "unit", None, "en", (), analysis.units)}
    assert labels["bootlin.com"] == "bootlin.com (7 people, significant silo)"
    assert labels[net.units[0]].endswith("(one person)")
    assert not any("1 people" in label for label in labels.values())


# -- the unit map ------------------------------------------------------------------------------------


def test_unit_map_shows_outside_contacts_coloured_by_their_unit(uboot):
    """bootlin.com's map holds its 7 people and the 3 people of other units they work with,
    coloured by unit: the unit in the first colour, each contact in its own unit's."""
    net, _ = uboot
    elements, message = network.network_view(net, Settings(dataset="x"), "unit", "bootlin.com", None, b"", "en")
    nodes = _nodes(elements)
    inside = [n for n in nodes if "focus" in _classes(n)]
    outside = [n for n in nodes if "contact" in _classes(n)]
    assert len(inside) == 7 and {n["data"]["unit"] for n in inside} == {"bootlin.com"}
    assert len(outside) == 3 and "bootlin.com" not in {n["data"]["unit"] for n in outside}
    assert {n["data"]["colour"] for n in inside} == {UNIT_COLOURS[0]}
    assert UNIT_COLOURS[0] not in {n["data"]["colour"] for n in outside}
    assert component_text(message) == "7 people in the unit and 3 outside contacts who work with them; 10 ties."
    outward = [e for e in _edges(elements) if "outward" in _classes(e)]
    assert outward and all("cross" in _classes(e) for e in outward)


def test_unit_map_has_a_legend_of_this_unit_and_the_outside_contacts(uboot):
    """The legend names the unit as "this unit", then the outside contacts' units with their counts."""
    net, _ = uboot
    elements, _ = network.network_view(net, Settings(dataset="x"), "unit", "bootlin.com", None, b"", "en")
    legend = component_text(network.network_legend(elements, "unit", "bootlin.com", "en"))
    assert "bootlin.com: this unit (7 people)" in legend
    assert "Outside contacts, by their unit:" in legend
    for unit, colour, count in legend_entries(elements)[1:]:
        assert unit in legend and colour != UNIT_COLOURS[0]
    assert "Dark lines: ties between the unit and its outside contacts." in legend
    assert network.network_legend([], "unit", "bootlin.com", "en") is None


def test_legend_of_many_units_groups_the_rest(sample):
    """A map with more units than colours lists the first ones and "Other units" in grey."""
    net, _ = sample[2]
    people = np.arange(len(net.people))[:150]
    elements, _, _ = person_network_elements(net, people)
    entries = legend_entries(elements)
    assert len({n["data"]["unit"] for n in _nodes(elements)}) > len(UNIT_COLOURS)
    assert entries[-1][0] == "" and entries[-1][1] == OTHER_COLOUR
    assert [c for _, c, _ in entries[:-1]] == list(UNIT_COLOURS)
    assert sum(n for _, _, n in entries) == len(_nodes(elements))
    assert "Other units" in component_text(network.network_legend(elements, "community", "0", "en"))


def test_bridge_people_are_larger_and_labelled(sample):
    """On a big map only people with ties to other units are labelled, the one with most first;
    bridges are drawn larger than people without such ties."""
    net, analysis = sample[1]
    choice = _default_unit(net, analysis)
    elements, _ = network.network_view(net, Settings(dataset="x"), "unit", choice, None, b"", "en")
    nodes = _nodes(elements)
    assert len(nodes) > LABEL_ALL
    labelled = [n for n in nodes if "labelled" in _classes(n)]
    assert labelled and all(n["data"]["cross"] > 0 for n in labelled)
    top = max(nodes, key=lambda n: n["data"]["cross"])
    assert "labelled" in _classes(top) and top["data"]["size"] == 32.0
    plain = [n for n in nodes if n["data"]["cross"] == 0]
    assert plain and max(n["data"]["size"] for n in plain) < min(n["data"]["size"] for n in labelled)


def test_labels_do_not_overlap(sample):
    """No two names shown at once sit within one label box (90 × 30 px) of each other."""
    net, analysis = sample[1]
    for mode, choice in (("unit", "Tekniska förvaltningen"), ("community", "0")):
        communities = analysis.people["community"].to_numpy() - 1 if mode == "community" else None
        elements, _ = network.network_view(net, Settings(dataset="x"), mode, choice, communities, b"", "en")
        shown = [n["position"] for n in _nodes(elements) if "labelled" in _classes(n)]
        for i, a in enumerate(shown):
            for b in shown[i + 1 :]:
                assert abs(a["x"] - b["x"]) >= 92 or abs(a["y"] - b["y"]) >= 30


def test_small_maps_name_everyone(uboot):
    """A map of at most LABEL_ALL people labels every person."""
    net, _ = uboot
    elements, _ = network.network_view(net, Settings(dataset="x"), "unit", "bootlin.com", None, b"", "en")
    assert all("labelled" in _classes(n) for n in _nodes(elements))


def test_label_font_is_at_least_10_px_and_no_wheel_setting():
    """Names are set at 12 px or more (drawn at a zoom near 1), and no map sets wheelSensitivity."""
    sizes = [rule["style"]["font-size"] for rule in PERSON_MAP_STYLESHEET if "font-size" in rule["style"]]
    assert sizes and min(sizes) >= 12
    for page in (network, person):
        text = json.dumps(page.layout("en").to_plotly_json(), default=str)
        assert "wheelSensitivity" not in text


# -- layout -----------------------------------------------------------------------------------------


def _radii(elements):
    xy = np.array([[n["position"]["x"], n["position"]["y"]] for n in _nodes(elements)])
    return np.linalg.norm(xy - xy.mean(axis=0), axis=1)


def test_project_map_is_laid_out_as_a_graph_not_a_ring(sample):
    """Project mode: people are not all on one circle (the old concentric ring), but spread by their ties."""
    net, analysis = sample[1]
    choice = network.default_choice(net, "project", network.choice_options(net, "project", None, "en"), analysis)
    elements, _ = network.network_view(net, Settings(dataset="x"), "project", choice, None, b"", "en")
    radii = _radii(elements)
    assert len(radii) > 20 and radii.std() / radii.mean() > 0.2


def test_positions_fill_the_box_and_never_overlap(sample):
    """Positions lie in the 820 × 540 box (fitted at zoom ≈ 1 by the page) and no two dots touch."""
    net, _ = sample[1]
    people = np.flatnonzero(net.person_unit == net.units.index("Utbildningsförvaltningen"))
    elements, drawn, _ = person_network_elements(net, people)
    placed = place(elements)
    xy = np.array([[n["position"]["x"], n["position"]["y"]] for n in _nodes(placed)])
    span = xy.max(axis=0) - xy.min(axis=0)
    assert span[0] <= 820 + 1 and span[1] <= 540 + 1 and (span[0] > 700 or span[1] > 460)
    distance = np.linalg.norm(xy[:, None] - xy[None, :], axis=2) + np.eye(len(xy)) * 1e9
    assert distance.min() > 12  # the diameter of a plain dot


def test_layout_is_deterministic_and_independent_of_element_copies(uboot):
    """The same elements always get the same positions (the layout is seeded and ordered)."""
    net, _ = uboot
    elements, _, _ = person_network_elements(net, np.arange(len(net.people)))
    assert place(elements) == place(json.loads(json.dumps(elements)))


def test_preset_layout_changes_with_the_map(uboot):
    """The layout prop changes whenever positions change, so cytoscape applies them and fits the view."""
    from dashboard.network_map import preset_layout

    net, _ = uboot
    a, _ = network.network_view(net, Settings(dataset="x"), "unit", "bootlin.com", None, b"", "en")
    b, _ = network.network_view(net, Settings(dataset="x"), "unit", "linaro.org", None, b"", "en")
    assert preset_layout(a)["name"] == "preset" and preset_layout(a) != preset_layout(b)


# -- the person map builder (moved from dashboard.figures) --------------------------------------------


def _net():
    rows = [("P1", "ann", "A"), ("P1", "bob", "A"), ("P1", "cid", "B"), ("P2", "cid", "B"), ("P2", "dan", "B")]
    return build_network(Roster.from_rows(rows))


def test_person_map_uses_pseudonyms_when_asked():
    """In pseudonym mode every label, id and link is the salted code, never the name."""
    net = _net()
    els, drawn, chosen = person_network_elements(net, np.arange(4), privacy="pseudonyms", salt=b"s")
    codes = {pseudonym(n, b"s") for n in net.people}
    assert {e["data"]["label"] for e in _nodes(els)} == codes
    assert {e["data"]["person"] for e in _nodes(els)} == codes == {e["data"]["id"] for e in _nodes(els)}
    assert drawn == chosen == 4


def test_person_map_draws_nobody_in_aggregate_mode():
    """Aggregate mode returns no elements at all."""
    assert person_network_elements(_net(), np.arange(4), privacy="aggregate")[0] == []


def test_person_map_is_capped_to_the_best_connected():
    """Above the cap, the people with most ties in the selection are kept."""
    els, drawn, chosen = person_network_elements(_net(), np.arange(4), cap=1)
    assert (drawn, chosen) == (1, 4)
    assert [e["data"]["label"] for e in els] == ["cid"]  # cid has 3 ties, the most


def test_person_map_cap_keeps_the_focus_people_who_carry_outside_ties():
    """With focus people, outside contacts keep a third of the places and the focus people with
    outside ties come first: the bridges are never capped away."""
    rows = [(f"T{i}", f"m{i:02d}", "A") for i in range(9)] + [("T0", "m01", "A"), ("X", "m05", "A"), ("X", "out", "B")]
    net = build_network(Roster.from_rows(rows))
    members = np.flatnonzero(net.person_unit == 0)
    everyone = np.arange(len(net.people))
    els, drawn, _ = person_network_elements(net, everyone, focus=members, cap=3)
    labels = {e["data"]["label"] for e in _nodes(els)}
    assert drawn == 3 and {"m05", "out"} <= labels


def test_person_map_edges_are_ties_inside_the_selection():
    """Edges join chosen people who share a project, once per pair, weighted by Newman's 1/(n-1)."""
    els, _, _ = person_network_elements(_net(), np.array([0, 1, 2]))
    edges = sorted((e["data"]["source"], e["data"]["target"], e["data"]["weight"]) for e in _edges(els))
    assert edges == [("p0", "p1", 0.5), ("p0", "p2", 0.5), ("p1", "p2", 0.5)]


# -- privacy on the network page ------------------------------------------------------------------


def test_pseudonym_map_and_legend_show_codes_only(sample):
    """With pseudonyms every node (label, id, link) is a code; neither elements nor legend hold a name."""
    net, _ = sample[1]
    names = set(net.people)
    s = Settings(dataset="x", privacy="pseudonyms")
    elements, message = network.network_view(net, s, "unit", "Tekniska förvaltningen", None, b"salt", "en")
    nodes = _nodes(elements)
    assert nodes and all(n["data"]["label"].startswith(CODE) and n["data"]["person"] == n["data"]["id"] for n in nodes)
    text = json.dumps(elements, ensure_ascii=False) + component_text(network.network_legend(elements, "unit", "x", "en"))
    assert not any(name in text for name in names)


def test_aggregate_mode_draws_no_map(sample):
    """Aggregate mode: no elements, a note instead."""
    net, _ = sample[1]
    elements, message = network.network_view(net, Settings(dataset="x", privacy="aggregate"), "unit",
                                             "Tekniska förvaltningen", None, b"", "en")  # fmt: skip
    assert elements == [] and message.id == "network-aggregate"


# -- the person page ----------------------------------------------------------------------------------


def _view(net, analysis, privacy, who, salt=b"salt", **settings):
    s = Settings(dataset="x", privacy=privacy, **settings)
    return person.person_view(net, analysis, s, who, salt, "en")


def test_person_page_shows_units_projects_roles_and_ego_map(sample):
    """A bridge's page names their unit, the units they reach with counts, their projects with their
    units, their brokerage roles, the unit pairs that hang on them and an ego map with a legend."""
    net, analysis = sample[1]
    top = analysis.people.sort("sole_bridges", descending=True).row(0, named=True)
    view = _view(net, analysis, "names", top["person"])
    head, tables, lists = component_text(view.head), component_text(view.tables), component_text(view.lists)
    assert top["person"] in head and top["unit"] in head
    assert "Units reached" in tables and "Brokerage roles" in tables and "Gatekeeper" in tables
    assert "runs through this person" in tables
    assert "Projects" in lists and "Units on the project" in lists
    nodes = _nodes(view.elements)
    assert "ego" in _classes(nodes[0]) and nodes[0]["data"]["label"] == top["person"]
    assert len(nodes) == top["collaborators"] + 1 or len(nodes) == 151
    assert view.map_style == {} and "Colour = unit" in component_text(view.legend)


def test_person_page_in_pseudonym_mode_shows_codes_only(sample):
    """With pseudonyms a name finds nobody; the code opens the page, where every person is a code."""
    net, _ = sample[1]
    roster = read_roster(SAMPLE_ROSTER)
    analysis = analyse(roster, level=1, privacy="pseudonyms", salt=b"salt", n_permutations=9)
    name = analysis.people.sort("cross_unit_betweenness", descending=True)["person"][0]  # a code already
    real = next(n for n in net.people if pseudonym(n, b"salt") == name)
    missing = _view(net, analysis, "pseudonyms", real)
    assert component_text(missing.head).startswith("Person") and missing.elements == []
    assert "found by their code only" in component_text(missing.head)
    view = _view(net, analysis, "pseudonyms", name)
    text = " ".join(component_text(part) for part in (view.head, view.figures, view.tables, view.legend, view.lists))
    text += json.dumps(view.elements, ensure_ascii=False)
    assert name in text and not any(n in text for n in net.people)
    assert all(n["data"]["person"].startswith(CODE) for n in _nodes(view.elements))


def test_person_page_leaves_out_withheld_units(sample):
    """With pseudonyms and a high minimum group size, nobody of a withheld unit is found or listed."""
    net, _ = sample[1]
    withheld = network_withheld_units(net, "pseudonyms", 30)
    assert withheld
    hidden_code = pseudonym(net.people[int(np.flatnonzero(net.person_unit == net.units.index(sorted(withheld)[0]))[0])], b"salt")
    assert _view(net, None, "pseudonyms", hidden_code, min_group_size=30).elements == []
    codes = person_codes(net, b"salt")
    shown = next(c for c, i in codes.items() if net.units[net.person_unit[i]] not in withheld
                 and net.adjacency[[i]].nnz > 0)  # fmt: skip
    view = _view(net, None, "pseudonyms", shown, min_group_size=30)
    units = {n["data"]["unit"] for n in _nodes(view.elements)}
    assert units and not units & withheld
    assert not any(u in component_text(view.lists) for u in withheld)


def test_person_page_is_off_in_aggregate_mode(sample):
    """Aggregate mode: the page says person detail is off and shows nobody."""
    net, analysis = sample[1]
    view = _view(net, analysis, "aggregate", net.people[0])
    assert view.elements == [] and view.tables is None and view.lists is None
    assert "off in aggregate mode" in component_text(view.head)
    assert net.people[0] not in component_text(view.head)


def test_person_page_without_an_id_says_where_to_choose(sample):
    """Opened bare, the page points to the Bridges, Network and Units pages."""
    net, analysis = sample[1]
    assert "Bridges, Network or Units" in component_text(_view(net, analysis, "names", None).head)


def test_person_page_and_map_speak_swedish(sample):
    """In Swedish the page, its tables and the map's legend and counts are Swedish (no English left)."""
    net, analysis = sample[1]
    view = person.person_view(net, analysis, Settings(dataset="x"), "Emma Sandberg", b"", "sv")
    text = " ".join(component_text(part) for part in (view.head, view.tables, view.legend, view.lists))
    assert "Arbetar i Tekniska förvaltningen" in text and "Förmedlarroller" in text and "Färg = enhet" in text
    assert "Every tie" not in text and "Projects" not in text
    elements, message = network.network_view(net, Settings(dataset="x"), "unit", "Tekniska förvaltningen", None, b"", "sv")
    assert component_text(message).startswith("83 personer i enheten och 16 kontakter utanför enheten")
    assert "vald enhet" in component_text(network.network_legend(elements, "unit", "Tekniska förvaltningen", "sv"))


def test_person_links_carry_the_shown_id():
    """Links and the Bridges click go to /person?id=<name or code>, the id URL-encoded."""
    href = person.person_href("Åsa Öberg")
    assert parse_qs(urlparse(href).query) == {"id": ["Åsa Öberg"]} and urlparse(href).path == "/person"
    assert bridges.clicked_person({"colId": "person", "value": "P-ABCDEFGH"}) == "P-ABCDEFGH"
    assert bridges.clicked_person({"colId": "unit", "value": "A"}) is None and bridges.clicked_person(None) is None


def test_ego_map_centres_on_the_person_with_collaborators_coloured_by_unit(sample):
    """The ego map holds the person (ego, own unit's colour) and each collaborator in their unit's colour."""
    from analyser.person import person_detail

    net, _ = sample[1]
    detail = person_detail(net, net.people[0])
    elements = ego_elements(detail)
    nodes = _nodes(elements)
    assert nodes[0]["data"]["person"] == detail.person and nodes[0]["data"]["colour"] == UNIT_COLOURS[0]
    by_unit = {}
    for n in nodes:
        by_unit.setdefault(n["data"]["unit"], set()).add(n["data"]["colour"])
    assert all(len(colours) == 1 for colours in by_unit.values())
    assert len(_edges(elements)) >= len(nodes) - 1


# -- through the server, as a browser would ---------------------------------------------------------


PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The dashboard on the sample with an analyst (ann) and a viewer (vic, pseudonyms only)."""
    folder = tmp_path_factory.mktemp("person") / "data"
    store = Store(folder)
    ensure_sample(store)
    app = create_app(data_dir=folder)
    require_login(app.server, {"ann": PASSWORD, "vic": PASSWORD}, roles={"ann": "analyst"})
    info = store.list()[0]
    app.test_salt = bytes.fromhex(info.salt)
    return app, info.id, sorted(set(read_roster(SAMPLE_ROSTER).memberships["person"].to_list()))


def _post_person(app, user, dataset, who, privacy="names"):
    client = app.server.test_client()
    headers = {"Authorization": "Basic " + base64.b64encode(f"{user}:{PASSWORD}".encode()).decode()}
    dependencies = client.get("/_dash-dependencies", headers=headers).get_json()
    (dependency,) = [d for d in dependencies if f"{ids.Person.HEAD}.children" in d["output"]]
    values = {(ids.App.SETTINGS, "data"): settings_data(dataset, "1", privacy, 5, None),
              (ids.App.LANG, "data"): "en", (ids.Person.WHO, "data"): who}  # fmt: skip
    body = callback_body(dependency, lambda i, p: values.get((i, p)), changed=[f"{ids.Person.WHO}.data"])
    response = client.post("/_dash-update-component", json=body, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return json.dumps(response.get_json(), ensure_ascii=False)


def test_a_viewer_asking_for_a_name_gets_nobody(served):
    """vic may see pseudonyms only: posting a real name (and privacy "names") finds nobody."""
    app, dataset, names = served
    answer = _post_person(app, "vic", dataset, "Emma Sandberg")
    assert not any(name in answer for name in names) and "person-missing" in answer


def test_an_analyst_sees_the_named_person(served):
    """ann (analyst) gets Emma Sandberg's page with names: the control of the test above."""
    app, dataset, _ = served
    answer = _post_person(app, "ann", dataset, "Emma Sandberg")
    assert "Emma Sandberg" in answer and "Miljöförvaltningen" in answer


def test_a_viewer_with_a_code_gets_codes_only(served):
    """vic posting Emma Sandberg's code sees her page, with codes for her and her collaborators."""
    app, dataset, names = served
    code = pseudonym("Emma Sandberg", app.test_salt)
    answer = _post_person(app, "vic", dataset, code)
    assert code in answer and not any(name in answer for name in names)
    assert answer.count(CODE) > 10


def test_unit_detail_links_its_carriers_to_their_pages(sample):
    """The Units page lists the people carrying a unit's outside ties as links to their pages."""
    from dashboard.pages import units

    net, analysis = sample[1]
    unit = "Tekniska förvaltningen"
    parts = units.unit_detail(analysis, None, unit, "en")
    links = [c for c in _walk(parts) if type(c).__name__ == "Link"]
    assert links and all(link.href.startswith("/person?id=") for link in links)
    shown = {parse_qs(urlparse(link.href).query)["id"][0] for link in links}
    assert shown <= set(analysis.people.filter(analysis.people["unit"] == unit)["person"])


def _walk(component):
    if isinstance(component, (list, tuple)):
        for c in component:
            yield from _walk(c)
        return
    yield component
    children = getattr(component, "children", None)
    if children is not None and not isinstance(children, str):
        yield from _walk(children)
