r"""Every word and number the tool shows, in the reader's language: one catalogue.

The words live in gettext catalogues, ``analyser/locale/<lang>/LC_MESSAGES/*.po``, one file
per area (``dashboard.po``, ``report.po``, ``datacheck.po``, ``cli.po``, ...). All files of a
language are merged into one catalogue, and a key may appear in only one file. The message
ids are stable keys (``nav_units``, ``report.html.title``); the English catalogue holds the
English text, so wording can change without touching code or invalidating the Swedish.
Placeholders are Python format fields (``{n}``), and :func:`t` fills them.

Numbers go through :func:`number`, :func:`integer` and :func:`percent`, which write them in
the language's custom via Babel (``en``; ``sv_SE``: decimal comma, a non-breaking space
between thousands) with a true minus sign. Plotly figures get the same style through
:func:`plotly_separators`.

Examples
--------
>>> t("nav_units", "sv"), t("level_n", "en", n=2)
('Enheter', 'Level 2')
>>> number(-1234.5, "sv"), number(-1234.5, "en"), integer(12000, "sv"), percent(0.615, "sv")
('−1\xa0234,50', '−1,234.50', '12\xa0000', '62\xa0%')
"""

from __future__ import annotations

import math
import os
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from babel.numbers import format_decimal

__all__ = [
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "catalogue",
    "check_language",
    "default_language",
    "integer",
    "number",
    "percent",
    "plotly_separators",
    "plural",
    "section",
    "t",
]

#: Languages the tool speaks (ISO 639-1 codes); the first is the fallback.
LANGUAGES = ("en", "sv")
#: Each language's name in itself, for the language picker.
LANGUAGE_NAMES = {"en": "English", "sv": "Svenska"}
#: The Babel locale whose number style each language uses.
LOCALES = {"en": "en", "sv": "sv_SE"}
#: Environment variable that sets the CLI's language when ``--lang`` is not given.
LANGUAGE_VARIABLE = "ANALYSER_LANG"

LOCALE_DIR = Path(__file__).parent / "locale"
_MINUS = "\u2212"


def check_language(lang: str) -> str:
    """Return ``lang`` if the tool speaks it; else raise ``ValueError``.

    >>> check_language("sv")
    'sv'
    >>> check_language("fi")
    Traceback (most recent call last):
    ...
    ValueError: unknown language 'fi'; supported: en, sv
    """
    if lang not in LANGUAGES:
        msg = f"unknown language {lang!r}; supported: {', '.join(LANGUAGES)}"
        raise ValueError(msg)
    return lang


def default_language(environ: dict[str, str] | None = None) -> str:
    """The language of the ``ANALYSER_LANG`` setting (``sv``, ``sv_SE.UTF-8`` ...), else English.

    >>> default_language({"ANALYSER_LANG": "sv_SE.UTF-8"}), default_language({})
    ('sv', 'en')
    """
    value = (os.environ if environ is None else environ).get(LANGUAGE_VARIABLE, "")
    code = value.strip().lower()[:2]
    return code if code in LANGUAGES else LANGUAGES[0]


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every key of ``lang`` and its text, merged from the language's ``.po`` files.

    Raises ``ValueError`` when a key appears in two files of the language, so that one
    key always means one text.
    """
    check_language(lang)
    merged: dict[str, str] = {}
    origin: dict[str, str] = {}
    for path in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            messages = read_po(handle, locale=LOCALES[lang])
        for message in messages:
            if not message.id:
                continue
            if message.id in merged:
                msg = f"{path.name}: key {message.id!r} is also in {origin[message.id]}"
                raise ValueError(msg)
            merged[message.id] = message.string or ""
            origin[message.id] = path.name
    return merged


def t(key: str, lang: str = "en", **values: object) -> str:
    """Return the text ``key`` in ``lang`` (English when the language is unknown), filled with ``values``.

    Examples
    --------
    >>> t("nav_units", "sv"), t("level_n", "en", n=2)
    ('Enheter', 'Level 2')
    """
    text = catalogue(lang if lang in LANGUAGES else LANGUAGES[0])[key]
    return text.format(**values) if values else text


def plural(key: str, n: int, lang: str = "en", **values: object) -> str:
    """The text ``key_one`` when ``n`` is 1, else ``key_other``, with ``{n}`` written as a count.

    Both languages have one singular and one plural form, so two keys suffice; a text that
    shows a count never reads "1 people".

    Examples
    --------
    >>> plural("count_people", 1, "en"), plural("count_people", 1200, "sv")
    ('1 person', '1\xa0200 personer')
    """
    form = "one" if n == 1 else "other"
    return t(f"{key}_{form}", lang, n=integer(n, lang), **values)


def section(prefix: str, lang: str) -> dict[str, Any]:
    """The keys under ``prefix.`` as a nested dictionary (``a.b.c`` becomes ``{"a": {"b": {"c": ...}}}``).

    The report builders take their words this way: one dictionary per report part.

    >>> section("report.html", "sv")["privacy_modes"]["aggregate"][:10]
    'aggregerat'
    """
    start = prefix + "."
    nested: dict[str, Any] = {}
    for key, text in catalogue(lang if lang in LANGUAGES else LANGUAGES[0]).items():
        if not key.startswith(start):
            continue
        *parents, leaf = key[len(start) :].split(".")
        node = nested
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = text
    return nested


def _finite(value: float | int | None) -> bool:
    return value is not None and not (isinstance(value, float) and not math.isfinite(value))


def number(value: float | int | None, lang: str = "en", digits: int = 2) -> str:
    r"""``value`` with ``digits`` decimals in the language's style; "withheld" when missing.

    Whole numbers (``int``) get no decimals. The minus is a true minus sign.

    Examples
    --------
    >>> number(-0.256, "sv"), number(0.5, "en"), number(1200, "en"), number(None, "sv")
    ('−0,26', '0.50', '1,200', 'dolt')
    """
    if not _finite(value):
        return t("withheld", lang)
    if isinstance(value, int) and not isinstance(value, bool):
        return integer(value, lang)
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    text = format_decimal(value, format=pattern, locale=LOCALES.get(lang, "en"))
    return text.replace("-", _MINUS)


def integer(value: int | float | None, lang: str = "en") -> str:
    r"""A count with the language's thousands separator (rounded when not whole).

    >>> integer(1234567, "sv"), integer(1234567, "en"), integer(-3, "en")
    ('1\xa0234\xa0567', '1,234,567', '−3')
    """
    if not _finite(value):
        return t("withheld", lang)
    text = format_decimal(round(value), format="#,##0", locale=LOCALES.get(lang, "en"))
    return text.replace("-", _MINUS)


def percent(share: float | None, lang: str = "en", digits: int = 0) -> str:
    r"""A share (0-1) as a percentage with a space before the sign, as both languages write it.

    >>> percent(0.615, "en"), percent(0.615, "sv"), percent(0.0634, "sv", digits=1)
    ('62 %', '62\xa0%', '6,3\xa0%')
    """
    if not _finite(share):
        return t("withheld", lang)
    value = 100 * share
    text = number(round(value) if digits == 0 else value, lang, digits)
    return f"{text}\u00a0%" if lang == "sv" else f"{text} %"


def plotly_separators(lang: str) -> str:
    r"""Plotly's ``layout.separators`` for ``lang``: the decimal mark, then the thousands mark.

    >>> plotly_separators("sv"), plotly_separators("en")
    (',\xa0', '.,')
    """
    return ",\u00a0" if lang == "sv" else ".,"
