"""Tests for gonghui.core.identifiers (pure Python, no database)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum import numdb
from stdnum.cn.ric import calc_check_digit as ric_check
from stdnum.cn.uscc import calc_check_digit as uscc_check

from gonghui.core.identifiers import (
    IdentifierError,
    mask_mobile,
    mask_ric,
    normalize_mobile,
    normalize_ric,
    normalize_uscc,
    ric_birth_date,
    ric_gender,
)

TODAY = date(2025, 6, 1)
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# Every county-level code in python-stdnum's region data, whatever its validity years, with
# the last year it was in use (read here independently: "[1983-2019]桥东区,[2020-]襄都区").
REGION_LAST_YEAR = {
    low + child_low: max(
        int(end) if end else 9999
        for end in re.findall(r"(?:^|,)(?:\[\d*-(\d*)\])?[^,]*", child_props["county"])
    )
    for _l, low, _h, _p, children in numdb.get("cn/loc").prefixes
    for _cl, child_low, _ch, child_props, _c in children
    if child_props
}
REGIONS = sorted(REGION_LAST_YEAR)


def make_ric(region: str, born: date, seq: int) -> str:
    body = f"{region}{born:%Y%m%d}{seq:03d}"
    return body + ric_check(body + "0")


def make_uscc(body17: str) -> str:
    return body17 + uscc_check(body17)


def code_of(raw: object, func=normalize_ric, **kwargs: object) -> str:
    with pytest.raises(IdentifierError) as info:
        func(raw, **kwargs)
    return info.value.code


@pytest.fixture
def rendered():
    """Lazy messages need Django's translation machinery; skip until settings load."""
    from django.apps import apps
    from django.utils import translation

    if not apps.ready:
        pytest.skip("Django settings are not loaded")
    with translation.override("zh-hans"):
        yield


def message_of(raw: object, func=normalize_ric, **kwargs: object) -> str:
    with pytest.raises(IdentifierError) as info:
        func(raw, **kwargs)
    return str(info.value.message)


# --- Resident identity card numbers ------------------------------------------------------


def test_region_data_has_county_level_codes() -> None:
    assert len(REGIONS) > 6000
    assert {"110103", "110000", "110100", "330104", "810000"} <= set(REGIONS)


def births_for(region: str) -> st.SearchStrategy[date]:
    """Birth dates a number with ``region`` can have: not after the code was abolished."""
    last = min(2020, REGION_LAST_YEAR[region])
    return st.dates(min_value=date(1900, 1, 1), max_value=date(last, 12, 31))


regions_and_births = st.sampled_from(REGIONS).flatmap(
    lambda region: st.tuples(st.just(region), births_for(region))
)
rics = st.builds(
    lambda rb, seq: make_ric(rb[0], rb[1], seq), regions_and_births, st.integers(0, 999)
)


@given(regions_and_births, st.integers(0, 999))
def test_valid_ric_round_trips(region_and_birth: tuple[str, date], seq: int) -> None:
    region, born = region_and_birth
    ric = make_ric(region, born, seq)
    assert normalize_ric(ric, today=TODAY) == ric
    assert ric_birth_date(ric) == born
    assert ric_gender(ric) == ("M" if seq % 2 else "F")


@given(rics, st.data())
def test_ric_tolerates_spacing_full_width_and_lower_case(ric: str, data: st.DataObject) -> None:
    chars = []
    for ch in ric.lower():
        if data.draw(st.booleans()):
            ch = chr(ord(ch) + 0xFEE0)  # full-width form
        chars.append(ch + data.draw(st.sampled_from(["", "", " ", "\u3000", "-", "\t"])))
    assert normalize_ric(" " + "".join(chars) + "\u3000", today=TODAY) == ric


