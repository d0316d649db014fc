"""Reading members' rosters: the roster's columns and the rules of its values.

The generic reading (file formats, the header, blank and totals rows, dates, yes/no) is the
import engine's (``gonghui.core.importing.spreadsheet``); this module adds what only a roster
has: ID numbers (cleaned, checked, and their birth date and gender compared with the row),
mobiles, genders, skill grades, join dates, and duplicates within the file. Pure functions,
no database. Every problem becomes a :class:`RowError` with the row number and column as the
user sees them in the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from gonghui.core.identifiers import (
    IdentifierError,
    normalize_mobile,
    normalize_ric,
)
from gonghui.core.importing.spreadsheet import (
    Column,
    Row,
    RowError,
    Table,
    ValueProblem,
    as_written,
    is_repeated_header,
    is_totals,
    limited,
    locate_header,
    parse_bool,
    parse_date,
    present,
    read_table,
    text,
)

from .models import Gender, SkillGrade

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


def ric_born(ric: str) -> dt.date:
    """Birth date of a canonical (already validated) 18-character ID number."""
    return dt.date(int(ric[6:10]), int(ric[10:12]), int(ric[12:14]))


def ric_sex(ric: str) -> str:
    """Gender of a canonical (already validated) 18-character ID number."""
    return Gender.MALE if int(ric[16]) % 2 else Gender.FEMALE


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


PARSERS: dict[str, Callable[[Any], Any]] = {
    "name": limited(50),
    "gender": parse_gender,
    "birth_date": parse_date,
    "ethnicity": limited(20),
    "political_status": limited(20),
    "education": limited(20),
    "workplace": limited(200),
    "job_title": limited(50),
    "joined_on": parse_date,
    "hukou": limited(100),
    "migrant": parse_bool,
    "skill_grade": parse_grade,
    "note": limited(200),
}


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
    headers = {col: as_written(rows[header_index][col]) for col in mapping}
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
        if not any(present(cells[c]) for c in mapping):
            skipped += 1
            continue
        if is_totals(raw) or (
            cells[first_col] == header[first_col] and is_repeated_header(cells, header, mapping)
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
                    row.values[key] = normalize_mobile(text(value)) if present(value) else ""
                else:
                    row.values[key] = PARSERS[key](value)
            except (ValueProblem, IdentifierError) as err:
                row.errors.append(RowError(number, headers[col], text(value), str(err.message)))
        _check_row(row, headers, by_key, today)
        out.append(row)
    return out, skipped


def _mark_duplicates(
    parsed: list[Row], rows: Sequence[Sequence[Any]], header_index: int, mapping: dict[int, str]
) -> None:
    """The second and later rows with an ID number already seen in the file are invalid."""
    col = next((c for c, k in mapping.items() if k == "ric"), None)
    if col is None:
        return
    header = as_written(rows[header_index][col])
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
    if not present(value):
        raise ValueProblem(_("身份证号为空。"))
    if isinstance(value, str) and "*" in value:
        raise ValueProblem(_("身份证号已脱敏（含 *），无法导入；请使用完整号码。"))
    return normalize_ric(value, today=today)


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
    header_index, mapping, ignored = locate_header(rows, COLUMNS)
    parsed, skipped = parse_rows(rows, header_index, mapping, today=today, progress=progress)
    headers = [as_written(c) for c in rows[header_index]]
    return Table(header_index + 1, headers, mapping, ignored, parsed, skipped)


def export_headers() -> list[str]:
    return [c.header for c in COLUMNS]
