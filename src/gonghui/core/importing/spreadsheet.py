"""Reading the spreadsheets union offices really have (Excel, WPS, CSV) into rows.

Pure functions, no database, shared by every importer: open the file whatever its format
and encoding (refusing what is not a spreadsheet, is password-protected, empty or too big),
find the table in it (under title rows, merged cells or a "填报单位" line) by the names of
the importer's columns and their variants, skip blank, totals and repeated header rows, and
turn cells into clean values. Every problem with a cell becomes a :class:`RowError` with the
row number and the column as the user sees them in the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from gonghui.core.errors import DomainError
from gonghui.core.identifiers import IdentifierError

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 500_000
HEADER_SCAN_ROWS = 30


class SpreadsheetError:
    """Codes of whole-file problems (a DomainError with one of these codes)."""

    NOT_SPREADSHEET = "not_spreadsheet"
    EMPTY = "empty"
    ENCRYPTED = "encrypted"
    TOO_LARGE = "too_large"
    TOO_MANY_ROWS = "too_many_rows"
    NO_HEADER = "no_header"


@dataclass(frozen=True)
class Column:
    """A column an importer reads: its key, the header its template writes, the other ways
    offices write that header, and whether a file must have it."""

    key: str
    header: str  # the name the template (and an export) writes and the importer reads first
    aliases: tuple[str, ...] = ()
    required: bool = False


@dataclass
class RowError:
    row: int  # 1-based row number in the file
    column: str  # as the file writes it; "" for a problem of the whole row
    value: str
    message: str


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    raw: Sequence[Any]
    errors: list[RowError] = field(default_factory=list)


@dataclass
class Table:
    header_row: int  # 1-based
    headers: list[str]
    mapping: dict[int, str]  # column index -> column key
    ignored: list[str]
    rows: list[Row]
    skipped: int  # blank and totals rows

    def column_of(self, key: str) -> int | None:
        """The index of the file's column read as ``key`` (None when the file lacks it)."""
        return next((c for c, k in self.mapping.items() if k == key), None)

    def error(self, row: Row, key: str, message: Any, *, header: str = "") -> RowError:
        """Mark ``row`` invalid for the cell of column ``key``: the column named as the file
        writes it (or ``header`` when the file has no such column), with the cell's value."""
        col = self.column_of(key)
        name = self.headers[col] if col is not None and col < len(self.headers) else header
        value = text(row.raw[col]) if col is not None and col < len(row.raw) else ""
        problem = RowError(row.number, name, value, str(message))
        row.errors.append(problem)
        return problem


# --- reading -------------------------------------------------------------------------


def _sniff_kind(head: bytes, filename: str) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"  # .xls, or an encrypted (password-protected) .xlsx
    if filename.lower().endswith((".csv", ".txt")):
        return "csv"
    if b"\x00" in head[:1024]:
        return "unknown"
    return "csv"


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")  # a superset of GBK and GB2312, as WPS writes
    except UnicodeDecodeError:
        raise DomainError(
            SpreadsheetError.NOT_SPREADSHEET,
            _("无法识别文件的文字编码，请另存为 UTF-8 或 GBK 编码的 CSV，或 Excel 文件。"),
        ) from None


def read_table(path: Path | str, *, filename: str) -> list[list[Any]]:
    """All cells of the first non-empty sheet (or the CSV), as Python values.

    Formula cells give their cached values. Whole-file problems raise DomainError with a
    Chinese message: not a spreadsheet, empty, password-protected, too large, too many rows.
    """
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise DomainError(SpreadsheetError.TOO_LARGE, _("文件超过 50 MB，请拆分后分批导入。"))
    if size == 0:
        raise DomainError(SpreadsheetError.EMPTY, _("文件是空的。"))
    with path.open("rb") as fh:
        head = fh.read(4096)
    kind = _sniff_kind(head, filename)
    if kind == "unknown":
        raise DomainError(
            SpreadsheetError.NOT_SPREADSHEET,
            _("“%s”不是 Excel 或 CSV 文件，请上传 .xlsx、.xls 或 .csv 文件。") % filename,
        )
    if kind == "csv":
        text = _decode(path.read_bytes())
        sample = text[:4096]
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
        except csv.Error:
            dialect = csv.excel
        try:
            rows: list[list[Any]] = [list(r) for r in csv.reader(io.StringIO(text), dialect)]
        except csv.Error as err:
            raise DomainError(
                SpreadsheetError.NOT_SPREADSHEET,
                _("CSV 文件格式有误（%s），请用 Excel/WPS 另存为后重新上传。") % err,
            ) from err
    else:
        rows = _read_workbook(path, kind, filename)
    if len(rows) > MAX_ROWS + HEADER_SCAN_ROWS:
        raise DomainError(
            SpreadsheetError.TOO_MANY_ROWS,
            _("文件超过 %d 行，请拆分后分批导入。") % MAX_ROWS,
        )
    if not any(any(present(v) for v in r) for r in rows):
        raise DomainError(SpreadsheetError.EMPTY, _("文件中没有任何数据。"))
    return rows


