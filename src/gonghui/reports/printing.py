"""The printed report: Django templates made into an A4 PDF by WeasyPrint (decision 0019).

Text is laid out by Pango and shaped by HarfBuzz with the system's Noto CJK fonts, which
WeasyPrint subsets and embeds, so the file prints the same anywhere. Nothing is fetched over
a network: the URL fetcher hands WeasyPrint only ``data:`` URIs and the app's own static
files, and refuses everything else. Without the system libraries WeasyPrint needs (Pango),
asking for a PDF is a :class:`DomainError` with a message saying what to install, never a 500.
"""

from __future__ import annotations

import logging
import mimetypes
import re
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.errors import DomainError
from gonghui.core.scope import Actor

from .checks import findings, run_checks
from .errors import ReportError as E
from .leaders import leaders_dashboard
from .releases import release_for
from .selectors import AnnualReport

log = logging.getLogger(__name__)

#: relative URLs in the printed templates resolve against this; only its static files load
BASE_URL = "file:///gonghui-print/"
UNAVAILABLE = _(
    "本服务器缺少生成 PDF 所需的系统组件（Pango 排版库），暂时不能导出 PDF。请联系系统管理员安装："
    "apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk"
)


def _weasyprint() -> Any:
    """The WeasyPrint module, or a DomainError if it or the libraries it loads are missing
    (it loads Pango when imported: an OSError without it)."""
    try:
        import weasyprint
    except (ImportError, OSError) as err:
        log.warning("PDF export unavailable: %s", err)
        raise DomainError(E.PDF_UNAVAILABLE, UNAVAILABLE) from err
    return weasyprint


def static_path(url: str) -> str | None:
    """The file behind one of the app's static URLs as the printed page names it
    (``file:///gonghui-print/static/reports/x.css`` or ``file:///static/...``), else None."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc:
        return None
    path = unquote(parts.path)
    static = "/" + settings.STATIC_URL.strip("/") + "/"
    for prefix in (BASE_URL.removeprefix("file://").rstrip("/") + static, static):
        if path.startswith(prefix):
            relative = path.removeprefix(prefix)
            if ".." in relative.split("/"):
                return None
            found = finders.find(relative)
            return found if isinstance(found, str) else None
    return None


def local_fetcher(weasyprint: Any) -> Any:
    """A URL fetcher that serves ``data:`` URIs and the app's static files only."""

    class LocalOnlyFetcher(weasyprint.URLFetcher):  # type: ignore[name-defined,misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_path(url)
            if path is None:
                raise ValueError(f"the printed report loads nothing from {url}")
            with open(path, "rb") as fh:
                body = fh.read()
            kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(
                url, body, headers={"Content-Type": kind}, status=200
            )

    return LocalOnlyFetcher(allowed_protocols={"data", "file"}, allow_redirects=False)


_SVG_IDS = re.compile(r'(id="|href="#|url\(#)(activate-serie-\d+|[a-z]+-serie-\d+)')


def unique_svg_ids(svg: str, prefix: str) -> str:
    """pygal names a few elements alike in every chart; several charts on one page need
    them apart."""
    return _SVG_IDS.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render ``template`` (a Django template of ``reports/print/``) to PDF bytes."""
    weasyprint = _weasyprint()
    html = render_to_string(template, context)
    document = weasyprint.HTML(
        string=html, base_url=BASE_URL, url_fetcher=local_fetcher(weasyprint)
    )
    pdf: bytes = document.write_pdf()
    return pdf


def report_print_context(
    actor: Actor, report: AnnualReport, *, dashboard: bool = True
) -> dict[str, Any]:
    """What the printed report shows: the figures by area, the logic checks' findings,
    whether it is final, and the leaders' dashboard with its charts."""
    union, period = report.union, report.period
    board = leaders_dashboard(actor=actor, union=union, period=period) if dashboard else None
    charts = []
    if board is not None:
        charts = [
            {"key": c.key, "title": c.title, "svg": unique_svg_ids(c.svg, f"c{i}")}
            for i, c in enumerate(board.charts)
        ]
    return {
        "title": _("%(union)s%(year)s年度工作报告数据")
        % {"union": union.name, "year": period.year},
        "report": report,
        "release": release_for(actor=actor, union=union, period=period),
        "findings": findings(run_checks(actor=actor, union=union, period=period)),
        "dashboard": board,
        "charts": charts,
        "generated_at": timezone.localtime(),
    }
