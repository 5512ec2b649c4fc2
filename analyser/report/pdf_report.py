"""The PDF silo report: the HTML report's sections with figures as images, printed to A4."""

from __future__ import annotations

import asyncio
import base64
import html
import re
import sys
import threading
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from analyser.i18n import section, t
from analyser.report.html_report import CSS, TEXTS as HTML_TEXTS, render_body
from analyser.report.language import current_language, report_language

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from analyser.analysis import Analysis

__all__ = ["TEXTS", "PdfExportError", "PdfUnavailable", "load_weasyprint", "CHROMIUM_MISSING", "render_pdf", "figure_pngs", "css_string", "printable",
           "pdf_document"]

#: Words only the PDF shows, per report language; everything else comes from
#: :data:`html_report.TEXTS`.
TEXTS = {lang: section("report.pdf", lang) for lang in ("en", "sv")}

CHROMIUM_MISSING = "PDF export needs Chromium (apt-get install chromium)"

FIGURE_WIDTH = 800  # CSS pixels kaleido lays a figure out in; the A4 text width is about 670
FIGURE_SCALE = 2  # pixel density of the PNG, so printed figures stay sharp
FIGURE_TIMEOUT = 90  # seconds kaleido may take for one figure before giving up

PDF_CSS = """
@page {
  size: A4;
  margin: 20mm 16mm 18mm;
  @top-left { content: %(title)s; font-size: 8pt; color: #5b6673; }
  @top-right { content: %(privacy)s; font-size: 8pt; color: #5b6673; }
  @bottom-right { content: %(footer)s; font-size: 8pt; color: #5b6673; }
}
body { font-size: 10pt; }
nav { display: block; }
nav ol { columns: 1; list-style: none; padding-left: 0; }
table { font-size: 7.5pt; }
th, td { padding: .2rem .25rem; overflow-wrap: break-word; }
/* headers wrap between words only: "Sever-ity" reads as two words */
th { hyphens: manual; overflow-wrap: normal; }
/* the unit table has fifteen columns: whole header words fit across a landscape page */
@page wide { size: A4 landscape; }
#units > table { page: wide; }
#units + section { break-before: page; }  /* back to portrait for the next section */
.badge { font-size: 7pt; padding: 0 .2rem; }
details > table { display: table; }
nav a::after { content: leader(". ") target-counter(attr(href), page); }
details > summary { color: inherit; font-weight: 600; break-after: avoid; }
h3 { break-after: avoid; }
.figure img { display: block; max-width: 100%%; max-height: 230mm; margin: 0 auto; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
"""


#: An on-screen toggle (``<summary class="toggle">Show all 4 findings</summary>``): paper cannot click.
_TOGGLE = re.compile(r'<summary class="toggle">.*?</summary>', re.S)


def printable(body: str) -> str:
    """Return report HTML as paper shows it: every ``<details>`` open, toggle texts left out.

    A ``<summary>`` that is a heading ("Key figures") stays; one that only says what clicking
    does (class ``toggle``: "Show all 4 findings") goes, since everything is printed anyway.

    >>> printable('<details class="findings"><summary class="toggle">Show all 4</summary><table></table></details>')
    '<details class="findings" open><table></table></details>'
    >>> printable("<details open><summary>Key figures</summary></details>")
    '<details open><summary>Key figures</summary></details>'
    """
    body = _TOGGLE.sub("", body)
    return re.sub(r"<details(?![^>]*\bopen\b)([^>]*)>", r"<details\1 open>", body)


class PdfExportError(RuntimeError):
    """The PDF report cannot be made here: a program it needs (Chromium) is missing or failed."""


class PdfUnavailable(PdfExportError):
    """PDF export cannot run on this system: a program pip cannot install is missing.

    ``key`` names the message in the ``install.*`` catalogue (``analyser/locale/*/install.po``)
    that says what to install on this operating system and that HTML export works without
    it; ``values`` fill it. ``str()`` is the English text; :meth:`message` renders it in the
    reader's language, as the CLI and the dashboard do.

    >>> PdfUnavailable("install.pdf.pango.linux", detail="no libpango").message("sv")[:36]
    'PDF-exporten behöver textbiblioteket'
    """

    def __init__(self, key: str, **values: object) -> None:
        self.key, self.values = key, values
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        """The message in ``lang`` (English for a language the tool does not speak)."""
        return t(self.key, lang, **self.values)