def _read_workbook(path: Path, kind: str, filename: str) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as err:
        if kind == "ole" and _is_encrypted_ole(path):
            raise DomainError(
                SpreadsheetError.ENCRYPTED,
                _("文件设置了打开密码，请在 Excel/WPS 中取消密码后再上传。"),
            ) from err
        raise DomainError(
            SpreadsheetError.NOT_SPREADSHEET,
            _("无法读取“%s”：文件已损坏或不是 Excel 文件。") % filename,
        ) from err
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        if any(any(present(v) for v in r) for r in rows):
            return rows  # calamine gives lists already: no copy of 1.5 million cells
    return []


def _is_encrypted_ole(path: Path) -> bool:
    # An encrypted OOXML file is an OLE container holding an "EncryptedPackage" stream.
    data = path.read_bytes()[:1_000_000]
    return "EncryptedPackage".encode("utf-16-le") in data


def present(value: Any) -> bool:
    """Whether a cell holds anything but blanks."""
    return value is not None and str(value).strip() != ""


def as_written(header: Any) -> str:
    """A header as the user wrote it (not width-folded), so errors name the column they see."""
    return "" if header is None else " ".join(str(header).split())


# --- the header --------------------------------------------------------------------------


def fold(text: str) -> str:
    """Compare headers by content: full-width folded, no spaces, stars, notes in brackets."""
    text = unicodedata.normalize("NFKC", str(text))
    text = re.sub(r"[（(【\[].*?[）)】\]]", "", text)
    return re.sub(r"[\s*＊:：\n]", "", text).lower()


@lru_cache(maxsize=64)
def aliases_of(columns: tuple[Column, ...]) -> dict[str, str]:
    """Folded header text -> column key, for every name and alias of ``columns``."""
    return {fold(a): c.key for c in columns for a in (c.header, *c.aliases)}


def locate_header(
    rows: Sequence[Sequence[Any]], columns: Sequence[Column]
) -> tuple[int, dict[int, str], list[str]]:
    """The index of the header row, its column mapping and the headers it ignores.

    The header is the row among the first ones that names most known columns (title rows,
    "填报单位：…" lines and merged banner cells name none). It must name the required ones.
    """
    aliases = aliases_of(tuple(columns))
    best: tuple[int, dict[int, str], list[str]] | None = None
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        mapping: dict[int, str] = {}
        ignored: list[str] = []
        for col, cell in enumerate(row):
            if not present(cell):
                continue
            key = aliases.get(fold(cell))
            if key and key not in mapping.values():
                mapping[col] = key
            else:
                ignored.append(str(cell).strip())
        if len(mapping) >= 2 and (best is None or len(mapping) > len(best[1])):
            best = (index, mapping, ignored)
    if best is None:
        raise DomainError(
            SpreadsheetError.NO_HEADER,
            _("没有找到表头：前 %(n)d 行中没有%(names)s等列名。")
            % {
                "n": HEADER_SCAN_ROWS,
                "names": "".join(f"“{c.header}”" for c in columns if c.required)[:40],
            },
        )
    missing = [c.header for c in columns if c.required and c.key not in best[1].values()]
    if missing:
        raise DomainError(
            SpreadsheetError.NO_HEADER,
            _("表头（第 %(row)d 行）缺少必需的列：%(cols)s。")
            % {"row": best[0] + 1, "cols": "、".join(missing)},
        )
    return best


# --- values ------------------------------------------------------------------------------

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[.\-/年](\d{1,2})[.\-/月](\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})[.\-/年](\d{1,2})月?$"),  # year and month: the first of the month
)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "是的", "外来", "外来务工人员"}
_FALSE = {"否", "n", "no", "false", "0", "×", "✗", "无", "不是", "本地"}


