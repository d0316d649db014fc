"""Reading roster files as they really come: messy headers, odd encodings, every way of
writing a date or an ID number, and a row error (row, column, Chinese message) for each
problem. Pure functions: no database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from stdnum.cn.ric import calc_check_digit

from gonghui.core.errors import DomainError
from gonghui.core.importing import spreadsheet
from gonghui.core.importing.spreadsheet import RowError, SpreadsheetError, Table
from gonghui.membership import roster
from gonghui.membership.models import Gender, SkillGrade
from gonghui.membership.roster import read_roster
from tests.membership.roster_files import (
    HEADER,
    TODAY,
    full_width,
    person_row,
    ric_of,
    set_formula_cache,
    with_bad_check,
    write_csv,
    write_fake_encrypted_xlsx,
    write_png,
    write_xls,
    write_xlsx,
)

D = dt.date
SHANGHAI = ZoneInfo("Asia/Shanghai")
RIC = ric_of(D(1988, 6, 15), 11)  # a man
RIC2 = ric_of(D(1990, 1, 2), 22)  # a woman


def read(path: Path, today: dt.date = TODAY) -> Table:
    return read_roster(path, filename=path.name, today=today)


def xlsx(tmp_path: Path, rows: list[list[Any]], name: str = "roster.xlsx", **kw: Any) -> Table:
    return read(write_xlsx(tmp_path / name, rows, **kw))


def row(table: Table, number: int) -> roster.Row:
    found = [r for r in table.rows if r.number == number]
    assert found, f"no row {number}; rows are {[r.number for r in table.rows]}"
    return found[0]


def the_error(table: Table, number: int) -> RowError:
    errors = row(table, number).errors
    assert len(errors) == 1, errors
    return errors[0]


def assert_error(table: Table, number: int, column: str, fragment: str) -> RowError:
    error = the_error(table, number)
    assert (error.row, error.column) == (number, column), error
    assert fragment in error.message, error
    return error


def whole_file_error(path: Path) -> DomainError:
    with pytest.raises(DomainError) as info:
        read(path)
    return info.value


# --- finding the table ---------------------------------------------------------------------


def test_header_found_under_merged_banner_and_fill_in_line(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["甲企业工会2024年会员花名册"],
        ["填报单位：甲企业工会    填报日期：2024年5月1日"],
        ["序号", "职工姓名（必填）", "*身份证号码", "性别", "手机号码", "入会日期", "备注"],
        [1, "张三", RIC, "男", "13812345678", D(2015, 3, 1), "车间主任"],
        [2, "李四", RIC2, "女", "13912345678", D(2016, 4, 2), None],
    ]
    table = xlsx(tmp_path, rows, merge=["A1:G1", "A2:G2"])

    assert table.header_row == 3
    assert sorted(table.mapping.values()) == sorted(
        ["name", "ric", "gender", "mobile", "joined_on", "note"]
    )
    assert table.ignored == ["序号"]
    assert [r.number for r in table.rows] == [4, 5]
    assert all(not r.errors for r in table.rows)
    assert row(table, 4).values == {
        "name": "张三",
        "ric": RIC,
        "gender": Gender.MALE,
        "mobile": "+8613812345678",
        "joined_on": D(2015, 3, 1),
        "note": "车间主任",
    }


@pytest.mark.parametrize(
    ("name", "ric", "mobile", "joined"),
    [
        ("姓名", "身份证号", "手机号码", "入会时间"),
        ("职工姓名", "身份证号码", "联系电话", "入会日期"),
        ("会员姓名", "公民身份号码", "手机号", "入会年月"),
        ("姓名（必填）", "身份证号码*", "联系方式", "入会时间(年月日)"),
        ("* 姓 名", "＊身份证号", "手机", "加入工会时间"),
        ("姓名\n(必填)", "证件号码（18位）", "移动电话", "入会时间：（年月日）"),
    ],
)
def test_header_variants_are_recognised(
    tmp_path: Path, name: str, ric: str, mobile: str, joined: str
) -> None:
    rows: list[list[Any]] = [
        [name, ric, mobile, joined],
        ["张三", RIC, "13812345678", "2015-03-01"],
    ]
    table = read(write_csv(tmp_path / "roster.csv", rows))

    assert table.mapping == {0: "name", 1: "ric", 2: "mobile", 3: "joined_on"}
    assert row(table, 2).values == {
        "name": "张三",
        "ric": RIC,
        "mobile": "+8613812345678",
        "joined_on": D(2015, 3, 1),
    }


def test_row_errors_name_the_column_as_written_in_the_file(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["职工姓名（必填）", "＊身份证号码", "入会时间"],
        [None, with_bad_check(RIC), D(2015, 3, 1)],
    ]
    table = xlsx(tmp_path, rows)

    columns = {e.column for e in row(table, 2).errors}
    assert columns == {"职工姓名（必填）", "＊身份证号码"}
    assert table.headers == ["职工姓名（必填）", "＊身份证号码", "入会时间"]


def test_blank_rows_and_totals_row_are_skipped_and_numbers_kept(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["会员花名册"],
        ["序号", "姓名", "身份证号", "入会时间"],
        [1, "张三", RIC, D(2015, 3, 1)],
        [None, None, None, None],
        [2, "   ", "  ", None],  # only spaces: blank
        [3, "李四", RIC2, D(2016, 4, 2)],
        ["合计", "2人", None, None],
        [None, "合计：2 人", None, None],
    ]
    table = xlsx(tmp_path, rows)

    assert table.header_row == 2
    assert [r.number for r in table.rows] == [3, 6]
    assert table.skipped == 4
    assert all(not r.errors for r in table.rows)


def test_repeated_header_row_inside_the_data_is_skipped(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["姓名", "身份证号", "入会时间"],
        ["张三", RIC, "2015-03-01"],
        ["姓名", "身份证号", "入会时间"],  # a second sheet pasted below the first
        ["李四", RIC2, "2016-04-02"],
    ]
    table = read(write_csv(tmp_path / "pasted.csv", rows))

    assert [(r.number, r.values["name"]) for r in table.rows] == [(2, "张三"), (4, "李四")]
    assert table.skipped == 1
    assert all(not r.errors for r in table.rows)


def test_leading_empty_rows_and_columns_keep_file_row_numbers(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        [],
        [],
        [None, "姓名", "身份证号", "入会时间"],
        [None, "张三", with_bad_check(RIC), D(2015, 3, 1)],
    ]
    table = xlsx(tmp_path, rows)

    assert table.header_row == 3
    assert_error(table, 4, "身份证号", "校验位错误")


# --- file formats ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "bom"), [("gbk", False), ("utf-8", True), ("utf-8", False), ("gb18030", False)]
)
def test_csv_in_gbk_or_utf8_with_bom(tmp_path: Path, encoding: str, bom: bool) -> None:
    rows: list[list[Any]] = [
        ["甲企业工会会员花名册"],
        ["填报单位：甲企业工会", "", "填报日期：2024年5月1日"],
        ["姓名", "身份证号", "入会时间", "户籍所在地"],
        ["张三", RIC, "2015年3月1日", "浙江省杭州市"],
        ["欧阳娜娜", RIC2, "2016.4.2", "江西省南昌市"],
    ]
    table = read(write_csv(tmp_path / "roster.csv", rows, encoding=encoding, bom=bom))

    assert table.header_row == 3
    assert table.headers[0] == "姓名"  # no BOM left on the first header
    assert [r.values for r in table.rows] == [
        {"name": "张三", "ric": RIC, "joined_on": D(2015, 3, 1), "hukou": "浙江省杭州市"},
        {"name": "欧阳娜娜", "ric": RIC2, "joined_on": D(2016, 4, 2), "hukou": "江西省南昌市"},
    ]


def test_legacy_xls_is_read_with_dates_and_numbers(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["乙企业工会会员花名册"],
        ["姓名", "身份证号", "手机号码", "入会时间", "技术等级"],
        ["张三", RIC, "13812345678", D(2015, 3, 1), "高级工"],
        ["李四", RIC2, "13912345678", 42461, "技师"],  # a date cell that lost its format
    ]
    table = read(write_xls(tmp_path / "roster.xls", rows))

    assert table.header_row == 2
    assert [r.values for r in table.rows] == [
        {
            "name": "张三",
            "ric": RIC,
            "mobile": "+8613812345678",
            "joined_on": D(2015, 3, 1),
            "skill_grade": SkillGrade.SENIOR,
        },
        {
            "name": "李四",
            "ric": RIC2,
            "mobile": "+8613912345678",
            "joined_on": D(2016, 4, 1),
            "skill_grade": SkillGrade.TECHNICIAN,
        },
    ]


def test_formula_cells_give_their_cached_values(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "formulas.xlsx",
        [
            ["姓名", "身份证号", "入会时间"],
            ["张三", f'="{RIC[:9]}"&"{RIC[9:]}"', "=DATE(2015,3,1)"],
        ],
    )
    set_formula_cache(path, "B2", RIC)
    set_formula_cache(path, "C2", 42064)  # what Excel stores for 2015-03-01

    table = read(path)

    assert row(table, 2).values == {"name": "张三", "ric": RIC, "joined_on": D(2015, 3, 1)}
    assert not row(table, 2).errors


def test_formula_without_cached_value_is_a_row_error_not_a_crash(tmp_path: Path) -> None:
    # openpyxl (like other generators) saves formulas without their results.
    path = write_xlsx(
        tmp_path / "formulas.xlsx",
        [["姓名", "身份证号", "入会时间"], ["张三", f'="{RIC[:9]}"&"{RIC[9:]}"', D(2015, 3, 1)]],
    )
    set_formula_cache(path, "B2", None)

    table = read(path)

    assert_error(table, 2, "身份证号", "身份证号为空")


# --- values ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        pytest.param(D(2015, 3, 1), D(2015, 3, 1), id="excel-date-cell"),
        # Excel cells carry no time zone: a naive datetime is what the reader gets.
        pytest.param(dt.datetime(2015, 3, 1, 0, 0), D(2015, 3, 1), id="excel-datetime-cell"),  # noqa: DTZ001
        pytest.param(42064, D(2015, 3, 1), id="excel-serial-number"),
        pytest.param(20150301, D(2015, 3, 1), id="yyyymmdd-number"),
        pytest.param("2015.3.1", D(2015, 3, 1), id="dots"),
        pytest.param("2015年3月1日", D(2015, 3, 1), id="chinese"),
        pytest.param("2015 年 3 月 1 日", D(2015, 3, 1), id="chinese-with-spaces"),
        pytest.param("2015/03/01", D(2015, 3, 1), id="slashes"),
        pytest.param("20150301", D(2015, 3, 1), id="yyyymmdd-text"),
        pytest.param("2015-03-01", D(2015, 3, 1), id="iso"),
        pytest.param("２０１５－０３－０１", D(2015, 3, 1), id="full-width"),
        pytest.param("2015年3月", D(2015, 3, 1), id="year-month-chinese"),
        pytest.param("2015-3", D(2015, 3, 1), id="year-month-dash"),
        pytest.param("2015年11月", D(2015, 11, 1), id="year-month-two-digits"),
    ],
)
def test_join_date_formats(tmp_path: Path, cell: Any, expected: dt.date) -> None:
    table = xlsx(tmp_path, [["姓名", "身份证号", "入会时间"], ["张三", RIC, cell]])

    assert not row(table, 2).errors
    assert row(table, 2).values["joined_on"] == expected


@pytest.mark.parametrize(
    ("cell", "fragment"),
    [
        ("2015-02-30", "日期“2015-02-30”不存在"),
        ("2015.13.1", "不存在"),
        ("去年三月", "无法识别的日期"),
        ("15-3-1", "无法识别的日期"),
    ],
)
def test_impossible_or_unreadable_join_date(tmp_path: Path, cell: str, fragment: str) -> None:
    table = xlsx(tmp_path, [["姓名", "身份证号", "入会日期"], ["张三", RIC, cell]])

    error = assert_error(table, 2, "入会日期", fragment)
    assert error.value == cell


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        pytest.param(full_width(RIC), RIC, id="full-width-digits"),
        pytest.param(f" {RIC[:6]}　{RIC[6:14]} {RIC[14:]} ", RIC, id="spaces-and-ideographic"),
        pytest.param(f"{RIC[:6]}-{RIC[6:14]}-{RIC[14:]}", RIC, id="dashes"),
    ],
)
def test_id_number_is_cleaned(tmp_path: Path, cell: str, expected: str) -> None:
    table = xlsx(tmp_path, [["姓名", "身份证号", "入会时间"], ["张三", cell, D(2015, 3, 1)]])

    assert not row(table, 2).errors
    assert row(table, 2).values["ric"] == expected


def test_id_number_lower_case_x_is_upper_cased(tmp_path: Path) -> None:
    ric_x = next(r for r in (ric_of(D(1979, 9, 9), n) for n in range(1, 100)) if r[-1] == "X")
    table = xlsx(
        tmp_path, [["姓名", "身份证号", "入会时间"], ["张三", ric_x.lower(), D(2015, 3, 1)]]
    )

    assert not row(table, 2).errors
    assert row(table, 2).values["ric"] == ric_x


def test_legacy_15_digit_id_number_becomes_18(tmp_path: Path) -> None:
    legacy = "330104880615011"  # 1988-06-15, order 011
    table = xlsx(
        tmp_path,
        [["姓名", "身份证号", "入会时间"], ["张三", legacy, D(2015, 3, 1)]],
        text_columns=[1],
    )

    assert not row(table, 2).errors
    assert row(table, 2).values["ric"] == RIC


def test_id_number_stored_by_excel_as_a_number(tmp_path: Path) -> None:
    table = xlsx(
        tmp_path,
        [["姓名", "身份证号码", "入会时间"], ["张三", 3.30104199001011e17, D(2015, 3, 1)]],
    )

    error = assert_error(table, 2, "身份证号码", "Excel")
    assert "文本" in error.message


def test_id_number_as_scientific_text_from_a_csv(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "r.csv",
        [["姓名", "身份证号", "入会时间"], ["张三", "3.30104E+17", "2015-03-01"]],
    )

    error = assert_error(read(path), 2, "身份证号", "Excel")
    assert "文本" in error.message


def test_id_number_with_bad_check_character(tmp_path: Path) -> None:
    bad = with_bad_check(RIC)
    table = xlsx(tmp_path, [["姓名", "身份证号", "入会时间"], ["张三", bad, D(2015, 3, 1)]])

    error = assert_error(table, 2, "身份证号", f"校验位错误：应为 {RIC[-1]}")
    assert error.value == bad


def test_id_number_with_impossible_birth_date(tmp_path: Path) -> None:
    body = "33010419880230011"  # 30 February
    impossible = body + calc_check_digit(body + "0")
    table = xlsx(tmp_path, [["姓名", "身份证号", "入会时间"], ["张三", impossible, D(2015, 3, 1)]])

    assert_error(table, 2, "身份证号", "不是有效日期")


@pytest.mark.parametrize(
    ("cell", "fragment"),
    [
        (RIC[:6] + "********" + RIC[-4:], "已脱敏"),
        (RIC[:-1], "应为 18 位"),
        (RIC[:10] + "A" + RIC[11:], "非法字符"),
        (ric_of(D(1988, 6, 15), 11, region="999999"), "地区码"),
        (ric_of(D(2030, 1, 1), 11), "晚于今天"),
    ],
)
def test_other_bad_id_numbers(tmp_path: Path, cell: str, fragment: str) -> None:
    table = xlsx(tmp_path, [["姓名", "身份证号", "入会时间"], ["张三", cell, D(2015, 3, 1)]])

    assert_error(table, 2, "身份证号", fragment)


def test_missing_id_number(tmp_path: Path) -> None:
    table = xlsx(tmp_path, [["姓名", "身份证号", "入会时间"], ["张三", None, D(2015, 3, 1)]])

    assert_error(table, 2, "身份证号", "身份证号为空")


def test_duplicate_id_number_names_the_first_row(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["会员花名册"],
        ["姓名", "身份证号", "入会时间"],
        ["张三", RIC, D(2015, 3, 1)],
        ["李四", RIC2, D(2015, 3, 1)],
        ["张三（重复）", full_width(RIC), D(2016, 3, 1)],  # the same number, written otherwise
    ]
    table = xlsx(tmp_path, rows)

    assert not row(table, 3).errors
    assert_error(table, 5, "身份证号", "与第 3 行的身份证号重复")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        pytest.param("13812345678", "+8613812345678", id="plain"),
        pytest.param("+86 138 1234 5678", "+8613812345678", id="plus86-spaces"),
        pytest.param("86-13812345678", "+8613812345678", id="86-dash"),
        pytest.param("008613812345678", "+8613812345678", id="0086"),
        pytest.param("+86-138-1234-5678", "+8613812345678", id="plus86-dashes"),
        pytest.param(full_width("13812345678"), "+8613812345678", id="full-width"),
        pytest.param("138 1234 5678", "+8613812345678", id="spaces"),
        pytest.param(13812345678, "+8613812345678", id="excel-number-cell"),
        pytest.param(None, "", id="empty-is-allowed"),
    ],
)
def test_mobile_is_normalised(tmp_path: Path, cell: Any, expected: str) -> None:
    table = xlsx(
        tmp_path,
        [["姓名", "身份证号", "入会时间", "手机号码"], ["张三", RIC, D(2015, 3, 1), cell]],
    )

    assert not row(table, 2).errors
    assert row(table, 2).values["mobile"] == expected


@pytest.mark.parametrize("cell", ["1381234567", "23812345678", "010-12345678", "手机坏了"])
def test_invalid_mobile(tmp_path: Path, cell: str) -> None:
    table = xlsx(
        tmp_path,
        [["姓名", "身份证号", "入会时间", "联系电话"], ["张三", RIC, D(2015, 3, 1), cell]],
    )

    error = assert_error(table, 2, "联系电话", "不是有效的中国大陆手机号码")
    assert error.value == cell


def test_missing_name(tmp_path: Path) -> None:
    table = xlsx(tmp_path, [["职工姓名", "身份证号", "入会时间"], [None, RIC, D(2015, 3, 1)]])

    assert_error(table, 2, "职工姓名", "姓名为空")


def test_missing_join_date(tmp_path: Path) -> None:
    table = xlsx(tmp_path, [["姓名", "身份证号", "入会日期"], ["张三", RIC, None]])

    assert_error(table, 2, "入会日期", "入会时间为空")


def test_join_date_in_the_future(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["姓名", "身份证号", "入会时间"],
            ["张三", RIC, D(2024, 6, 1)],
            ["李四", RIC2, D(2024, 6, 2)],
        ],
    )
    with time_machine.travel(dt.datetime(2024, 6, 1, 23, 30, tzinfo=SHANGHAI), tick=False):
        table = read(path, today=timezone.localdate())

    assert not row(table, 2).errors  # today is not the future
    assert_error(table, 3, "入会时间", "在未来")


def test_join_date_before_birth(tmp_path: Path) -> None:
    table = xlsx(tmp_path, [["姓名", "身份证号", "入会时间"], ["张三", RIC, D(1980, 1, 1)]])

    assert_error(table, 2, "入会时间", "早于出生日期")


def test_gender_inconsistent_with_id_number(tmp_path: Path) -> None:
    table = xlsx(
        tmp_path,
        [["姓名", "性别", "身份证号", "入会时间"], ["张三", "女", RIC, D(2015, 3, 1)]],
    )

    error = assert_error(table, 2, "性别", "性别与身份证号不符")
    assert error.value == "女"


def test_birth_date_inconsistent_with_id_number(tmp_path: Path) -> None:
    table = xlsx(
        tmp_path,
        [
            ["姓名", "身份证号", "出生年月", "入会时间"],
            ["张三", RIC, D(1988, 6, 16), D(2015, 3, 1)],
            ["李四", RIC2, "1990年1月2日", D(2015, 3, 1)],
        ],
    )

    assert_error(table, 2, "出生年月", "出生日期与身份证号不符（身份证号为 1988-06-15）")
    assert not row(table, 3).errors


def test_every_problem_of_a_row_is_reported(tmp_path: Path) -> None:
    table = xlsx(
        tmp_path,
        [
            ["姓名", "性别", "身份证号", "手机号码", "入会时间"],
            [None, "不详", RIC, "12345", "明年"],
        ],
    )

    errors = {(e.row, e.column): e.message for e in row(table, 2).errors}
    assert set(errors) == {(2, "姓名"), (2, "性别"), (2, "手机号码"), (2, "入会时间")}
    assert "应为“男”或“女”" in errors[(2, "性别")]
    assert "无法识别的日期" in errors[(2, "入会时间")]


@pytest.mark.parametrize(
    ("gender", "migrant", "grade", "expected"),
    [
        ("男", "是", "初级工", (Gender.MALE, True, SkillGrade.JUNIOR)),
        ("男性", "否", "四级", (Gender.MALE, False, SkillGrade.INTERMEDIATE)),
        ("M", "√", "高级", (Gender.MALE, True, SkillGrade.SENIOR)),
        (None, "", "二级", ("", False, SkillGrade.TECHNICIAN)),
        ("男", "Y", "高级技师", (Gender.MALE, True, SkillGrade.SENIOR_TECHNICIAN)),
        ("男", "N", "", (Gender.MALE, False, "")),
    ],
)
def test_gender_yes_no_and_skill_grade_values(
    tmp_path: Path, gender: Any, migrant: str, grade: str, expected: tuple[Any, ...]
) -> None:
    table = xlsx(
        tmp_path,
        [
            ["姓名", "性别", "身份证号", "入会时间", "是否农民工", "职业技能等级"],
            ["张三", gender, RIC, D(2015, 3, 1), migrant, grade],
        ],
    )

    assert not row(table, 2).errors
    values = row(table, 2).values
    assert (values["gender"], values["migrant"], values["skill_grade"]) == expected


@pytest.mark.parametrize(
    ("column", "cell", "fragment"),
    [
        ("是否外来务工人员", "也许", "请填写“是”或“否”"),
        ("技术等级", "大师", "无法识别的技术等级"),
    ],
)
def test_bad_yes_no_or_skill_grade(tmp_path: Path, column: str, cell: str, fragment: str) -> None:
    table = xlsx(
        tmp_path,
        [["姓名", "身份证号", "入会时间", column], ["张三", RIC, D(2015, 3, 1), cell]],
    )

    assert_error(table, 2, column, fragment)


def test_too_long_text(tmp_path: Path) -> None:
    table = xlsx(
        tmp_path,
        [["姓名", "身份证号", "入会时间", "民族"], ["张三", RIC, D(2015, 3, 1), "汉" * 21]],
    )

    assert_error(table, 2, "民族", "最多 20 个字")


def test_export_header_is_read_back(tmp_path: Path) -> None:
    rows: list[list[Any]] = [HEADER, person_row("张三", RIC, mobile="13812345678")]
    table = xlsx(tmp_path, rows)

    assert set(table.mapping.values()) == {
        "name",
        "gender",
        "ric",
        "birth_date",
        "mobile",
        "workplace",
        "joined_on",
        "note",
    }
    assert not row(table, 2).errors


# --- whole-file problems ---------------------------------------------------------------------


def test_png_renamed_xlsx_is_not_a_spreadsheet(tmp_path: Path) -> None:
    error = whole_file_error(write_png(tmp_path / "花名册.xlsx"))

    assert error.code == SpreadsheetError.NOT_SPREADSHEET
    assert "不是 Excel 或 CSV 文件" in str(error.message)


def test_corrupt_zip_named_xlsx_is_not_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)

    error = whole_file_error(path)

    assert error.code == SpreadsheetError.NOT_SPREADSHEET
    assert "已损坏" in str(error.message)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")

    error = whole_file_error(path)

    assert error.code == SpreadsheetError.EMPTY
    assert "空" in str(error.message)


def test_workbook_without_data_is_empty(tmp_path: Path) -> None:
    error = whole_file_error(write_xlsx(tmp_path / "blank.xlsx", [[None], [None, "  "]]))

    assert error.code == SpreadsheetError.EMPTY
    assert "没有任何数据" in str(error.message)


def test_password_protected_xlsx(tmp_path: Path) -> None:
    error = whole_file_error(write_fake_encrypted_xlsx(tmp_path / "加密.xlsx"))

    assert error.code == SpreadsheetError.ENCRYPTED
    assert "密码" in str(error.message)


def test_no_recognisable_header(tmp_path: Path) -> None:
    rows = [["编号", "名称", "金额"], ["1", "办公用品", "300"]]
    error = whole_file_error(write_csv(tmp_path / "账单.csv", rows))

    assert error.code == SpreadsheetError.NO_HEADER
    for column in ("姓名", "身份证号", "入会时间"):
        assert column in str(error.message)


def test_header_missing_required_columns_names_them(tmp_path: Path) -> None:
    rows = [["标题行"], ["姓名", "性别", "手机号码"], ["张三", "男", "13812345678"]]
    error = whole_file_error(write_xlsx(tmp_path / "r.xlsx", rows))

    assert error.code == SpreadsheetError.NO_HEADER
    assert "第 2 行" in str(error.message)
    assert "身份证号、入会时间" in str(error.message)


def test_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spreadsheet, "MAX_BYTES", 100)
    path = write_csv(tmp_path / "r.csv", [["姓名", "身份证号", "入会时间"]] * 10)

    error = whole_file_error(path)

    assert error.code == SpreadsheetError.TOO_LARGE
    assert "50 MB" in str(error.message)


def test_too_many_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 10)
    rows: list[list[Any]] = [["姓名", "身份证号", "入会时间"]]
    rows += [[f"职工{i}", ric_of(D(1980, 1, 1), i), "2015-03-01"] for i in range(1, 60)]

    error = whole_file_error(write_csv(tmp_path / "r.csv", rows))

    assert error.code == SpreadsheetError.TOO_MANY_ROWS
    assert "超过 10 行" in str(error.message)
