"""Roster files as union offices send them, built by the tests in ``tmp_path``.

Nothing binary is committed: every workbook, CSV, PNG and fake encrypted file is written here
from Python values (openpyxl for .xlsx, xlwt for .xls).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import xlwt
from stdnum.cn.ric import calc_check_digit

# The header the export writes, as far as a typical clerk's roster goes.
HEADER = ["姓名", "性别", "身份证号", "出生日期", "手机号码", "工作单位", "入会时间", "备注"]
TODAY = dt.date(2024, 6, 1)


def ric_of(born: dt.date = dt.date(1988, 6, 15), order: int = 1, *, region: str = "330104") -> str:
    """A valid 18-character ID number; ``order`` odd for a man, even for a woman."""
    body = f"{region}{born:%Y%m%d}{order:03d}"
    return body + calc_check_digit(body + "0")


def with_bad_check(ric: str) -> str:
    """The same number with a wrong check character."""
    wrong = "0" if ric[-1] != "0" else "1"
    return ric[:-1] + wrong


def full_width(value: str) -> str:
    """ASCII printable characters turned into their full-width forms (as some IMEs type)."""
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in value)


def person_row(
    name: str,
    ric: str,
    *,
    joined: Any = dt.date(2015, 3, 1),
    mobile: Any = "",
    gender: Any = "",
    birth: Any = "",
    workplace: Any = "",
    note: Any = "",
) -> list[Any]:
    """One row in the order of :data:`HEADER`."""
    return [name, gender, ric, birth, mobile, workplace, joined, note]


# --- writers ---------------------------------------------------------------------------------


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    merge: Iterable[str] = (),
    text_columns: Iterable[int] = (),
    sheet_title: str = "会员花名册",
) -> Path:
    """A workbook whose first sheet holds ``rows`` from A1 (``None`` leaves a cell empty).

    ``merge`` lists ranges to merge ("A1:H1"); cells in ``text_columns`` (0-based) get the
    "@" (text) number format, as a careful clerk sets for ID numbers.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet_title
    text_cols = set(text_columns)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif c - 1 in text_cols:
                cell.number_format = "@"
    for cells in merge:
        ws.merge_cells(cells)
    wb.save(path)
    return path


def write_xls(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    """A legacy .xls (BIFF8) workbook, dates as real date cells."""
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.date):
                ws.write(r, c, value, date_style)
            else:
                ws.write(r, c, value)
    wb.save(str(path))
    return path


def write_csv(
    path: Path, rows: Sequence[Sequence[Any]], *, encoding: str = "utf-8", bom: bool = False
) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    data = buf.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def set_formula_cache(path: Path, cell: str, cached: str | float | None) -> Path:
    """Give the formula in ``cell`` (written by openpyxl, which stores no result) a cached
    value, as Excel does on saving: a string result (``t="str"``) or a number. ``None``
    leaves the result empty, as openpyxl writes it."""
    data = {}
    with zipfile.ZipFile(path) as src:
        items = src.infolist()
        for item in items:
            data[item.filename] = src.read(item.filename)
    name = "xl/worksheets/sheet1.xml"
    xml = data[name].decode("utf-8")
    pattern = re.compile(rf'<c r="{cell}"([^>]*)><f>(.*?)</f>(?:<v\s*/>|<v>.*?</v>)?</c>')
    match = pattern.search(xml)
    assert match, f"no formula in {cell}"
    if cached is None:
        new = f'<c r="{cell}"{match.group(1)}><f>{match.group(2)}</f><v /></c>'
    elif isinstance(cached, str):
        attrs = re.sub(r'\st="[^"]*"', "", match.group(1))
        new = f'<c r="{cell}"{attrs} t="str"><f>{match.group(2)}</f><v>{cached}</v></c>'
    else:
        new = f'<c r="{cell}"{match.group(1)}><f>{match.group(2)}</f><v>{cached}</v></c>'
    data[name] = (xml[: match.start()] + new + xml[match.end() :]).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in items:
            out.writestr(item, data[item.filename])
    return path


def write_png(path: Path) -> Path:
    """A real 1x1 PNG image (whatever the file is called)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
    return path


def write_fake_encrypted_xlsx(path: Path) -> Path:
    """What Excel makes of a password-protected .xlsx: an OLE compound file (magic header)
    holding an "EncryptedPackage" stream. Only the parts the reader can see are faked."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff"
    directory = "EncryptedPackage".encode("utf-16-le") + b"\x00\x00"
    body = header.ljust(512, b"\x00") + directory.ljust(128, b"\x00") + b"\x00" * 4096
    path.write_bytes(body)
    return path


# --- readers ---------------------------------------------------------------------------------


def read_xlsx(source: Path | bytes) -> list[list[Any]]:
    """All rows of the first sheet of a workbook (a path or its bytes), as values."""
    handle: Any = io.BytesIO(source) if isinstance(source, bytes) else source
    wb = openpyxl.load_workbook(handle, read_only=True)
    ws = wb.worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    return rows


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