class ValueProblem(ValueError):
    """A cell that cannot be read as its column's value; ``message`` says why, in Chinese."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def text(value: Any) -> str:
    """A cell as clean text: full-width folded, spaces trimmed, ``12.0`` read as ``12``."""
    if value is None:
        return ""
    if type(value) is str:
        if value.isascii():
            return " ".join(value.split()) if " " in value or "\t" in value else value.strip()
        return " ".join(unicodedata.normalize("NFKC", value).split())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return " ".join(unicodedata.normalize("NFKC", str(value)).split())


def parse_date(value: Any) -> dt.date | None:
    """Excel date cells, Excel serial numbers and the usual ways of writing a date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20_000 <= value <= 80_000:  # an Excel serial date whose cell lost its format
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        value = str(int(value))
    raw = text(value).replace(" ", "")
    for pattern in _DATE_PATTERNS:
        m = pattern.match(raw)
        if m:
            parts = [int(p) for p in m.groups()] + [1] * (3 - len(m.groups()))
            try:
                return dt.date(parts[0], parts[1], parts[2])
            except ValueError:
                raise ValueProblem(_("日期“%s”不存在。") % raw) from None
    raise ValueProblem(_("无法识别的日期“%s”，请写成 2015-03-01 的形式。") % raw)


def parse_bool(value: Any) -> bool:
    raw = text(value).lower()
    if raw == "":
        return False
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ValueProblem(_("请填写“是”或“否”，而不是“%s”。") % raw)


def limited(max_length: int) -> Callable[[Any], str]:
    """A parser of free text of at most ``max_length`` characters."""

    def parse(value: Any) -> str:
        raw = text(value)
        if len(raw) > max_length:
            raise ValueProblem(_("内容过长（最多 %d 个字）。") % max_length)
        return raw

    return parse


# --- rows ----------------------------------------------------------------------------------


def is_totals(row: Sequence[Any]) -> bool:
    """A "合计"/"总计" line under the data."""
    first_cell = next((v for v in row if v is not None and v != ""), None)
    if not isinstance(first_cell, str) or "计" not in first_cell:
        return False
    first = text(first_cell)
    return first.replace(" ", "") in (
        "合计",
        "总计",
        "小计",
        "合计：",
        "总计：",
    ) or first.startswith(("合计", "总计"))


def is_repeated_header(
    cells: Sequence[Any], header: Sequence[Any], mapping: dict[int, str]
) -> bool:
    """A header row repeated inside the data (as when sheets were pasted together)."""
    return sum(1 for col in mapping if col < len(header) and cells[col] == header[col]) >= 2


def parse_simple(
    rows: Sequence[Sequence[Any]],
    header_index: int,
    mapping: dict[int, str],
    parsers: dict[str, Callable[[Any], Any]],
    required: Sequence[str],
) -> tuple[list[Row], int]:
    """Rows of a short list (enterprises, unions...): each column through its parser, the
    required ones present; blank, totals and repeated header rows skipped."""
    headers = {col: as_written(rows[header_index][col]) for col in mapping}
    header = rows[header_index]
    out: list[Row] = []
    skipped = 0
    for offset, raw in enumerate(rows[header_index + 1 :]):
        number = header_index + 2 + offset
        cells = [raw[c] if c < len(raw) else None for c in range(max(mapping) + 1)]
        if not any(present(cells[c]) for c in mapping):
            skipped += 1
            continue
        if is_totals(raw) or is_repeated_header(cells, header, mapping):
            skipped += 1
            continue
        row = Row(number=number, values={}, raw=raw)
        for col, key in mapping.items():
            value = cells[col]
            try:
                row.values[key] = parsers[key](value)
            except (ValueProblem, IdentifierError) as err:
                row.errors.append(RowError(number, headers[col], text(value), str(err.message)))
                continue
            if key in required and row.values[key] in ("", None):
                row.errors.append(RowError(number, headers[col], "", str(_("不能为空。"))))
        out.append(row)
    return out, skipped


def read_list(
    path: Path | str,
    *,
    filename: str,
    columns: Sequence[Column],
    parsers: dict[str, Callable[[Any], Any]],
) -> Table:
    """Read, locate the header and parse a short list whose columns each have a parser."""
    rows = read_table(path, filename=filename)
    header_index, mapping, ignored = locate_header(rows, columns)
    required = [c.key for c in columns if c.required]
    parsed, skipped = parse_simple(rows, header_index, mapping, parsers, required)
    headers = [as_written(c) for c in rows[header_index]]
    return Table(header_index + 1, headers, mapping, ignored, parsed, skipped)


def iter_errors(rows: Iterable[Row]) -> Iterable[RowError]:
    for row in rows:
        yield from row.errors
