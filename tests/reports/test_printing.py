"""The printed report: an A4 PDF in Chinese with the charts, fonts embedded, made without any
network; read back with poppler (pdftotext, pdffonts, pdftoppm) as a reader's printer would.
Also the command that writes every format for scripts."""

from __future__ import annotations

import csv
import io
import logging
import shutil
import socket
import subprocess
import sys
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from PIL import Image

from gonghui.core.errors import DomainError
from gonghui.reports import printing

from .conftest import client_for

PDF_URL = reverse("admin:report_pdf")
DRAFT = reverse("admin:report_draft")
CHART_BLUE = (0x25, 0x63, 0xEB)  # the first series' colour (core/charts.py)


def poppler(*args: str) -> str:
    """Run a poppler tool (the PDF is read as a reader's printer would)."""
    if not shutil.which(args[0]):
        pytest.fail(f"{args[0]} is missing: apt-get install poppler-utils (.ci/run does it)")
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout  # noqa: S603


def pages_as_images(pdf: Path, tmp_path: Path) -> list[Image.Image]:
    poppler("pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "page"))
    return [Image.open(p).convert("RGB") for p in sorted(tmp_path.glob("page-*.png"))]


def pixels(image: Image.Image) -> Any:
    raw = image.tobytes()  # RGB, three bytes a pixel
    return zip(raw[0::3], raw[1::3], raw[2::3], strict=True)


def near(pixel: tuple[int, int, int], colour: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


def count_colour(image: Image.Image, colour: tuple[int, int, int]) -> int:
    return sum(1 for px in pixels(image) if near(px, colour))


@pytest.fixture
def report_pdf(year, tmp_path, caplog) -> tuple[Path, Any]:
    caplog.set_level(logging.WARNING, logger="weasyprint")
    response = client_for(year.d.admin).get(PDF_URL, {"union": year.d.F.pk, "year": 2015})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert ".pdf" in response["Content-Disposition"]
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    return path, caplog


def test_the_pdf_is_a4_in_chinese_with_every_glyph_and_embedded_fonts(report_pdf, tmp_path):
    path, caplog = report_pdf

    info = poppler("pdfinfo", str(path))
    assert "595.276 x 841.89 pts (A4)" in info
    text = poppler("pdftotext", "-layout", str(path), "-")
    for words in (
        "测试区总工会2015年度工作报告数据",
        "组织建设",
        "新建工会组织",
        "帮扶救助",
        "管理可视化",
    ):
        assert words in text, words
    # WeasyPrint logs every character no font could draw (".notdef glyph rendered...").
    notdef = [r.getMessage() for r in caplog.records if "notdef" in r.getMessage()]
    assert notdef == []
    fonts = poppler("pdffonts", str(path)).splitlines()[2:]
    assert fonts, "the PDF names no font"
    for line in fonts:
        name, emb = line.split()[0], line.split()[-5]
        assert emb == "yes", f"font {name} is not embedded"
        assert "Noto" in name, f"unexpected font {name}"


def test_the_pdf_pages_render_with_text_and_the_charts(report_pdf, tmp_path):
    path, _caplog = report_pdf

    images = pages_as_images(path, tmp_path)
    assert len(images) >= 2
    first = images[0]
    title = first.crop((0, 0, first.width, first.height // 8))
    dark = sum(1 for px in pixels(title) if sum(px) < 200)
    assert dark > 200, "the title is not drawn"
    blue = [count_colour(img, CHART_BLUE) for img in images]
    assert max(blue) > 200, f"no chart drawn in the chart colours: {blue}"
    assert blue[0] < max(blue)  # the charts are in the dashboard section, not on page 1


def test_the_draft_pdf_is_readable(year, tmp_path):
    response = client_for(year.d.admin).get(
        DRAFT, {"union": year.d.F.pk, "year": 2015, "format": "pdf"}
    )
    assert response.status_code == 200
    path = tmp_path / "draft.pdf"
    path.write_bytes(response.content)
    text = poppler("pdftotext", str(path), "-")
    assert "测试区总工会2015年工作报告（文稿）" in text
    assert "全年新建工会组织3家" in text


def test_the_pdf_reads_through_the_viewers_scope(year, tmp_path):
    client = client_for(year.d.cadre_a)
    assert client.get(PDF_URL, {"union": year.d.F.pk, "year": 2015}).status_code == 404
    response = client.get(PDF_URL, {"year": 2015})
    path = tmp_path / "street.pdf"
    path.write_bytes(response.content)
    text = poppler("pdftotext", str(path), "-")
    assert "甲街道总工会" in text
    assert "乙街道总工会" not in text
    assert "乙二社区工会" not in text


# --- no network --------------------------------------------------------------------------------
def test_the_fetcher_refuses_everything_but_data_and_the_apps_static_files():
    weasyprint = printing._weasyprint()
    fetcher = printing.local_fetcher(weasyprint)
    for url in (
        "http://198.51.100.7/logo.png",
        "https://example.com/font.woff2",
        "file:///etc/passwd",
        f"{printing.BASE_URL}static/../../etc/passwd",
        "ftp://example.com/x",
    ):
        with pytest.raises(ValueError, match=r"loads nothing|disallowed protocol"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"
    css = fetcher.fetch(f"{printing.BASE_URL}static/reports/report.css")
    assert b".gh-pending" in css.read()


def test_rendering_never_opens_a_connection(year, monkeypatch):
    def refuse(*_args: Any, **_kw: Any) -> None:
        raise AssertionError("the PDF tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    pdf = printing.render_pdf(
        "reports/print/draft.html",
        {
            "title": "网络测试",
            "subtitle": '<img src="http://198.51.100.7/x.png">',
            "draft": type("D", (), {"sections": []})(),
        },
    )
    assert pdf.startswith(b"%PDF")


# --- without the system libraries ----------------------------------------------------------------
class _PangoMissing:
    """Makes ``import weasyprint`` fail as it does without Pango (an OSError from cffi)."""

    def find_spec(self, name: str, *_args: Any) -> None:
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")


@pytest.mark.parametrize("how", ["no_pango", "not_installed"])
def test_without_the_libraries_the_pdf_page_says_so_in_chinese(year, monkeypatch, how):
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    if how == "no_pango":
        monkeypatch.setattr(sys, "meta_path", [_PangoMissing(), *sys.meta_path])
    else:
        monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(DomainError):
        printing._weasyprint()

    response = client_for(year.d.admin).get(PDF_URL, {"year": 2015})

    assert response.status_code == 503
    html = response.content.decode()
    assert "暂时不能导出 PDF" in html
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk" in html
    draft = client_for(year.d.admin).get(DRAFT, {"year": 2015, "format": "pdf"})
    assert draft.status_code == 503
    with pytest.raises(CommandError, match="Pango"):
        call_command("annual_report", "--year", "2015", "--format", "pdf", "--output", "-")


# --- the command ---------------------------------------------------------------------------------
def test_command_writes_every_format(year, tmp_path):
    for fmt in ("xlsx", "pdf", "docx"):
        out = io.StringIO()
        target = tmp_path / f"r.{fmt}"
        call_command(
            "annual_report", "--union", "FED", "--year", "2015", "--format", fmt,
            "--output", str(target), stdout=out,
        )  # fmt: skip
        assert str(target) in out.getvalue()
        content = target.read_bytes()
        if fmt == "xlsx":
            book = load_workbook(BytesIO(content))
            assert "组织建设" in book.sheetnames
        elif fmt == "pdf":
            assert content.startswith(b"%PDF")
        else:
            texts = [p.text for p in Document(BytesIO(content)).paragraphs]
            assert any("全年新建工会组织3家" in t for t in texts)
    draft = tmp_path / "d.pdf"
    call_command(
        "annual_report", "--year", "2015", "--format", "pdf", "--draft", "--output", str(draft),
        stdout=io.StringIO(),
    )  # fmt: skip
    assert "全年新建工会组织3家" in poppler("pdftotext", str(draft), "-")


def test_command_csv_of_a_statistical_year(year):
    out = io.StringIO()
    call_command(
        "annual_report", "--year", "2015", "--period", "statistical", "--format", "csv", stdout=out
    )
    values = dict(list(csv.reader(io.StringIO(out.getvalue())))[1:])
    assert values["org.members_joined"] == "3"
    assert values["sample.return_rate"] == "66.7"


def test_a_character_no_font_has_is_caught_by_the_glyph_check(caplog):
    # The guard of the glyph check above: a private-use character has no glyph anywhere.
    caplog.set_level(logging.WARNING, logger="weasyprint")
    weasyprint = printing._weasyprint()
    weasyprint.HTML(string="<p>工会\U000f0001</p>").write_pdf()
    assert any("notdef" in r.getMessage() for r in caplog.records)
