"""English wording of the HTML and PDF reports and their figures (Swedish has the same keys).

Values with ``{name}`` are filled with :meth:`str.format`; user text is escaped before filling.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FIGURE_TEXT", "HTML_TEXT", "PDF_TEXT", "UNIT_SHEET_TEXT"]

HTML_TEXT: dict[str, Any] = {
    "lang": "en",
    "decimal": ".",
    "thousands": ",",
    "title": "Collaboration silo report",
    "subtitle": "Source: {source} · generated {generated} · analyser {version}",
    "privacy_badge": "Privacy mode: {mode}",
    "privacy_modes": {
        "names": "names (people shown as uploaded)",
        "pseudonyms": "pseudonyms (people shown as stable codes)",
        "aggregate": "aggregate (no person-level figures)",
    },
    "contents": "Contents",
    "undefined": "–",
    "withheld": "withheld",
    "yes": "yes",
    "no": "no",
    # 1. Data check
    "h_data_check": "1. Data check",
    "data_counts": "{memberships} memberships were analysed. {rejected} row(s) were rejected and "
    "{warnings} warning(s) were noted.",
    "data_file_errors": "{n} problem(s) concern a whole file.",
    "data_clean": "No problems were found in the data.",
    "problems_summary": "Show all {n} findings",
    "col_where": "Where",
    "col_column": "Column",
    "col_severity": "Severity",
    "col_message": "Message",
    "severity": {"error": "row rejected", "warning": "warning"},
    # 2. Headlines
    "h_headlines": "2. Headline figures",
    "hl_counts": "{people} people in {units} units worked on {projects} projects. {ties} pairs of "
    "people share at least one project; {cross_share} of these ties cross a unit border.",
    # which projects sentence: analyser.report.common.project_headline
    "hl_team": "Of the {n} projects with two or more people, {inside} stay inside one unit.",
    "hl_one_team_inside": "The only project with two or more people stays inside one unit.",
    "hl_one_team_crosses": "The only project with two or more people crosses units.",
    "hl_no_team": "No project has two or more people, so no project can cross units.",
    "hl_projects": "{inside} of projects stay inside one unit.",
    "hl_solo_one": "The other project has one person and cannot cross units, so it is left out.",
    "hl_solo_other": "The other {n} projects have one person each and cannot cross units, so they are left out.",
    # which silos sentence: analyser.report.common.silo_headline (one/other: the verb follows k)
    "hl_silos_zero": "None of the {j} units with enough data is a significant silo (a unit that keeps most "
    "of its ties inside, more than chance explains).",
    "hl_silos_one": "{k} of the {j} units with enough data is a significant silo (a unit that keeps most of "
    "its ties inside, more than chance explains).",
    "hl_silos_other": "{k} of the {j} units with enough data are significant silos (units that keep most of "
    "their ties inside, more than chance explains).",
    "hl_silos_single_yes": "The one unit with enough data is a significant silo: it keeps most of its ties "
    "inside, more than chance explains.",
    "hl_silos_single_no": "The one unit with enough data is not a significant silo.",
    "hl_silos_none_judged": "No unit has enough data for a silo verdict.",
    "hl_silos_not_tested": "Whether units are silos was not tested: the roster is too large for the "
    "person-level test.",
    "hl_silos_legacy_zero": "None of the {n} units is a significant silo.",
    "hl_silos_legacy_one": "{k} of {n} units is a significant silo.",
    "hl_silos_legacy_other": "{k} of {n} units are significant silos.",
    "hl_too_little_one": "{n} unit had too little data for a verdict (a verdict needs at least {min_people} "
    "people and members in at least {min_projects} projects with two or more people).",
    "hl_too_little_other": "{n} units had too little data for a verdict (a verdict needs at least {min_people} "
    "people and members in at least {min_projects} projects with two or more people).",
    "hl_withheld": "Figures of {n} unit(s) are withheld to protect small groups.",
    "hl_org_ei": "Across the organisation the E-I index is {observed}; if ties ignored unit borders "
    "it would be about {expected}.",
    "hl_org_ei_below": "Ties stay inside units more than unit sizes explain.",
    "hl_org_ei_above": "Ties cross unit borders at least as often as unit sizes would give.",
    "hl_modularity": "Modularity of the split into units is {q} (0 = units say nothing about who "
    "works with whom; above about 0.3 = clear blocks along unit lines).",
    "hl_communities": "The ties alone form {c} communities of two or more people, against {u} units; "
    "their agreement with the units is {nmi} (1 = the same grouping, 0 = unrelated).",
    "hl_stability": "Found {runs} times from different random starts, the communities have a stability "
    "of {s} (1 = the same every time).",
    "hl_stability_low": "The communities change with the method's random start (stability {s} over {runs} "
    "runs, below {limit}): read them as rough groupings, not as fixed groups.",
    "hl_components": "The largest connected group holds {share} of the people ({n} separate "
    "group(s) in all).",
    "key_figures": "All key figures",
    "summary_labels": {
        "people": "People",
        "projects": "Projects",
        "units": "Units",
        "memberships": "Memberships",
        "ties": "Ties (pairs of people sharing a project)",
        "cross_unit_ties": "Ties across units",
        "ei_index": "E-I index (organisation)",
        "ei_expected": "Expected E-I index from unit sizes",
        "modularity": "Modularity of the unit split",
        "assortativity": "Unit assortativity",
        "communities": "Communities",
        "community_unit_nmi": "Agreement of communities with units (NMI)",
        "components": "Connected groups",
        "largest_component_share": "Share of people in the largest group",
        "cross_unit_project_share": "Share of projects spanning units",
        "very_large_projects": "Very large projects (more than 100 members)",
        "significant_silos": "Significant silos",
        "units_judged": "Units with enough data for a silo verdict",
        "team_projects": "Projects with two or more people",
        "cross_unit_team_project_share": "Share of projects with two or more people spanning units",
        "community_stability": "Stability of the communities (1 = the same in every run)",
    },
    # 3. Units
    "h_units": "3. Unit silo table",
    "units_intro": "Significant silos first, then the other units with a verdict, each from the most closed "
    "(lowest E-I) to the most open; units with too little data for a verdict follow. A unit gets a verdict "
    "when it has at least {min_people} people and members in at least {min_projects} projects with two or more "
    "people. It is a significant silo when most of its ties stay inside (E-I below 0), more than if people "
    "kept their ties but units were shuffled, and q < {alpha}.",
    "units_explained": {
        "ei_expected": "the E-I index if ties fell on random pairs of people (a plain comparison).",
        "ei_expected_perm": "the E-I index if people kept their ties but units were shuffled (the "
        "baseline of the test).",
        "ei_p": "how often shuffled units give a unit at least this closed.",
        "ei_q": "p adjusted for testing many units at once (Benjamini–Hochberg); the verdict uses q.",
    },
    "units_none": "There are no units to show.",
    "col_unit": "Unit",
    "col_people": "People",
    "col_projects": "Projects",
    "col_ties_internal": "Ties inside",
    "col_ties_external": "Ties outside",
    "col_ei_index": "E-I",
    "col_ei_expected": "Expected E-I (random pairs)",
    "col_ei_expected_perm": "Expected E-I (shuffled units)",
    "col_ei_p": "p",
    "col_ei_q": "q",
    "col_partner_units": "Partner units",
    "col_cross_unit_project_share": "Cross-unit projects",
    "col_bridge_concentration": "Bridge concentration",
    "col_verdict": "Verdict",
    "verdict_labels": {
        "silo": "significant silo",
        "not_silo": "not a silo",
        "too_little_data": "too little data",
        "not_tested": "not tested",
    },
    # 4. Matrix
    "h_matrix": "4. Unit-to-unit matrix",
    "matrix_intro": "Each cell counts the pairs of people from two units who share a project; the "
    "diagonal counts pairs inside one unit.",
    "matrix_top": "Strongest links between units",
    "col_unit_a": "Unit",
    "col_unit_b": "Unit",
    "col_ties": "Ties",
    "col_shared_projects": "Shared projects",
    "col_weight": "Weight",
    "links_none": "No two units share a project.",
    # 5. Bridges
    "h_bridges": "5. Bridges and key-person risk",
    "bridges_hidden": "Person-level figures are not shown because this report was made in "
    "aggregate privacy mode, which leaves out every figure about single people.",
    "bridges_intro": "People are ranked by cross-unit betweenness: the share of shortest collaboration paths "
    "between people of different units that pass through them. If they leave, those links between units get "
    "longer or break. Betweenness counts every path, also those inside one unit.",
    "bridges_top": "Top {n} people by cross-unit betweenness",
    "bridges_nobody": "No one stands between people of different units: every contact across units is "
    "direct, or there is none.",
    "sole_title": "People who are the only link between two units",
    "sole_none": "No person is the only link between two units.",
    "more_rows": "…and {n} more (see the XLSX or CSV export).",
    "people_none": "There are no person-level figures to show.",
    "col_person": "Person",
    "col_betweenness": "Betweenness",
    "col_cross_unit_betweenness": "Cross-unit betweenness",
    "col_participation": "Participation",
    "col_units_reached": "Units reached",
    "col_external_collaborators": "Collaborators in other units",
    "col_sole_bridges": "Sole bridge for (unit pairs)",
    # 6. Projects
    "h_projects": "6. Cross-unit projects",
    "projects_intro": "{cross} of {total} projects have members from two or more units.",
    "projects_none": "There are no projects to show.",
    "projects_top": "Top {n} projects by unit mix (Blau index)",
    "unique_title": "Projects that are the only meeting place of some units",
    "unique_intro": "Ending one of these projects would cut the only link between some pairs of units.",
    "unique_none": "Every link between units runs through more than one project.",
    "col_project": "Project",
    "col_members": "Members",
    "col_units": "Units",
    "col_blau_index": "Blau index",
    "col_unique_links": "Unit links only this project makes",
    # 7. Methods
    "h_methods": "7. Methods and privacy",
    "definitions": "Definitions",
    "defs": {
        "Tie": "Two people have a tie when they share at least one project.",
        "E-I index": "(ties to other units − ties inside the unit) ÷ all the unit's ties: −1 means "
        "every tie stays inside, +1 means every tie goes outside (Krackhardt & Stern 1988).",
        "Expected E-I (random pairs)": "The E-I index a unit would have if ties fell on random pairs of "
        "people, given how many colleagues it has inside and outside: a plain comparison.",
        "Expected E-I (shuffled units)": "The E-I index a unit would have if people kept their ties but "
        "units were shuffled over people: the baseline of the significance test.",
        "p": "How often shuffled units give a unit at least this closed; a small p means chance is an "
        "unlikely explanation. A test with n shuffles cannot go below 1/(n + 1), so such a p is shown "
        "as “≤”.",
        "q": "p adjusted for testing every unit with a verdict at once (Benjamini & Hochberg 1995): among "
        "units called silos at q below {alpha}, at most that share is expected to be chance.",
        "Significant silo": "A unit with a verdict whose E-I is below 0 and below its expected E-I with "
        "shuffled units, with q below {alpha}.",
        "Too little data": "A unit gets a verdict only with at least {min_people} people and members in at "
        "least {min_projects} projects with two or more people; a few people in one or two projects say "
        "nothing reliable about a unit.",
        "Partner units": "The number of other units a unit has ties with.",
        "Cross-unit projects": "The share of a unit's projects that also have members from other units.",
        "Bridge concentration": "The share of a unit's outside ties carried by its single most "
        "connected person.",
        "Modularity": "How much more often ties fall inside units than expected at random "
        "(Newman & Girvan 2004).",
        "Communities and NMI": "Communities are groups of two or more people found from the ties "
        "alone (Louvain method); NMI measures how well they match the units (1 = exactly).",
        "Community stability": "How alike the communities are when the method starts from different "
        "random points (mean NMI between runs; 1 = identical). Below {limit} they are rough groupings.",
        "Team project": "A project with two or more people; only these can cross units, so the "
        "headline counts them.",
        "Cross-unit betweenness": "The share of shortest paths between people of different units that "
        "pass through a person: how much the links between units depend on them.",
        "Betweenness": "The share of shortest paths between other people that pass through a "
        "person (Freeman 1977).",
        "Participation": "How evenly a person's ties spread over units: 0 = all in one unit "
        "(Guimerà & Amaral 2005).",
        "Sole bridge": "A pair of units all of whose ties run through this one person.",
        "Blau index": "1 − the sum of squared unit shares of a project's members: 0 = one unit, "
        "higher = more mixed (Blau 1977).",
        "Unique unit links": "Pairs of units that meet in this project and in no other.",
    },
    "methods_title": "How figures were estimated",
    "methods_none": "No estimation details were recorded.",
    "skipped_title": "Figures not computed",
    "privacy_title": "Privacy",
    "privacy_text": "Privacy mode: {mode}. Units with fewer than {min_size} people have their "
    "figures withheld; when fewer than three units are that small, the smallest other units are "
    "withheld with them, so that no withheld figure can be worked out from the totals. People and "
    "unit links of withheld units are left out, and the counts of silos cover the units shown.",
    "privacy_text_names": "Privacy mode: {mode}.",
    "suppressed_list": "Units with withheld figures: {units}.",
    "suppressed_none": "No unit has withheld figures.",
    "about_title": "About this report",
    "col_key": "Item",
    "col_value": "Value",
    # 8. Change over time (only when the roster has dates)
    "h_trends": "8. Change over time",
    "period_names": {"month": "month", "quarter": "quarter", "half": "half-year", "year": "year"},
    "trends_intro": "Figures per {period} for {n} period(s), from {first} to {last}. A membership counts in "
    "every period it overlaps; memberships without dates count in every period.",
    "trends_table": "Organisation figures by period",
    "trends_changes": "What changed from {before} to {after}",
    "trends_one_period": "Only one period has memberships, so there is no change to report yet.",
    "trends_started": "Unit pairs that started working together ({n})",
    "trends_stopped": "Unit pairs that stopped working together ({n})",
    "trends_moves": "Units whose E-I index moved significantly ({n})",
    "trends_moves_test": "A move is significant when a two-proportion test on the share of the unit's ties "
    "that leave it, counting each project once, gives p below {alpha}.",
    "trends_sole_new": "New sole bridges ({n})",
    "trends_sole_lost": "Sole bridges that ended ({n})",
    "trends_none": "None.",
    "trends_privacy": "The trends were made in {trends} privacy mode, the report in {report}; both must match.",
    "col_period": "Period",
    "col_modularity": "Modularity",
    "col_ei_before": "E-I before",
    "col_ei_after": "E-I after",
    "col_change": "Change",
    "col_p": "p",
}

#: Words only the PDF shows. ``{page}`` and ``{pages}`` become the current page number and
#: the page count.
PDF_TEXT = {
    "page_footer": "Page {page} of {pages}",
}

#: Words of the report figures (titles, axes, legends, hover texts).
FIGURE_TEXT: dict[str, str] = {
    "no_units": "No units to show.",
    "no_ei": "No unit has an E-I index to show (no ties, or figures withheld).",
    "no_people": "No person-level figures to show.",
    "matrix_title": "Ties between units (diagonal: ties inside a unit)",
    "matrix_hover": "{a} – {b}: {ties}",
    "matrix_hover_self": "{a} (inside): {ties}",
    "ties_unit": "ties",
    "withheld": "withheld",
    "ei_title": "E-I index per unit: observed and expected from unit size",
    "ei_axis": "E-I index (−1 = all ties inside the unit, +1 = all ties outside)",
    "expected": "expected from size",
    "observed": "observed",
    "silo": "significant silo",
    "too_little": "too little data for a verdict",
    "ei_hover": "{unit}<br>observed {ei}<br>if ties fell on random pairs of people {expected}<br>"
    "if units were shuffled {perm}<br>p = {p}, q = {q}<br>{verdict}",
    "verdict_silo": "significant silo",
    "verdict_not_silo": "not a silo",
    "verdict_too_little_data": "too little data for a verdict",
    "verdict_not_tested": "not tested",
    "not_shown": "{n} unit(s) not shown: no ties or figures withheld.",
    "bridges_title": "Top {n} people by cross-unit betweenness (who links people of different units)",
    "bridges_axis": "cross-unit betweenness",
    "bridges_axis_all": "betweenness",
    "bridges_hover": "{person}<br>{unit}<br>cross-unit betweenness {value}<br>betweenness {all}<br>"
    "sole bridge for {sole} unit pair(s)",
    "no_bridges": "No one stands between people of different units: every contact across units is "
    "direct, or there is none.",
    "trend_title": "E-I index by period: the organisation and each unit",
    "trend_org": "organisation",
    "trend_expected": "organisation, expected from unit sizes",
    "trend_axis": "E-I index (−1 = all ties inside, +1 = all outside)",
    "trend_hover": "{name}<br>{period}: {ei}",
    "no_periods": "No period to show.",
    # the partner units of one unit (dialogue sheet)
    "partners_axis": "ties",
    "partners_hover": "{partner}<br>{ties} ties, {projects} shared project(s)",
    "partners_hover_sole": "{partner}<br>{ties} ties, {projects} shared project(s)<br>the link hangs on one person",
    "no_partners": "No partner unit.",
}

#: Words of the dialogue sheet (:mod:`analyser.report.unit_sheet`): one page about one unit,
#: written for the conversation with it (we/our = the unit). Keys ending ``_one``/``_other``
#: are chosen by a count. The verdict, column and period words come from :data:`HTML_TEXT`.
UNIT_SHEET_TEXT: dict[str, Any] = {
    "kicker": "Dialogue sheet",
    "title": "Dialogue sheet: {unit}",
    "level": "unit level {n}",
    "level_written": "units as written",
    "privacy": {"names": "people by name", "pseudonyms": "people as pseudonym codes",
                "aggregate": "no person-level figures"},
    "source": "{source} · {level} · {privacy} · made {made} · analyser {version}",
    # the verdict, in plain words
    "share_other": "Of the unit's {ties} ties, {share} reach other units.",
    "share_single_out": "The unit's only tie reaches another unit.",
    "share_single_in": "The unit's only tie stays inside it.",
    "no_ties": "The unit's people share no project with anyone else, so it has no ties to compare.",
    "expect": "If people kept their ties but units were shuffled, we would expect {perm}",
    "v_silo": "{expect}; that gap is larger than chance explains (q {q}): a significant silo.",
    "v_chance": "{expect}; that gap could be chance (q {q}): not a significant silo.",
    "v_open": "{expect}. It keeps more ties inside than that, but most of its ties still reach other units: "
    "not a silo.",
    "v_above": "{expect}: it is at least as open as that, so it is not a silo.",
    "v_plain": "{expect}.",
    "v_too_little": "There is too little data for a verdict: a verdict needs at least {people} people and members "
    "in at least {projects} projects with two or more people.",
    "v_not_tested": "Whether this is more than chance was not tested: the roster is too large for the "
    "person-level test.",
    "random": "Had ties fallen on random pairs of people, {random} would reach other units.",
    "figures_line": "E-I {ei} (−1 = every tie inside, +1 = every tie outside); expected {perm} with shuffled "
    "units, {random} with random pairs{q}.",
    "figures_q": "; q {q}",
    "key_people": "People",
    "key_projects": "Projects",
    "key_inside": "Ties inside",
    "key_outside": "Ties to other units",
    "key_partners": "Partner units",
    "key_cross": "Cross-unit projects",
    # partner units
    "h_partners": "Partner units",
    "partners_caption": "Ties (pairs of people who share a project) with each partner unit.",
    "partners_caption_sole": "Ties (pairs of people who share a project) with each partner unit; orange: "
    "the link hangs on one person.",
    "partners_more_one": "…and 1 more partner unit ({ties} ties).",
    "partners_more_other": "…and {n} more partner units ({ties} ties in all).",
    "partners_none": "No one in the unit shares a project with another unit.",
    "sole_units_one": "The link with {units} hangs on one person.",
    "sole_units_other": "The links with {units} each hang on one person.",
    # people
    "h_people": "People who carry the outside ties",
    "people_intro": "{n} of the unit's {people} people work with people in other units; those with the most "
    "outside collaborators:",
    "people_intro_one": "1 of the unit's {people} people works with people in other units:",
    "people_skipped": "Person-level figures were not computed: the roster is too large for them, so who carries "
    "the outside ties, and which link hangs on one person, is not known here.",
    "people_codes": "People are shown as pseudonym codes.",
    "people_none": "No one in the unit works with people in other units.",
    "people_hidden": "People are not shown: this sheet is in aggregate mode, which leaves out every figure about "
    "single people.",
    "sole_title": "Links that hang on one person",
    "sole_line": "{partner}: {people}",
    "sole_none": "No link with another unit hangs on a single person.",
    "sole_more": "…and {n} more.",
    # projects
    "h_projects": "Projects with other units",
    "projects_intro": "{n} of the unit's {total} projects include people from other units; the largest:",
    "projects_none": "None of the unit's {total} projects includes people from another unit.",
    "projects_none_one": "The unit's only project includes no one from another unit.",
    "projects_unknown": "The project memberships were not at hand for this sheet.",
    "col_project": "Project",
    "col_members": "People (ours / all)",
    "col_partners": "Other units",
    "and_more": "+{n} more",
    # change over time
    "h_change": "Change since the previous period",
    "change_intro": "The last two {period}s:",
    "col_period": "Period",
    "col_ei": "E-I",
    "col_ties_out": "Ties to other units",
    "col_ties_in": "Ties inside",
    "change_up": "A larger share of our ties reached other units in {after} than in {before}",
    "change_down": "A smaller share of our ties reached other units in {after} than in {before}",
    "change_flat": "The share of our ties that reach other units barely moved from {before} to {after}",
    "change_significant": "; the move is larger than chance explains (p {p}).",
    "change_chance": "; the move could be chance (p {p}).",
    "change_untested": ".",
    "change_missing": "The unit has no E-I in {period} (no ties, too few people, or figures withheld).",
    "change_no_dates": "The roster has no start or end dates, so there is no earlier period to compare with.",
    "change_off": "Change over time was not computed for this sheet.",
    "change_one_period": "Only one period ({period}) has memberships, so there is nothing to compare with yet.",
    # questions: chosen from the unit's figures (unit_sheet.discussion_questions)
    "h_questions": "Questions for the conversation",
    "q_sole_named": "What happens to our work with {partner} if {people} is away?",
    "q_sole_named_one": "What happens to our work with {partner}, and with one more unit, if {people} is away?",
    "q_sole_named_other": "What happens to our work with {partner}, and with {n} more units, if {people} is away?",
    "q_sole_anonymous": "What happens to our work with {partner} if the one person who links us is away?",
    "q_silo": "Which of our goals need another unit, and who there do we know?",
    "q_no_partners": "No one here shares a project with another unit. Where would working with another unit help "
    "us most?",
    "q_few_partners": "We work with {partners} only. Which other unit would we like to know better, and what would "
    "be a first small step?",
    "q_rising": "A larger share of our ties reaches other units than in {before}. What made that happen, and what "
    "do we want to keep?",
    "q_falling": "A smaller share of our ties reaches other units than in {before}. What changed, and is it what "
    "we want?",
    "q_concentrated": "{share} of our outside ties run through one person. How could more of us share those "
    "contacts?",
    "q_inward": "Most of our ties stay inside the unit. Is that what our work needs?",
    "q_many_partners": "We work with {n} other units. Which of these links matter most for our goals?",
    "q_gone_better": "Which piece of work this year would have gone better with another unit involved?",
    "q_turn_to": "Who in another unit do we turn to when we need help, and does everyone here know them?",
    "q_need_from_us": "What do other units need from us that they do not get today?",
    "or": " or ",
    "and": " and ",
    # units with no figures
    "h_no_figures": "No figures for this unit",
    "small": "The unit has fewer than {k} people, the smallest group this analysis shows figures for. With so "
    "few people, any figure would describe individuals rather than the unit, so this sheet leaves them out.",
    "withheld": "The unit's figures are withheld together with those of smaller units: otherwise the small "
    "units' figures could be worked out from the organisation's totals.",
    "how_to_read": "A tie is a pair of people who share at least one project. E-I = (ties to other units − ties "
    "inside) ÷ all ties. q is p adjusted for testing every unit at once; below {alpha}, a gap is larger than "
    "chance explains.",
    # index of --per-unit
    "index_title": "Dialogue sheets",
    "index_intro": "One sheet per unit of {source} ({level}, {privacy}). Each prints on one A4 page, to bring "
    "to the conversation with the unit.",
    "col_unit": "Unit",
    "col_verdict": "Verdict",
    "col_people": "People",
    "col_sheet": "Sheet",
    "no_figures": "no figures",
}