@given(rics, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_character_change_is_rejected(ric: str, pos: int, new: str) -> None:
    assume(new != ric[pos] and (new != "X" or pos == 17))
    changed = ric[:pos] + new + ric[pos + 1 :]
    assert code_of(changed, today=TODAY) in {"ric_checksum", "ric_excel_number"}


def test_known_example_with_x() -> None:
    assert normalize_ric("11010519491231002x") == "11010519491231002X"
    assert normalize_ric("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"
    assert normalize_ric(" 110105 19491231 002X ") == "11010519491231002X"
    assert ric_gender("11010519491231002X") == "F"
    assert code_of("110105194912310025") == "ric_checksum"


def test_fifteen_digit_card_is_converted() -> None:
    ric = normalize_ric("330104900101123", today=TODAY)
    assert ric == make_ric("330104", date(1990, 1, 1), 123)
    assert ric_birth_date("330104900101123") == date(1990, 1, 1)
    assert ric_gender("330104900101123") == "M"
    assert ric_gender("330104900101124") == "F"
    assert code_of("330104900230123") == "ric_birth_date"
    assert code_of("99010490010112 3") == "ric_region"
    assert code_of("33010490010112X") == "ric_format"


def test_region_abolished_after_the_birth_accepted() -> None:
    # 110103 崇文区 was merged away in 2010, 330104 江干区 in 2021; people keep the code they
    # were issued.
    for region, born in [
        ("110103", date(2005, 3, 4)),
        ("110103", date(2010, 12, 31)),  # abolished that year: issued before, still valid
        ("330104", date(1990, 1, 1)),
        ("120110", date(1985, 7, 1)),  # [-1991]东郊区,[1992-]东丽区: the code lives on
    ]:
        ric = make_ric(region, born, 11)
        assert normalize_ric(ric, today=TODAY) == ric


def test_region_abolished_before_the_birth_rejected(rendered: None) -> None:
    # 崇文区 ended in 2010: nobody born in 2015 was given its code; 燕山区 ended in 1986.
    ric = make_ric("110103", date(2015, 3, 4), 11)
    assert code_of(ric, today=TODAY) == "ric_region_abolished"
    assert message_of(ric, today=TODAY) == (
        "身份证号码前 6 位的地区码 110103（崇文区）已于 2010 年撤销，"
        "不可能签发给 2015 年出生的人，请核对号码。"
    )
    assert code_of(make_ric("110110", date(1987, 1, 1), 1), today=TODAY) == ("ric_region_abolished")
    assert code_of(make_ric("330104", date(2022, 1, 1), 1), today=TODAY) == ("ric_region_abolished")


def test_region_created_after_birth_accepted() -> None:
    # 110118 密云区 exists since 2015; 330112 临安区 since 2017; 130502 was 桥东区 until 2019
    # and is 襄都区 since.
    for region, born in [
        ("110118", date(1980, 5, 6)),
        ("330112", date(1950, 1, 1)),
        ("130502", date(2022, 2, 2)),
    ]:
        ric = make_ric(region, born, 42)
        assert normalize_ric(ric, today=TODAY) == ric


@pytest.mark.parametrize("region", ["990000", "339999", "110199", "000000"])
def test_unknown_region_rejected(region: str) -> None:
    assert code_of(make_ric(region, date(1990, 1, 1), 1), today=TODAY) == "ric_region"


def test_taiwan_residence_permit_region_accepted() -> None:
    for region in ["810000", "820000", "830000"]:
        ric = make_ric(region, date(1990, 1, 1), 1)
        assert normalize_ric(ric, today=TODAY) == ric


@pytest.mark.parametrize("birth", ["19900230", "19901301", "19900001", "20230229"])
def test_impossible_birth_date_rejected(birth: str) -> None:
    body = f"330104{birth}123"
    assert code_of(body + ric_check(body + "0"), today=TODAY) == "ric_birth_date"


def test_birth_date_limits() -> None:
    assert normalize_ric(make_ric("330102", TODAY, 1), today=TODAY)
    assert code_of(make_ric("330102", date(2025, 6, 2), 1), today=TODAY) == "ric_birth_date"
    assert normalize_ric(make_ric("330104", date(1890, 1, 1), 1), today=TODAY)
    assert code_of(make_ric("330104", date(1889, 12, 31), 1), today=TODAY) == "ric_birth_date"
    assert normalize_ric(make_ric("330104", date(2000, 2, 29), 1), today=TODAY)


@pytest.mark.parametrize(
    "raw",
    [
        330104199001011234,
        3.30104199001011e17,
        330104900101123,
        "3.30104E+17",
        "3.30104e17",
        "3.30104199001011E+17",
        "330104199001011000.0",
    ],
)
def test_excel_numbers_rejected(raw: object) -> None:
    assert code_of(raw) == "ric_excel_number"


def test_excel_truncated_string_rejected() -> None:
    damaged = "330104199001011000"
    assert ric_check(damaged) != "0"
    assert code_of(damaged, today=TODAY) == "ric_excel_number"


def test_valid_number_ending_in_000_accepted() -> None:
    valid = next(
        ric
        for day in range(1, 29)
        if (ric := make_ric("330104", date(1990, 1, day), 100)).endswith("000")
    )
    assert normalize_ric(valid, today=TODAY) == valid


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "ric_empty"),
        ("  \u3000 ", "ric_empty"),
        (None, "ric_empty"),
        ("3301041990010112", "ric_length"),
        ("3301041990010112345", "ric_length"),
        ("33010419900101123", "ric_length"),
        ("33010419900101123Y", "ric_format"),
        ("3301041990X1011234", "ric_format"),
        ("张三", "ric_format"),
        (b"330104199001011234", "ric_format"),
        (True, "ric_format"),
    ],
)
def test_malformed_ric_rejected(raw: object, code: str) -> None:
    assert code_of(raw) == code