def _system() -> str:
    """``windows``, ``macos`` or ``linux`` (any other POSIX system): whose install advice applies."""
    return "windows" if sys.platform == "win32" else "macos" if sys.platform == "darwin" else "linux"


def load_weasyprint() -> Any:
    """The weasyprint module, or :class:`PdfUnavailable` saying how to install Pango on this system.

    pip installs WeasyPrint everywhere, but it loads the Pango library of the operating
    system when imported (an ``OSError`` when Pango is missing, as it is on Windows and macOS
    unless installed separately).
    """
    try:
        import weasyprint
    except (OSError, ImportError) as exc:
        raise PdfUnavailable(f"install.pdf.pango.{_system()}", detail=str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc
    return weasyprint


T = TypeVar("T")


def css_string(text: str) -> str:
    """Return ``text`` as a quoted CSS string that no character can break out of.

    Letters, digits and spaces stay; every other character becomes a CSS hex escape,
    so quotes, backslashes and ``</style>`` are harmless.

    Examples
    --------
    >>> css_string('Mode: "a"')
    '"Mode\\\\3a  \\\\22 a\\\\22 "'
    >>> css_string("Åsa")
    '"Åsa"'
    """
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text) + '"'


def _css_counters(template: str) -> str:
    """A CSS ``content`` value for ``template`` with {page} and {pages} as page counters."""
    parts = re.split(r"(\{pages?\})", template)
    counters = {"{page}": "counter(page)", "{pages}": "counter(pages)"}
    return " ".join(counters.get(p) or css_string(p) for p in parts if p)


def _page_css(analysis: Analysis) -> str:
    words = HTML_TEXTS[current_language()]
    mode = words["privacy_modes"].get(analysis.privacy, analysis.privacy)
    privacy = words["privacy_badge"].format(mode=mode)
    return PDF_CSS % {
        "title": css_string(words["title"]),
        "privacy": css_string(privacy),
        "footer": _css_counters(TEXTS[current_language()]["page_footer"]),
    }


