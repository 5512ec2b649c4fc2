"""Swedish wording of the HTML and PDF reports and their figures (the same keys as :mod:`english`).

Numbers follow Swedish custom: decimal comma and a non-breaking space between thousands.
Terms follow the dashboard's Swedish interface (``dashboard/i18n.py``): band, enhet,
E-I-index, mellanliggande, enda bro, signifikant silo.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FIGURE_TEXT", "HTML_TEXT", "PDF_TEXT", "UNIT_SHEET_TEXT"]

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
    "hl_team": "Av de {n} projekten med två eller fler personer stannar {inside} inom en enhet.",
    "hl_one_team_inside": "Det enda projektet med två eller fler personer stannar inom en enhet.",
    "hl_one_team_crosses": "Det enda projektet med två eller fler personer går över enhetsgränser.",
    "hl_no_team": "Inget projekt har två eller fler personer, så inget projekt kan gå över enhetsgränser.",
    "hl_projects": "{inside} av projekten stannar inom en enhet.",
    "hl_solo_one": "Det andra projektet har en enda person och kan inte gå över enhetsgränser, så det räknas inte.",
    "hl_solo_other": "De andra {n} projekten har en person vardera och kan inte gå över enhetsgränser, så de "
    "räknas inte.",
    "hl_silos_zero": "Ingen av de {j} enheterna med tillräckligt underlag är en signifikant silo (en enhet som "
    "håller de flesta av sina band inom sig, mer än slumpen förklarar).",
    "hl_silos_one": "{k} av de {j} enheterna med tillräckligt underlag är en signifikant silo (en enhet som "
    "håller de flesta av sina band inom sig, mer än slumpen förklarar).",
    "hl_silos_other": "{k} av de {j} enheterna med tillräckligt underlag är signifikanta silor (enheter som "
    "håller de flesta av sina band inom sig, mer än slumpen förklarar).",
    "hl_silos_single_yes": "Den enda enheten med tillräckligt underlag är en signifikant silo: den håller de "
    "flesta av sina band inom sig, mer än slumpen förklarar.",
    "hl_silos_single_no": "Den enda enheten med tillräckligt underlag är inte en signifikant silo.",
    "hl_silos_none_judged": "Ingen enhet har tillräckligt underlag för en bedömning av silo.",
    "hl_silos_not_tested": "Om enheterna är silor har inte testats: projektlistan är för stor för testet på "
    "personnivå.",
    "hl_silos_legacy_zero": "Ingen av de {n} enheterna är en signifikant silo.",
    "hl_silos_legacy_one": "{k} av {n} enheter är en signifikant silo.",
    "hl_silos_legacy_other": "{k} av {n} enheter är signifikanta silor.",
    "hl_too_little_one": "{n} enhet hade för lite underlag för en bedömning (en bedömning kräver minst "
    "{min_people} personer och deltagare i minst {min_projects} projekt med två eller fler personer).",
    "hl_too_little_other": "{n} enheter hade för lite underlag för en bedömning (en bedömning kräver minst "
    "{min_people} personer och deltagare i minst {min_projects} projekt med två eller fler personer).",
    "hl_withheld": "Siffrorna för {n} enhet(er) är dolda för att skydda små grupper.",
    "hl_org_ei": "I hela organisationen är E-I-index {observed}; om banden struntade i enhetsgränserna "
    "skulle det vara ungefär {expected}.",
    "hl_org_ei_below": "Banden stannar inom enheterna mer än enheternas storlek förklarar.",
    "hl_org_ei_above": "Banden går över enhetsgränserna minst så ofta som enheternas storlek skulle ge.",
    "hl_modularity": "Modulariteten för indelningen i enheter är {q} (0 = enheterna säger inget om vem "
    "som arbetar med vem; över ungefär 0,3 = tydliga block längs enhetsgränserna).",
    "hl_communities": "Banden bildar på egen hand {c} grupperingar med två eller fler personer, mot {u} "
    "enheter; deras överensstämmelse med enheterna är {nmi} (1 = samma indelning, 0 = inget samband).",
    "hl_stability": "Framtagna {runs} gånger från olika slumpmässiga starter har grupperingarna stabiliteten "
    "{s} (1 = samma varje gång).",
    "hl_stability_low": "Grupperingarna ändras med metodens slumpmässiga start (stabilitet {s} över {runs} "
    "körningar, under {limit}): läs dem som ungefärliga grupper, inte som fasta.",
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
        "units_judged": "Enheter med tillräckligt underlag för en bedömning av silo",
        "team_projects": "Projekt med två eller fler personer",
        "cross_unit_team_project_share": "Andel projekt med två eller fler personer som går över enhetsgränser",
        "community_stability": "Grupperingarnas stabilitet (1 = samma vid varje körning)",
    },
    # 3. Units
    "h_units": "3. Silotabell per enhet",
    "units_intro": "Signifikanta silor först, sedan de andra enheterna med en bedömning, var för sig från den "
    "mest slutna (lägst E-I) till den mest öppna; därefter enheter med för lite underlag för en bedömning. "
    "En enhet bedöms när den har minst {min_people} personer och deltagare i minst {min_projects} projekt med "
    "två eller fler personer. Den är en signifikant silo när de flesta av dess band stannar inom enheten "
    "(E-I under 0), fler än om personerna behöll sina band men enheterna blandades om, och q < {alpha}.",
    "units_explained": {
        "ei_expected": "E-I-index om banden föll på slumpvisa par av personer (en enkel jämförelse).",
        "ei_expected_perm": "E-I-index om personerna behöll sina band men enheterna blandades om (testets "
        "jämförelsevärde).",
        "ei_p": "hur ofta omblandade enheter ger en enhet som är minst så här sluten.",
        "ei_q": "p justerat för att många enheter testas samtidigt (Benjamini–Hochberg); bedömningen "
        "bygger på q.",
    },
    "units_none": "Det finns inga enheter att visa.",
    "col_unit": "Enhet",
    "col_people": "Personer",
    "col_projects": "Projekt",
    "col_ties_internal": "Band inom",
    "col_ties_external": "Band utanför",
    "col_ei_index": "E-I",
    "col_ei_expected": "Förväntat E-I (slumpvisa par)",
    "col_ei_expected_perm": "Förväntat E-I (omblandade enheter)",
    "col_ei_p": "p",
    "col_ei_q": "q",
    "col_partner_units": "Partnerenheter",
    "col_cross_unit_project_share": "Projekt över enhetsgränser",
    "col_bridge_concentration": "Brokoncentration",
    "col_verdict": "Bedömning",
    "verdict_labels": {
        "silo": "signifikant silo",
        "not_silo": "inte silo",
        "too_little_data": "för lite underlag",
        "not_tested": "inte testad",
    },
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
    "bridges_intro": "Personerna ordnas efter mellanliggande mellan enheter: andelen av de kortaste "
    "samarbetsvägarna mellan personer i olika enheter som går via dem. Om de slutar blir vägarna mellan "
    "enheterna längre eller bryts. Mellanliggande räknar alla vägar, även dem inom en enhet.",
    "bridges_top": "De {n} personerna med högst mellanliggande mellan enheter",
    "bridges_nobody": "Ingen står mellan personer i olika enheter: varje kontakt över enhetsgränserna är "
    "direkt, eller så finns ingen.",
    "sole_title": "Personer som är den enda länken mellan två enheter",
    "sole_none": "Ingen person är den enda länken mellan två enheter.",
    "more_rows": "…och {n} till (se XLSX- eller CSV-exporten).",
    "people_none": "Det finns inga siffror om personer att visa.",
    "col_person": "Person",
    "col_betweenness": "Mellanliggande",
    "col_cross_unit_betweenness": "Mellanliggande mellan enheter",
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
        "Förväntat E-I (slumpvisa par)": "Det E-I-index en enhet skulle ha om banden föll på slumpvisa par "
        "av personer, givet hur många kollegor den har inom och utanför enheten: en enkel jämförelse.",
        "Förväntat E-I (omblandade enheter)": "Det E-I-index en enhet skulle ha om personerna behöll sina "
        "band men enheterna blandades om mellan personerna: signifikanstestets jämförelsevärde.",
        "p": "Hur ofta omblandade enheter ger en enhet som är minst så här sluten; ett litet p betyder att "
        "slumpen är en osannolik förklaring. Ett test med n omblandningar kan inte gå under 1/(n + 1), så "
        "ett sådant p visas med ”≤”.",
        "q": "p justerat för att alla bedömda enheter testas samtidigt (Benjamini & Hochberg 1995): bland "
        "enheter som kallas silor vid q under {alpha} väntas högst den andelen bero på slumpen.",
        "Signifikant silo": "En bedömd enhet vars E-I är under 0 och under det förväntade E-I med omblandade "
        "enheter, med q under {alpha}.",
        "För lite underlag": "En enhet bedöms bara med minst {min_people} personer och deltagare i minst "
        "{min_projects} projekt med två eller fler personer; några få personer i ett eller två projekt säger "
        "inget säkert om en enhet.",
        "Partnerenheter": "Antalet andra enheter som en enhet har band till.",
        "Projekt över enhetsgränser": "Andelen av en enhets projekt som också har deltagare från andra enheter.",
        "Brokoncentration": "Andelen av en enhets band utanför enheten som bärs av dess mest anslutna person.",
        "Modularitet": "Hur mycket oftare banden faller inom enheter än väntat av en slump "
        "(Newman & Girvan 2004).",
        "Grupperingar och NMI": "Grupperingar är grupper om två eller fler personer som hittas enbart utifrån "
        "banden (Louvain-metoden); NMI mäter hur väl de stämmer med enheterna (1 = exakt).",
        "Grupperingarnas stabilitet": "Hur lika grupperingarna blir när metoden startar från olika slumpmässiga "
        "punkter (genomsnittligt NMI mellan körningar; 1 = identiska). Under {limit} är de ungefärliga grupper.",
        "Projekt med flera personer": "Ett projekt med två eller fler personer; bara sådana kan gå över "
        "enhetsgränser, så huvudsiffrorna räknar dem.",
        "Mellanliggande mellan enheter": "Andelen av de kortaste vägarna mellan personer i olika enheter som går "
        "via en person: hur mycket samverkan mellan enheterna hänger på just den personen.",
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
    "privacy_text": "Integritetsläge: {mode}. Enheter med färre än {min_size} personer har sina siffror dolda; "
    "när färre än tre enheter är så små döljs också de minsta övriga enheterna, så att inga dolda siffror "
    "kan räknas fram ur totalerna. Personer och enhetskopplingar i dolda enheter visas inte, och antalet "
    "silor gäller de enheter som visas.",
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
    "too_little": "för lite underlag för en bedömning",
    "ei_hover": "{unit}<br>observerat {ei}<br>om banden föll på slumpvisa par av personer {expected}<br>"
    "om enheterna blandades om {perm}<br>p = {p}, q = {q}<br>{verdict}",
    "verdict_silo": "signifikant silo",
    "verdict_not_silo": "inte silo",
    "verdict_too_little_data": "för lite underlag för en bedömning",
    "verdict_not_tested": "inte testad",
    "not_shown": "{n} enhet(er) visas inte: inga band eller dolda siffror.",
    "bridges_title": "De {n} personerna med högst mellanliggande mellan enheter (som länkar personer i olika enheter)",
    "bridges_axis": "mellanliggande mellan enheter",
    "bridges_axis_all": "mellanliggande",
    "bridges_hover": "{person}<br>{unit}<br>mellanliggande mellan enheter {value}<br>mellanliggande {all}<br>"
    "enda bro för {sole} enhetspar",
    "no_bridges": "Ingen står mellan personer i olika enheter: varje kontakt över enhetsgränserna är direkt, "
    "eller så finns ingen.",
    "trend_title": "E-I-index per period: organisationen och varje enhet",
    "trend_org": "organisationen",
    "trend_expected": "organisationen, förväntat utifrån enheternas storlek",
    "trend_axis": "E-I-index (−1 = alla band inom, +1 = alla utanför)",
    "trend_hover": "{name}<br>{period}: {ei}",
    "no_periods": "Ingen period att visa.",
    # en enhets partnerenheter (dialogunderlaget)
    "partners_axis": "band",
    "partners_hover": "{partner}<br>{ties} band, {projects} gemensamma projekt",
    "partners_hover_sole": "{partner}<br>{ties} band, {projects} gemensamma projekt<br>länken hänger på en person",
    "no_partners": "Ingen partnerenhet.",
}

#: Dialogunderlagets ord (:mod:`analyser.report.unit_sheet`), samma nycklar som på engelska.
UNIT_SHEET_TEXT: dict[str, Any] = {
    "kicker": "Dialogunderlag",
    "title": "Dialogunderlag: {unit}",
    "level": "enhetsnivå {n}",
    "level_written": "enheter som de är skrivna",
    "privacy": {"names": "personer med namn", "pseudonyms": "personer som pseudonymkoder",
                "aggregate": "inga siffror om enskilda personer"},
    "source": "{source} · {level} · {privacy} · skapad {made} · analyser {version}",
    # bedömningen i klartext
    "share_other": "Av enhetens {ties} band når {share} andra enheter.",
    "share_single_out": "Enhetens enda band når en annan enhet.",
    "share_single_in": "Enhetens enda band stannar inom enheten.",
    "no_ties": "Enhetens personer delar inget projekt med någon annan, så den har inga band att jämföra.",
    "expect": "Om personerna behöll sina band men enheterna blandades om skulle vi vänta oss {perm}",
    "v_silo": "{expect}; skillnaden är större än slumpen förklarar (q {q}): en signifikant silo.",
    "v_chance": "{expect}; skillnaden kan vara slump (q {q}): ingen signifikant silo.",
    "v_open": "{expect}. Enheten håller fler band inom sig än så, men de flesta av dess band når ändå andra "
    "enheter: ingen silo.",
    "v_above": "{expect}: enheten är minst så öppen, så den är ingen silo.",
    "v_plain": "{expect}.",
    "v_too_little": "Underlaget räcker inte för en bedömning: en bedömning kräver minst {people} personer och "
    "deltagare i minst {projects} projekt med två eller fler personer.",
    "v_not_tested": "Om det är mer än slumpen testades inte: projektlistan är för stor för testet på personnivå.",
    "random": "Om banden föll på slumpvisa par av personer skulle {random} nå andra enheter.",
    "figures_line": "E-I {ei} (−1 = alla band inom enheten, +1 = alla band utanför); förväntat {perm} med "
    "omblandade enheter, {random} med slumpvisa par{q}.",
    "figures_q": "; q {q}",
    "key_people": "Personer",
    "key_projects": "Projekt",
    "key_inside": "Band inom enheten",
    "key_outside": "Band till andra enheter",
    "key_partners": "Partnerenheter",
    "key_cross": "Projekt över enhetsgränser",
    # partnerenheter
    "h_partners": "Partnerenheter",
    "partners_caption": "Band (par av personer som delar ett projekt) med varje partnerenhet.",
    "partners_caption_sole": "Band (par av personer som delar ett projekt) med varje partnerenhet; orange: "
    "länken hänger på en person.",
    "partners_more_one": "…och 1 partnerenhet till ({ties} band).",
    "partners_more_other": "…och {n} partnerenheter till ({ties} band sammanlagt).",
    "partners_none": "Ingen i enheten delar ett projekt med en annan enhet.",
    "sole_units_one": "Länken med {units} hänger på en person.",
    "sole_units_other": "Länkarna med {units} hänger på en person var.",
    # personer
    "h_people": "Personer som bär de externa banden",
    "people_intro": "{n} av enhetens {people} personer arbetar med personer i andra enheter; de med flest "
    "samarbetspartner utanför:",
    "people_intro_one": "1 av enhetens {people} personer arbetar med personer i andra enheter:",
    "people_skipped": "Siffror på personnivå beräknades inte: projektlistan är för stor för dem, så vem som bär "
    "de externa banden, och vilken länk som hänger på en person, är inte känt här.",
    "people_codes": "Personer visas som pseudonymkoder.",
    "people_none": "Ingen i enheten arbetar med personer i andra enheter.",
    "people_hidden": "Personer visas inte: underlaget är i aggregerat läge, som utelämnar alla siffror om "
    "enskilda personer.",
    "sole_title": "Länkar som hänger på en person",
    "sole_line": "{partner}: {people}",
    "sole_none": "Ingen länk till en annan enhet hänger på en enda person.",
    "sole_more": "…och {n} till.",
    # projekt
    "h_projects": "Projekt med andra enheter",
    "projects_intro": "{n} av enhetens {total} projekt har personer från andra enheter; de största:",
    "projects_none": "Inget av enhetens {total} projekt har personer från en annan enhet.",
    "projects_none_one": "Enhetens enda projekt har ingen från en annan enhet.",
    "projects_unknown": "Projektdeltagandena fanns inte till hands för det här underlaget.",
    "col_project": "Projekt",
    "col_members": "Personer (våra / alla)",
    "col_partners": "Andra enheter",
    "and_more": "+{n} till",
    # förändring över tid
    "h_change": "Förändring sedan förra perioden",
    "change_intro": "De två senaste perioderna (per {period}):",
    "col_period": "Period",
    "col_ei": "E-I",
    "col_ties_out": "Band till andra enheter",
    "col_ties_in": "Band inom enheten",
    "change_up": "En större andel av våra band nådde andra enheter {after} än {before}",
    "change_down": "En mindre andel av våra band nådde andra enheter {after} än {before}",
    "change_flat": "Andelen av våra band som når andra enheter ändrades knappt från {before} till {after}",
    "change_significant": "; förändringen är större än slumpen förklarar (p {p}).",
    "change_chance": "; förändringen kan vara slump (p {p}).",
    "change_untested": ".",
    "change_missing": "Enheten har inget E-I {period} (inga band, för få personer eller dolda siffror).",
    "change_no_dates": "Projektlistan har inga start- eller slutdatum, så det finns ingen tidigare period att "
    "jämföra med.",
    "change_off": "Förändring över tid beräknades inte för det här underlaget.",
    "change_one_period": "Bara en period ({period}) har projektdeltaganden, så det finns inget att jämföra med ännu.",
    # frågor: valda utifrån enhetens siffror (unit_sheet.discussion_questions)
    "h_questions": "Frågor till samtalet",
    "q_sole_named": "Vad händer med vårt arbete med {partner} om {people} är borta?",
    "q_sole_named_one": "Vad händer med vårt arbete med {partner}, och med en enhet till, om {people} är borta?",
    "q_sole_named_other": "Vad händer med vårt arbete med {partner}, och med {n} enheter till, om {people} är borta?",
    "q_sole_anonymous": "Vad händer med vårt arbete med {partner} om den enda person som länkar oss är borta?",
    "q_silo": "Vilka av våra mål kräver en annan enhet, och vem där känner vi?",
    "q_no_partners": "Ingen här delar ett projekt med en annan enhet. Var skulle samarbete med en annan enhet "
    "hjälpa oss mest?",
    "q_few_partners": "Vi arbetar bara med {partners}. Vilken annan enhet skulle vi vilja lära känna bättre, och "
    "vad vore ett första litet steg?",
    "q_rising": "En större andel av våra band når andra enheter än {before}. Vad fick det att hända, och vad vill "
    "vi behålla?",
    "q_falling": "En mindre andel av våra band når andra enheter än {before}. Vad har ändrats, och är det vad vi "
    "vill?",
    "q_concentrated": "{share} av våra externa band går via en person. Hur kan fler av oss dela de kontakterna?",
    "q_inward": "De flesta av våra band stannar inom enheten. Är det vad vårt arbete behöver?",
    "q_many_partners": "Vi arbetar med {n} andra enheter. Vilka av de länkarna betyder mest för våra mål?",
    "q_gone_better": "Vilket arbete i år hade gått bättre om en annan enhet varit med?",
    "q_turn_to": "Vem i en annan enhet vänder vi oss till när vi behöver hjälp, och känner alla här till dem?",
    "q_need_from_us": "Vad behöver andra enheter från oss som de inte får i dag?",
    "or": " eller ",
    "and": " och ",
    # enheter utan siffror
    "h_no_figures": "Inga siffror för den här enheten",
    "small": "Enheten har färre än {k} personer, den minsta grupp som analysen visar siffror för. Med så få "
    "personer skulle varje siffra beskriva enskilda personer snarare än enheten, så underlaget utelämnar dem.",
    "withheld": "Enhetens siffror är dolda tillsammans med mindre enheters: annars skulle de små enheternas "
    "siffror kunna räknas fram ur organisationens totaler.",
    "how_to_read": "Ett band är ett par av personer som delar minst ett projekt. E-I = (band till andra enheter − "
    "band inom enheten) ÷ alla band. q är p justerat för att alla enheter testas samtidigt; under {alpha} är en "
    "skillnad större än slumpen förklarar.",
    # förteckning för --per-unit
    "index_title": "Dialogunderlag",
    "index_intro": "Ett underlag per enhet i {source} ({level}, {privacy}). Vart och ett skrivs ut på en A4-sida, "
    "att ta med till samtalet med enheten.",
    "col_unit": "Enhet",
    "col_verdict": "Bedömning",
    "col_people": "Personer",
    "col_sheet": "Underlag",
    "no_figures": "inga siffror",
}