def test_identifier_error_is_value_error() -> None:
    with pytest.raises(ValueError, match="ric_empty"):
        normalize_ric("")


def test_mask_ric() -> None:
    assert mask_ric("330104199001011234") == "330104********1234"
    assert mask_ric("11010519491231002x") == "110105********002X"
    assert mask_ric("") == ""


@pytest.mark.usefixtures("rendered")
def test_ric_messages_in_chinese() -> None:
    assert "校验位错误：应为 X，实为 5" in message_of("110105194912310025")
    excel = message_of(330104199001011234)
    assert "Excel" in excel
    assert "文本" in excel
    feb30 = "33010419900230123"
    assert "19900230 不是有效日期" in message_of(feb30 + ric_check(feb30 + "0"), today=TODAY)
    assert "990000" in message_of(make_ric("990000", date(1990, 1, 1), 1))
    assert "17" in message_of("33010419900101123")


# --- Unified social credit codes ------------------------------------------------------------

alnum = st.sampled_from(USCC_ALPHABET)
uscc_bodies = st.builds(
    lambda a, b, region, org: a + b + region + "".join(org),
    alnum,
    alnum,
    st.from_regex(r"[0-9]{6}", fullmatch=True),
    st.lists(alnum, min_size=9, max_size=9),
)


@given(uscc_bodies)
def test_valid_uscc_round_trips(body: str) -> None:
    code = make_uscc(body)
    assert normalize_uscc(code) == code
    assert normalize_uscc(" " + code.lower()[:9] + "\u3000" + code.lower()[9:]) == code


@given(uscc_bodies, alnum)
def test_uscc_wrong_check_character_rejected(body: str, check: str) -> None:
    assume(check != uscc_check(body))
    assert code_of(body + check, normalize_uscc) == "uscc_checksum"


@pytest.mark.parametrize("code", ["91110000802100433B", "91110000600037341L"])
def test_real_uscc(code: str) -> None:
    assert normalize_uscc(code) == code


