"""Reading the roster files union offices really have (Excel, WPS, CSV) into clean rows.

Pure functions, no database: find the table in the file (under title rows, merged cells or a
"填报单位" line), map the Chinese column names and their variants, skip blank and totals rows,
and normalize every value the way a careful clerk would. Every problem becomes a
:class:`RowError` with the row number and column as the user sees them in the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from gonghui.core.errors import DomainError
from gonghui.core.identifiers import (
    IdentifierError,
    normalize_mobile,
    normalize_ric,
)

from .models import Gender, SkillGrade

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 500_000
HEADER_SCAN_ROWS = 30


class RosterError:
    """Codes of whole-file problems (a DomainError with one of these codes)."""

    NOT_SPREADSHEET = "not_spreadsheet"
    EMPTY = "empty"
    ENCRYPTED = "encrypted"
    TOO_LARGE = "too_large"
    TOO_MANY_ROWS = "too_many_rows"
    NO_HEADER = "no_header"


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the name the export writes and the importer reads first
    aliases: tuple[str, ...] = ()
    required: bool = False


# The roster's columns, in the order the export writes them.
COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", ("职工姓名", "会员姓名", "名字"), required=True),
    Column("gender", "性别"),
    Column(
        "ric",
        "身份证号",
        ("身份证号码", "公民身份号码", "身份证", "证件号码", "身份证件号码"),
        True,
    ),
    Column("birth_date", "出生日期", ("出生年月", "出生年月日")),
    Column("ethnicity", "民族"),
    Column("political_status", "政治面貌"),
    Column("education", "文化程度", ("学历", "最高学历")),
    Column("mobile", "手机号码", ("手机", "手机号", "联系电话", "联系方式", "电话", "移动电话")),
    Column("workplace", "工作单位", ("单位", "所在单位", "单位名称", "就业单位", "工作单位名称")),
    Column("job_title", "职务", ("岗位", "职务/岗位", "职务岗位", "职位")),
    Column(
        "joined_on", "入会时间", ("入会日期", "入会年月", "加入工会时间", "入会时间(年月日)"), True
    ),
    Column("hukou", "户籍所在地", ("户籍", "户口所在地", "籍贯", "户籍地")),
    Column(
        "migrant", "是否外来务工人员", ("外来务工人员", "是否农民工", "外来务工", "是否外来务工")
    ),
    Column("skill_grade", "技术等级", ("职业技能等级", "技能等级", "技术职称等级")),
    Column("note", "备注", ("说明",)),
)
BY_KEY = {c.key: c for c in COLUMNS}


def _fold(text: str) -> str:
    """Compare headers by content: full-width folded, no spaces, stars, notes in brackets."""
    text = unicodedata.normalize("NFKC", str(text))
    text = re.sub(r"[（(【\[].*?[）)】\]]", "", text)
    return re.sub(r"[\s*＊:：\n]", "", text).lower()


_ALIASES: dict[str, str] = {}
for _c in COLUMNS:
    for _a in (_c.header, *_c.aliases):
        _ALIASES[_fold(_a)] = _c.key


@dataclass
class RowError:
    row: int  # 1-based row number in the file
    column: str
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
            RosterError.NOT_SPREADSHEET,
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
        raise DomainError(RosterError.TOO_LARGE, _("文件超过 50 MB，请拆分后分批导入。"))
    if size == 0:
        raise DomainError(RosterError.EMPTY, _("文件是空的。"))
    with path.open("rb") as fh:
        head = fh.read(4096)
    kind = _sniff_kind(head, filename)
    if kind == "unknown":
        raise DomainError(
            RosterError.NOT_SPREADSHEET,
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
                RosterError.NOT_SPREADSHEET,
                _("CSV 文件格式有误（%s），请用 Excel/WPS 另存为后重新上传。") % err,
            ) from err
    else:
        rows = _read_workbook(path, kind, filename)
    if len(rows) > MAX_ROWS + HEADER_SCAN_ROWS:
        raise DomainError(
            RosterError.TOO_MANY_ROWS,
            _("文件超过 %d 行，请拆分后分批导入。") % MAX_ROWS,
        )
    if not any(any(_present(v) for v in r) for r in rows):
        raise DomainError(RosterError.EMPTY, _("文件中没有任何数据。"))
    return rows


def _read_workbook(path: Path, kind: str, filename: str) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as err:
        if kind == "ole" and _is_encrypted_ole(path):
            raise DomainError(
                RosterError.ENCRYPTED,
                _("文件设置了打开密码，请在 Excel/WPS 中取消密码后再上传。"),
            ) from err
        raise DomainError(
            RosterError.NOT_SPREADSHEET,
            _("无法读取“%s”：文件已损坏或不是 Excel 文件。") % filename,
        ) from err
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        if any(any(_present(v) for v in r) for r in rows):
            return rows  # calamine gives lists already: no copy of 1.5 million cells
    return []


def _is_encrypted_ole(path: Path) -> bool:
    # An encrypted OOXML file is an OLE container holding an "EncryptedPackage" stream.
    data = path.read_bytes()[:1_000_000]
    return "EncryptedPackage".encode("utf-16-le") in data


def _present(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _as_written(header: Any) -> str:
    """A header as the user wrote it (not width-folded), so errors name the column they see."""
    return "" if header is None else " ".join(str(header).split())


# --- the header --------------------------------------------------------------------------


def aliases_of(columns: Sequence[Column]) -> dict[str, str]:
    """Folded header text -> column key, for every name and alias of ``columns``."""
    return {_fold(a): c.key for c in columns for a in (c.header, *c.aliases)}


def locate_header(
    rows: Sequence[Sequence[Any]], columns: Sequence[Column] = COLUMNS
) -> tuple[int, dict[int, str], list[str]]:
    """The index of the header row, its column mapping and the headers it ignores.

    The header is the row among the first ones that names most known columns (title rows,
    "填报单位：…" lines and merged banner cells name none). It must name the required ones.
    """
    aliases = _ALIASES if columns is COLUMNS else aliases_of(columns)
    best: tuple[int, dict[int, str], list[str]] | None = None
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        mapping: dict[int, str] = {}
        ignored: list[str] = []
        for col, cell in enumerate(row):
            if not _present(cell):
                continue
            key = aliases.get(_fold(cell))
            if key and key not in mapping.values():
                mapping[col] = key
            else:
                ignored.append(str(cell).strip())
        if len(mapping) >= 2 and (best is None or len(mapping) > len(best[1])):
            best = (index, mapping, ignored)
    if best is None:
        raise DomainError(
            RosterError.NO_HEADER,
            _("没有找到表头：前 %(n)d 行中没有%(names)s等列名。")
            % {
                "n": HEADER_SCAN_ROWS,
                "names": "".join(f"“{c.header}”" for c in columns if c.required)[:40],
            },
        )
    missing = [c.header for c in columns if c.required and c.key not in best[1].values()]
    if missing:
        raise DomainError(
            RosterError.NO_HEADER,
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
_GRADES = {
    "初级": SkillGrade.JUNIOR,
    "初级工": SkillGrade.JUNIOR,
    "五级": SkillGrade.JUNIOR,
    "中级": SkillGrade.INTERMEDIATE,
    "中级工": SkillGrade.INTERMEDIATE,
    "四级": SkillGrade.INTERMEDIATE,
    "高级": SkillGrade.SENIOR,
    "高级工": SkillGrade.SENIOR,
    "三级": SkillGrade.SENIOR,
    "技师": SkillGrade.TECHNICIAN,
    "二级": SkillGrade.TECHNICIAN,
    "高级技师": SkillGrade.SENIOR_TECHNICIAN,
    "一级": SkillGrade.SENIOR_TECHNICIAN,
}
GRADE_LABELS = {g.value: str(g.label) for g in SkillGrade}


class ValueProblem(ValueError):
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


def ric_born(ric: str) -> dt.date:
    """Birth date of a canonical (already validated) 18-character ID number."""
    return dt.date(int(ric[6:10]), int(ric[10:12]), int(ric[12:14]))


def ric_sex(ric: str) -> str:
    """Gender of a canonical (already validated) 18-character ID number."""
    return Gender.MALE if int(ric[16]) % 2 else Gender.FEMALE


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


def parse_grade(value: Any) -> str:
    raw = text(value).replace(" ", "")
    if raw == "":
        return ""
    if raw in _GRADES:
        return _GRADES[raw]
    raise ValueProblem(
        _("无法识别的技术等级“%s”，可填：初级工、中级工、高级工、技师、高级技师。") % raw
    )


def parse_gender(value: Any) -> str:
    raw = text(value)
    if raw == "":
        return ""
    if raw in ("男", "男性", "M", "m"):
        return Gender.MALE
    if raw in ("女", "女性", "F", "f"):
        return Gender.FEMALE
    raise ValueProblem(_("性别应为“男”或“女”。"))


def _limit(max_length: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        raw = text(value)
        if len(raw) > max_length:
            raise ValueProblem(_("内容过长（最多 %d 个字）。") % max_length)
        return raw

    return parse


PARSERS: dict[str, Callable[[Any], Any]] = {
    "name": _limit(50),
    "gender": parse_gender,
    "birth_date": parse_date,
    "ethnicity": _limit(20),
    "political_status": _limit(20),
    "education": _limit(20),
    "workplace": _limit(200),
    "job_title": _limit(50),
    "joined_on": parse_date,
    "hukou": _limit(100),
    "migrant": parse_bool,
    "skill_grade": parse_grade,
    "note": _limit(200),
}


def _is_totals(row: Sequence[Any]) -> bool:
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


def parse_rows(
    rows: Sequence[Sequence[Any]],
    header_index: int,
    mapping: dict[int, str],
    *,
    today: dt.date,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Row], int]:
    """Normalize and check every data row; return the rows and how many were skipped.

    (Parsing in forked workers was tried: shipping 100,000 parsed rows back cost more than
    the second core saved.)
    """
    total = len(rows) - header_index - 1
    out, skipped = _parse_span(rows, header_index, mapping, 0, total, today, progress)
    _mark_duplicates(out, rows, header_index, mapping)
    return out, skipped


def _parse_span(
    rows: Sequence[Sequence[Any]],
    header_index: int,
    mapping: dict[int, str],
    start: int,
    stop: int,
    today: dt.date,
    progress: Callable[[int, int], None] | None,
) -> tuple[list[Row], int]:
    headers = {col: _as_written(rows[header_index][col]) for col in mapping}
    by_key = {key: col for col, key in mapping.items()}
    width = max(mapping) + 1
    header = rows[header_index]
    first_col = min(mapping)
    out: list[Row] = []
    skipped = 0
    total = len(rows) - header_index - 1
    for offset in range(start, stop):
        raw = rows[header_index + 1 + offset]
        number = header_index + 2 + offset
        if progress and offset % 5000 == 0:
            progress(offset, total)
        # calamine's rows are full width already; a CSV line may be short
        cells = raw if len(raw) >= width else [*raw, *([None] * (width - len(raw)))]
        if not any(_present(cells[c]) for c in mapping):
            skipped += 1
            continue
        if _is_totals(raw) or (
            cells[first_col] == header[first_col] and _is_repeated_header(cells, header, mapping)
        ):
            skipped += 1
            continue
        row = Row(number=number, values={}, raw=raw)
        for key, col in by_key.items():
            value = cells[col]
            try:
                if key == "ric":
                    row.values[key] = _parse_ric(value, today)
                elif key == "mobile":
                    # text(): Excel keeps a typed mobile as a number cell (13812345678.0)
                    row.values[key] = normalize_mobile(text(value)) if _present(value) else ""
                else:
                    row.values[key] = PARSERS[key](value)
            except (ValueProblem, IdentifierError) as err:
                row.errors.append(RowError(number, headers[col], text(value), str(err.message)))
        _check_row(row, headers, by_key, today)
        out.append(row)
    return out, skipped


def parse_simple(
    rows: Sequence[Sequence[Any]],
    header_index: int,
    mapping: dict[int, str],
    parsers: dict[str, Callable[[Any], Any]],
    required: Sequence[str],
) -> tuple[list[Row], int]:
    """Rows of a short list (enterprises, unions): each column through its parser, the
    required ones present; blank, totals and repeated header rows skipped."""
    headers = {col: _as_written(rows[header_index][col]) for col in mapping}
    header = rows[header_index]
    out: list[Row] = []
    skipped = 0
    for offset, raw in enumerate(rows[header_index + 1 :]):
        number = header_index + 2 + offset
        cells = [raw[c] if c < len(raw) else None for c in range(max(mapping) + 1)]
        if not any(_present(cells[c]) for c in mapping):
            skipped += 1
            continue
        if _is_totals(raw) or _is_repeated_header(cells, header, mapping):
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


def _mark_duplicates(
    parsed: list[Row], rows: Sequence[Sequence[Any]], header_index: int, mapping: dict[int, str]
) -> None:
    """The second and later rows with an ID number already seen in the file are invalid."""
    col = next((c for c, k in mapping.items() if k == "ric"), None)
    if col is None:
        return
    header = _as_written(rows[header_index][col])
    seen: dict[str, int] = {}
    for row in parsed:
        ric = row.values.get("ric")
        if not ric:
            continue
        if ric in seen:
            value = text(row.raw[col]) if col < len(row.raw) else ""
            message = _("与第 %d 行的身份证号重复。") % seen[ric]
            row.errors.append(RowError(row.number, header, value, str(message)))
        else:
            seen[ric] = row.number


def _parse_ric(value: Any, today: dt.date) -> str:
    if not _present(value):
        raise ValueProblem(_("身份证号为空。"))
    if isinstance(value, str) and "*" in value:
        raise ValueProblem(_("身份证号已脱敏（含 *），无法导入；请使用完整号码。"))
    return normalize_ric(value, today=today)


def _is_repeated_header(
    cells: Sequence[Any], header: Sequence[Any], mapping: dict[int, str]
) -> bool:
    """A header row repeated inside the data (as when sheets were pasted together)."""
    return sum(1 for col in mapping if col < len(header) and cells[col] == header[col]) >= 2


def _check_row(
    row: Row,
    headers: dict[int, str],
    by_key: dict[str, int],
    today: dt.date,
) -> None:
    v = row.values

    def problem(key: str, message: Any) -> None:
        col = by_key.get(key)
        header = headers[col] if col is not None else BY_KEY[key].header
        value = text(row.raw[col]) if col is not None and col < len(row.raw) else ""
        row.errors.append(RowError(row.number, header, value, str(message)))

    if "name" in v and not v["name"]:
        problem("name", _("姓名为空。"))
    joined = v.get("joined_on")
    if "joined_on" in v and joined is None and not _has_error(row, by_key, "joined_on", headers):
        problem("joined_on", _("入会时间为空。"))
    if joined and joined > today:
        problem("joined_on", _("入会时间 %s 在未来。") % joined)
    ric = v.get("ric")
    if ric:
        born = ric_born(ric)
        if joined and joined < born:
            problem("joined_on", _("入会时间早于出生日期。"))
        if v.get("birth_date") and v["birth_date"] != born:
            problem("birth_date", _("出生日期与身份证号不符（身份证号为 %s）。") % born)
        if v.get("gender") and v["gender"] != ric_sex(ric):
            problem("gender", _("性别与身份证号不符。"))


def _has_error(row: Row, by_key: dict[str, int], key: str, headers: dict[int, str]) -> bool:
    col = by_key.get(key)
    return col is not None and any(e.column == headers[col] for e in row.errors)


def read_roster(
    path: Path | str,
    *,
    filename: str,
    today: dt.date,
    progress: Callable[[int, int], None] | None = None,
) -> Table:
    """Read, locate the header and parse: the whole of a roster file, checked."""
    rows = read_table(path, filename=filename)
    header_index, mapping, ignored = locate_header(rows)
    parsed, skipped = parse_rows(rows, header_index, mapping, today=today, progress=progress)
    headers = [_as_written(c) for c in rows[header_index]]
    return Table(header_index + 1, headers, mapping, ignored, parsed, skipped)


def export_headers() -> list[str]:
    return [c.header for c in COLUMNS]


def iter_errors(rows: Iterable[Row]) -> Iterable[RowError]:
    for row in rows:
        yield from row.errors