def _run_coroutine(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to the end in its own thread, so it works even inside a running
    event loop (Jupyter, an async web server)."""
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["value"] = asyncio.run(make())
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
            result["error"] = exc

    worker = threading.Thread(target=run, name="analyser-pdf-figures")
    worker.start()
    worker.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


def figure_pngs(figures: Sequence[go.Figure]) -> list[bytes]:
    """Return each figure as PNG bytes, all drawn by one headless Chromium.

    One browser serves the whole report and is stopped afterwards (a browser per figure
    would cost about 2.5 s each). It is kaleido's own ``Kaleido`` session rather than its
    process-wide sync server, because that server hangs forever when Chromium fails to
    start and is shared by every thread of the process.

    Raises
    ------
    PdfExportError
        When no Chromium is installed (the message says how to install it).

    Examples
    --------
    >>> figure_pngs([])
    []
    """
    if not figures:
        return []
    import kaleido
    from kaleido.errors import ChromeNotFoundError

    specs = [fig.to_dict() for fig in figures]

    async def draw() -> list[bytes]:
        async with kaleido.Kaleido(n=1, timeout=FIGURE_TIMEOUT, mathjax=False) as session:
            out = []
            for spec in specs:
                opts = {"format": "png", "width": FIGURE_WIDTH, "height": spec["layout"].get("height") or 450,
                        "scale": FIGURE_SCALE}  # fmt: skip
                out.append(await session.calc_fig(spec, opts=opts))
            return out

    try:
        return _run_coroutine(draw)
    except ChromeNotFoundError as exc:
        command = f'"{sys.executable}" -c "import kaleido; kaleido.get_chrome_sync()"'
        raise PdfUnavailable("install.pdf.chrome", command=command) from exc
    except FileNotFoundError as exc:  # a BROWSER_PATH that names no program
        raise PdfUnavailable("install.pdf.browser_path", detail=str(exc)) from exc


def _image_embedder() -> tuple[Callable[[go.Figure, str], str], list[tuple[go.Figure, str]]]:
    """Collect figures in page order, leaving a slot where each image goes.

    A slot is markup that starts with ``<``, which escaped user text never contains.
    """
    collected: list[tuple[go.Figure, str]] = []

    def embed(fig: go.Figure, name: str) -> str:
        collected.append((fig, name))
        return f'<div class="figure" id="figure-{html.escape(name)}"><pdf-figure {len(collected) - 1}></div>'

    return embed, collected


def _image_tag(png: bytes, fig: go.Figure, name: str) -> str:
    title = fig.layout.title.text or name
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{html.escape(title)}">'


def _only_data_urls() -> Any:
    """A weasyprint URL fetcher that loads ``data:`` URLs only: the PDF never reaches out."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # weasyprint < 67 takes a plain function
        from weasyprint import default_url_fetcher

        def fetch(url: str, *args: Any, **kwargs: Any) -> Any:
            if not url.startswith("data:"):
                msg = f"the PDF report loads nothing from {url!r}"
                raise ValueError(msg)
            return default_url_fetcher(url, *args, **kwargs)

        return fetch
    return URLFetcher(allowed_protocols=("data",))


def render_pdf(analysis: Analysis, trends: Mapping[str, Any] | None = None, *, lang: str = "en") -> bytes:
    """Return the silo report as an A4 PDF.

    The PDF has the same seven sections, words and escaping as :func:`render_html`: it
    is built from the same section HTML, with each plotly figure drawn as a PNG image
    (kaleido, one headless Chromium for the whole report) instead of an interactive
    chart, and no JavaScript at all. weasyprint lays the page out. Every page carries the
    report title and the privacy mode at the top and "Page n of N" at the bottom; the
    contents list gives the page of each section. In ``aggregate`` mode there is no
    person name and no bridges figure, as in the HTML page.

    Parameters
    ----------
    analysis
        The result of :func:`analyser.analysis.analyse`.
    trends
        Optional :func:`analyser.periods.trends_json` (same privacy mode): adds section 8,
        "Change over time", with its figure as an image.
    lang
        ``"en"`` (default) or ``"sv"``, as in :func:`~analyser.report.render_html`; the page
        header and footer follow it too ("Sida n av N").

    Returns
    -------
    bytes
        The PDF file.

    Raises
    ------
    PdfExportError
        When Chromium, which draws the figures, is not installed. Install it with
        ``apt-get install chromium`` (Debian/Ubuntu) or point ``BROWSER_PATH`` at a
        Chrome or Chromium program.

    Examples
    --------
    >>> import polars as pl
    >>> from analyser.analysis import Analysis
    >>> e = pl.DataFrame()
    >>> render_pdf(Analysis(e, e, e, e, {}))[:5]  # doctest: +SKIP
    b'%PDF-'
    """
    HTML = load_weasyprint().HTML  # noqa: N806 - weasyprint's class

    return HTML(string=pdf_document(analysis, trends, lang=lang), url_fetcher=_only_data_urls()).write_pdf()


def pdf_document(
    analysis: Analysis,
    trends: Mapping[str, Any] | None = None,
    *,
    lang: str = "en",
    draw: Callable[[Sequence[go.Figure]], list[bytes]] = figure_pngs,
) -> str:
    """Return the HTML page :func:`render_pdf` prints: the report body made :func:`printable`,
    figures as PNG images drawn by ``draw`` (:func:`figure_pngs`), the report CSS and the
    page CSS (A4, header, footer, no hyphenated headers).

    A test can pass a ``draw`` that returns placeholder images to lay the page out without
    Chromium.
    """
    with report_language(lang):
        embed, collected = _image_embedder()
        body = render_body(analysis, embed, trends)
        words = HTML_TEXTS[lang]
        page_css = _page_css(analysis)
    pngs = draw([fig for fig, _ in collected])
    images = [_image_tag(png, fig, name) for png, (fig, name) in zip(pngs, collected, strict=True)]
    body = printable(re.sub(r"<pdf-figure (\d+)>", lambda m: images[int(m.group(1))], body))
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(words["lang"])}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(words['title'])}</title>\n<style>{CSS}{page_css}</style>\n"
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