@pytest.mark.parametrize("authority", ["1", "5", "9", "Y", "A", "N", "G"])
def test_letter_authority_codes_accepted(authority: str) -> None:
    code = make_uscc(authority + "1330106MA27XY0Q1")
    assert normalize_uscc(code) == code


@given(uscc_bodies, st.integers(0, 17), st.sampled_from("IOZSV"))
def test_uscc_illegal_letters_rejected(body: str, pos: int, letter: str) -> None:
    code = make_uscc(body)
    assert code_of(code[:pos] + letter + code[pos + 1 :], normalize_uscc) == "uscc_format"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "uscc_empty"),
        (None, "uscc_empty"),
        (" ", "uscc_empty"),
        ("91110000802100433", "uscc_length"),
        ("91110000802100433BB", "uscc_length"),
        ("9111A000802100433B", "uscc_format"),
        ("91110000802100433#", "uscc_format"),
        (91110000, "uscc_format"),
    ],
)
def test_malformed_uscc_rejected(raw: object, code: str) -> None:
    assert code_of(raw, normalize_uscc) == code


@pytest.mark.usefixtures("rendered")
def test_uscc_messages_in_chinese() -> None:
    assert "第 6 位的字符“O”" in message_of("91110O00802100433B", normalize_uscc)
    assert "第 5 位的字符“A”" in message_of("9111A000802100433B", normalize_uscc)
    assert "应为 B，实为 C" in message_of("91110000802100433C", normalize_uscc)


# --- Mobile numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "86-13812345678",
        "0086 13812345678",
        "+8613812345678",
        "１３８１２３４５６７８",
        "＋８６　１３８－１２３４－５６７８",
        13812345678,
    ],
)
def test_mobile_formats_normalize(raw: object) -> None:
    assert normalize_mobile(raw) == "+8613812345678"


@given(
    st.sampled_from(["130", "133", "135", "138", "139", "150", "158", "166", "177", "186", "199"]),
    st.integers(0, 10**8 - 1),
)
def test_mobile_output_is_e164(prefix: str, rest: int) -> None:
    local = f"{prefix}{rest:08d}"
    e164 = normalize_mobile(local)
    assert e164 == "+86" + local
    assert normalize_mobile(e164) == e164
    assert normalize_mobile(f"{local[:3]} {local[3:7]} {local[7:]}") == e164
    assert mask_mobile(e164) == f"{local[:3]}****{local[7:]}"


@pytest.mark.parametrize(
    "raw",
    [
        "010-12345678",
        "01012345678",
        "0571-87654321",
        "12345",
        "10086",
        "1381234567",
        "138123456789",
        "+852 91234567",
        "+1 650 253 0000",
        "400-123-4567",
        "138ABCD5678",
        "13812345678 ext 12",
        "not a number",
    ],
)
def test_non_mobile_rejected(raw: str) -> None:
    assert code_of(raw, normalize_mobile) == "mobile_invalid"


@pytest.mark.parametrize("raw", ["", "   ", "\u3000", None])
def test_empty_mobile(raw: object) -> None:
    assert code_of(raw, normalize_mobile) == "mobile_empty"


@pytest.mark.usefixtures("rendered")
def test_mobile_message_quotes_value() -> None:
    assert "“010-12345678”" in message_of("010-12345678", normalize_mobile)


@pytest.mark.parametrize("raw", ["+8613812345678", "13812345678", "138 1234 5678"])
def test_mask_mobile(raw: str) -> None:
    assert mask_mobile(raw) == "138****5678"


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=10_000_000_000, max_value=19_999_999_999))
def test_mobile_fast_path_agrees_with_phonenumbers(n):
    """The prefix-cached fast path gives the same verdict as a full phonenumbers parse."""
    import phonenumbers

    try:
        number = phonenumbers.parse(str(n), "CN")
    except phonenumbers.NumberParseException:
        expected = False
    else:
        expected = phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )
    try:
        got = normalize_mobile(str(n)) == f"+86{n}"
    except IdentifierError:
        got = False
    assert got is expected
