"""Swedish wording of the HTML and PDF reports and their figures (the same keys as :mod:`english`).

Numbers follow Swedish custom: decimal comma and a non-breaking space between thousands.
Terms follow the dashboard's Swedish interface (``dashboard/i18n.py``): band, enhet,
E-I-index, mellanliggande, enda bro, signifikant silo.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FIGURE_TEXT", "HTML_TEXT", "PDF_TEXT"]

HTML_TEXT: dict[str, Any] = {
    "lang": "sv",
    "decimal": ",",
    "thousands": "\u00a0",
    "title": "Rapport om samarbete och silor",
    "subtitle": "Källa: {source} · skapad {generated} · analyser {version}",
    "privacy_badge": "Integritetsläge: {mode}",
    "privacy_modes": {
        "names": "namn (personer visas som de laddades upp)",
        "pseudonyms": "pseudonymer (personer visas som stabila koder)",
        "aggregate": "aggregerat (inga siffror om enskilda personer)",
    },
    "contents": "Innehåll",
    "undefined": "–",
    "withheld": "dolt",
    "yes": "ja",
    "no": "nej",
    # 1. Data check
    "h_data_check": "1. Kontroll av underlaget",
    "data_counts": "{memberships} projektdeltaganden analyserades. {rejected} rad(er) avvisades och "
    "{warnings} varning(ar) noterades.",
    "data_file_errors": "{n} problem gäller en hel fil.",
    "data_clean": "Inga problem hittades i underlaget.",
    "problems_summary": "Visa alla {n} fynd",
    "col_where": "Var",
    "col_column": "Kolumn",
    "col_severity": "Allvar",
    "col_message": "Meddelande",
    "severity": {"error": "raden avvisad", "warning": "varning"},
    # 2. Headlines
    "h_headlines": "2. Huvudsiffror",
    "hl_counts": "{people} personer i {units} enheter arbetade i {projects} projekt. {ties} par av "
    "personer delar minst ett projekt; {cross_share} av dessa band går över en enhetsgräns.",
    "hl_inside": "{share} av projekten stannar inom en enhet.",
    "hl_silos": "{k} av {n} enheter är signifikanta silor (de flesta av deras band stannar inom enheten, "
    "tydligt fler än storleken skulle ge).",
    "hl_withheld": "Siffrorna för {n} liten/små enhet(er) är dolda.",
    "hl_org_ei": "I hela organisationen är E-I-index {observed}; om banden struntade i enhetsgränserna "
    "skulle det vara ungefär {expected}.",
    "hl_org_ei_below": "Banden stannar inom enheterna mer än enheternas storlek förklarar.",
    "hl_org_ei_above": "Banden går över enhetsgränserna minst så ofta som enheternas storlek skulle ge.",
    "hl_modularity": "Modulariteten för indelningen i enheter är {q} (0 = enheterna säger inget om vem "
    "som arbetar med vem; över ungefär 0,3 = tydliga block längs enhetsgränserna).",
    "hl_communities": "Banden bildar på egen hand {c} grupperingar, mot {u} enheter; deras överensstämmelse "
    "med enheterna är {nmi} (1 = samma indelning, 0 = inget samband).",
    "hl_components": "Den största sammanhängande gruppen rymmer {share} av personerna ({n} separata "
    "grupp(er) totalt).",
    "key_figures": "Alla nyckeltal",
    "summary_labels": {
        "people": "Personer",
        "projects": "Projekt",
        "units": "Enheter",
        "memberships": "Projektdeltaganden",
        "ties": "Band (par av personer som delar ett projekt)",
        "cross_unit_ties": "Band mellan enheter",
        "ei_index": "E-I-index (organisationen)",
        "ei_expected": "Förväntat E-I-index utifrån enheternas storlek",
        "modularity": "Modularitet för enhetsindelningen",
        "assortativity": "Assortativitet efter enhet",
        "communities": "Grupperingar",
        "community_unit_nmi": "Grupperingarnas överensstämmelse med enheterna (NMI)",
        "components": "Sammanhängande grupper",
        "largest_component_share": "Andel personer i den största gruppen",
        "cross_unit_project_share": "Andel projekt över enhetsgränser",
        "very_large_projects": "Mycket stora projekt (fler än 100 deltagare)",
        "significant_silos": "Signifikanta silor",
    },
    # 3. Units
    "h_units": "3. Silotabell per enhet",
    "units_intro": "Enheterna från den mest slutna (lägst E-I) till den mest öppna. En enhet markeras som "
    "signifikant silo när de flesta av dess band stannar inom enheten (E-I under 0), under det värde "
    "storleken skulle ge, med p < {alpha}.",
    "units_none": "Det finns inga enheter att visa.",
    "col_unit": "Enhet",
    "col_people": "Personer",
    "col_projects": "Projekt",
    "col_ties_internal": "Band inom",
    "col_ties_external": "Band utanför",
    "col_ei_index": "E-I",
    "col_ei_expected": "Förväntat E-I",
    "col_ei_p": "p",
    "col_partner_units": "Partnerenheter",
    "col_cross_unit_project_share": "Projekt över enhetsgränser",
    "col_bridge_concentration": "Brokoncentration",
    "col_silo": "Signifikant silo",
    "silo_badge": "signifikant silo",
    # 4. Matrix
    "h_matrix": "4. Matris enhet mot enhet",
    "matrix_intro": "Varje ruta räknar paren av personer från två enheter som delar ett projekt; "
    "diagonalen räknar par inom en enhet.",
    "matrix_top": "Starkaste banden mellan enheter",
    "col_unit_a": "Enhet",
    "col_unit_b": "Enhet",
    "col_ties": "Band",
    "col_shared_projects": "Gemensamma projekt",
    "col_weight": "Vikt",
    "links_none": "Inga två enheter delar ett projekt.",
    # 5. Bridges
    "h_bridges": "5. Broar och nyckelpersonsrisk",
    "bridges_hidden": "Siffror om enskilda personer visas inte eftersom rapporten gjordes i aggregerat "
    "integritetsläge, som utelämnar alla siffror om enskilda personer.",
    "bridges_intro": "Personer med högt mellanliggande länkar samman kollegor som annars skulle vara långt "
    "ifrån varandra; om de slutar blir de länkarna längre eller bryts.",
    "bridges_top": "De {n} personerna med högst mellanliggande",
    "sole_title": "Personer som är den enda länken mellan två enheter",
    "sole_none": "Ingen person är den enda länken mellan två enheter.",
    "more_rows": "…och {n} till (se XLSX- eller CSV-exporten).",
    "people_none": "Det finns inga siffror om personer att visa.",
    "col_person": "Person",
    "col_betweenness": "Mellanliggande",
    "col_participation": "Spridning",
    "col_units_reached": "Nådda enheter",
    "col_external_collaborators": "Samarbetspartner i andra enheter",
    "col_sole_bridges": "Enda bro för (enhetspar)",
    # 6. Projects
    "h_projects": "6. Projekt över enhetsgränser",
    "projects_intro": "{cross} av {total} projekt har deltagare från två eller fler enheter.",
    "projects_none": "Det finns inga projekt att visa.",
    "projects_top": "De {n} projekten med mest blandade enheter (Blau-index)",
    "unique_title": "Projekt som är några enheters enda mötesplats",
    "unique_intro": "Om ett av dessa projekt avslutas bryts den enda länken mellan några par av enheter.",
    "unique_none": "Varje länk mellan enheter går via mer än ett projekt.",
    "col_project": "Projekt",
    "col_members": "Deltagare",
    "col_units": "Enheter",
    "col_blau_index": "Blau-index",
    "col_unique_links": "Enhetslänkar som bara detta projekt skapar",
    # 7. Methods
    "h_methods": "7. Metod och integritet",
    "definitions": "Definitioner",
    "defs": {
        "Band": "Två personer har ett band när de delar minst ett projekt.",
        "E-I-index": "(band till andra enheter − band inom enheten) ÷ alla enhetens band: −1 betyder att "
        "varje band stannar inom enheten, +1 att varje band går utanför (Krackhardt & Stern 1988).",
        "Förväntat E-I": "Det E-I-index en enhet skulle ha om banden föll slumpvis mellan personer, givet "
        "hur många kollegor den har inom och utanför enheten.",
        "p": "Hur ofta slumpvis omblandade enhetstillhörigheter ger en enhet som är minst så här sluten; "
        "ett litet p betyder att slumpen är en osannolik förklaring.",
        "Signifikant silo": "En enhet vars E-I är under 0 och under det förväntade E-I, med p under {alpha}.",
        "Partnerenheter": "Antalet andra enheter som en enhet har band till.",
        "Projekt över enhetsgränser": "Andelen av en enhets projekt som också har deltagare från andra enheter.",
        "Brokoncentration": "Andelen av en enhets band utanför enheten som bärs av dess mest anslutna person.",
        "Modularitet": "Hur mycket oftare banden faller inom enheter än väntat av en slump "
        "(Newman & Girvan 2004).",
        "Grupperingar och NMI": "Grupperingar hittas enbart utifrån banden (Louvain-metoden); NMI mäter hur "
        "väl de stämmer med enheterna (1 = exakt).",
        "Mellanliggande": "Andelen av de kortaste vägarna mellan andra personer som går via en person "
        "(Freeman 1977).",
        "Spridning": "Hur jämnt en persons band fördelas över enheter: 0 = alla i en enhet "
        "(Guimerà & Amaral 2005).",
        "Enda bro": "Ett par av enheter vars alla band går via just denna person.",
        "Blau-index": "1 − summan av kvadrerade enhetsandelar bland ett projekts deltagare: 0 = en enhet, "
        "högre = mer blandat (Blau 1977).",
        "Unika enhetslänkar": "Par av enheter som möts i detta projekt och i inget annat.",
    },
    "methods_title": "Hur siffrorna uppskattades",
    "methods_none": "Inga uppgifter om uppskattningar registrerades.",
    "skipped_title": "Siffror som inte beräknades",
    "privacy_title": "Integritet",
    "privacy_text": "Integritetsläge: {mode}. Enheter med färre än {min_size} personer har sina siffror dolda.",
    "privacy_text_names": "Integritetsläge: {mode}.",
    "suppressed_list": "Enheter med dolda siffror: {units}.",
    "suppressed_none": "Ingen enhet har dolda siffror.",
    "about_title": "Om rapporten",
    "col_key": "Uppgift",
    "col_value": "Värde",
    # 8. Change over time (only when the roster has dates)
    "h_trends": "8. Förändring över tid",
    "period_names": {"month": "månad", "quarter": "kvartal", "half": "halvår", "year": "år"},
    "trends_intro": "Siffror per {period} för {n} period(er), från {first} till {last}. Ett projektdeltagande "
    "räknas i varje period det överlappar; deltaganden utan datum räknas i varje period.",
    "trends_table": "Organisationens siffror per period",
    "trends_changes": "Vad som ändrades från {before} till {after}",
    "trends_one_period": "Bara en period har projektdeltaganden, så det finns ännu ingen förändring att visa.",
    "trends_started": "Enhetspar som började arbeta tillsammans ({n})",
    "trends_stopped": "Enhetspar som slutade arbeta tillsammans ({n})",
    "trends_moves": "Enheter vars E-I-index flyttade sig signifikant ({n})",
    "trends_moves_test": "En förflyttning är signifikant när ett test av två andelar, på andelen av enhetens band "
    "som går utanför den och med varje projekt räknat en gång, ger p under {alpha}.",
    "trends_sole_new": "Nya enda broar ({n})",
    "trends_sole_lost": "Enda broar som upphörde ({n})",
    "trends_none": "Inga.",
    "trends_privacy": "Trenderna gjordes i integritetsläget {trends}, rapporten i {report}; de måste vara samma.",
    "col_period": "Period",
    "col_modularity": "Modularitet",
    "col_ei_before": "E-I före",
    "col_ei_after": "E-I efter",
    "col_change": "Förändring",
    "col_p": "p",
}

PDF_TEXT = {
    "page_footer": "Sida {page} av {pages}",
}

#: Words of the report figures (titles, axes, legends, hover texts).
FIGURE_TEXT: dict[str, str] = {
    "no_units": "Inga enheter att visa.",
    "no_ei": "Ingen enhet har ett E-I-index att visa (inga band, eller dolda siffror).",
    "no_people": "Inga siffror på personnivå att visa.",
    "matrix_title": "Band mellan enheter (diagonalen: band inom en enhet)",
    "matrix_hover": "{a} – {b}: {ties}",
    "matrix_hover_self": "{a} (inom enheten): {ties}",
    "ties_unit": "band",
    "withheld": "dolt",
    "ei_title": "E-I-index per enhet: observerat och förväntat utifrån storlek",
    "ei_axis": "E-I-index (−1 = alla band inom enheten, +1 = alla band utanför)",
    "expected": "förväntat utifrån storlek",
    "observed": "observerat",
    "silo": "signifikant silo",
    "ei_hover": "{unit}<br>observerat {ei}<br>förväntat {expected}<br>p = {p}",
    "not_shown": "{n} enhet(er) visas inte: inga band eller dolda siffror.",
    "bridges_title": "De {n} personer med högst mellanliggande (som länkar annars avlägsna kollegor)",
    "bridges_axis": "mellanliggande",
    "bridges_hover": "{person}<br>{unit}<br>mellanliggande {value}<br>enda bro för {sole} enhetspar",
    "trend_title": "E-I-index per period: organisationen och varje enhet",
    "trend_org": "organisationen",
    "trend_expected": "organisationen, förväntat utifrån enheternas storlek",
    "trend_axis": "E-I-index (−1 = alla band inom, +1 = alla utanför)",
    "trend_hover": "{name}<br>{period}: {ei}",
    "no_periods": "Ingen period att visa.",
}
