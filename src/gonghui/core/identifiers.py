"""Validation and normalisation of Chinese identifiers.

Resident identity card numbers (居民身份证号码, GB 11643), unified social credit
codes (统一社会信用代码, GB 32100) and mainland mobile numbers. Pure Python: no
models, no database. Every failure raises :class:`IdentifierError` with a stable
English code and a Chinese message (lazy, so it is translated when rendered).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import cache, lru_cache

import phonenumbers
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from stdnum import numdb
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

EARLIEST_BIRTH_DATE = date(1890, 1, 1)
# Region codes missing from stdnum's data that appear on valid GB 11643 numbers:
# residence permits for Taiwan residents (台湾居民居住证) use 830000, while 810000
# (Hong Kong) and 820000 (Macao) are in the data.
_EXTRA_REGIONS = frozenset({"830000"})
_DASHES = "-‐‑‒–—−"
# What spreadsheets make of a long number: "3.30104E+17", "330104199001011000.0".
_SPREADSHEET_NUMBER = re.compile(r"\d+(\.\d*)?E[+]?\d+|\d{15,}\.\d*")
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, Z, S, V
_MOBILE_CHARS = re.compile(r"[\d+().]+")


class IdentifierError(ValueError):
    """An identifier failed validation.

    ``code`` is a stable English snake_case code (e.g. ``"ric_checksum"``);
    ``message`` is the (lazy) Chinese explanation for people.
    """

    def __init__(self, code: str, message: str | Promise) -> None:
        super().__init__(code)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        try:
            return f"{self.code}: {self.message}"
        except Exception:  # translations not ready (outside a configured Django)
            return self.code


_DROP_DASHES = str.maketrans("", "", _DASHES)


def _clean(raw: str) -> str:
    """NFKC-fold (full-width to ASCII), drop all whitespace and dashes, upper-case."""
    if raw.isascii() and raw.isalnum():  # the common case, already clean: 14x faster
        return raw.upper()
    text = unicodedata.normalize("NFKC", raw)
    return "".join(text.split()).translate(_DROP_DASHES).upper()


def _excel_error() -> IdentifierError:
    return IdentifierError(
        "ric_excel_number",
        _(
            "身份证号码被 Excel 当作数字保存，末尾几位已经丢失。"
            "请把该列的单元格格式设为“文本”，再重新录入完整的号码。"
        ),
    )


#: the "last year" of a region code still in use
_STILL_IN_USE = 9999


@lru_cache(maxsize=4096)
def _region_until(code: str) -> tuple[int, str] | None:
    """The last year the 6-digit code was an administrative division (``_STILL_IN_USE`` while
    it is) and its name then; None if it never was one.

    stdnum's data has a 2-digit province level and a 4-digit county level; any county-level
    entry counts (including ``xx0000`` and ``xxxx00`` entries). A name may carry the years it
    was in use, ``[-2010]崇文区`` or ``[1983-2019]桥东区,[2020-]襄都区`` (a code renamed or
    reused): the code lasts until the end of its last use. Only the end matters for an ID
    number, not the start: people keep the number first issued to them, so a code created
    after someone's birth may well be on their card.
    """
    if code in _EXTRA_REGIONS:
        return _STILL_IN_USE, ""
    info = numdb.get("cn/loc").info(code)
    if not (len(info) == 2 and len(info[1][0]) == 4 and info[1][1]):
        return None
    until, name = 0, ""
    for entry in info[1][1].get("county", "").split(","):
        years, bracket, entry_name = entry.rpartition("]")
        end = years.partition("-")[2] if bracket else ""
        last = int(end) if end.isdigit() else _STILL_IN_USE
        if last >= until:
            until, name = last, entry_name
    return until, name


def region_last_year(code: str) -> int | None:
    """The last year a number with region ``code`` can have been issued for (the birth year
    of the youngest holder): the year the code stopped being used, or this year's upper bound
    ``_STILL_IN_USE`` while it is used; None if it never was a region code."""
    region = _region_until(code)
    return None if region is None else region[0]


def normalize_ric(raw: object, *, today: date | None = None) -> str:
    """Validate a resident identity card number; return its canonical 18-character form."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raise _excel_error()
    if raw is not None and not isinstance(raw, str):
        raise IdentifierError("ric_format", _("身份证号码应为文字。"))
    number = _clean(raw or "")
    if not number:
        raise IdentifierError("ric_empty", _("请填写身份证号码。"))
    if _SPREADSHEET_NUMBER.fullmatch(number):
        raise _excel_error()
    for ch in number:
        if ch not in "0123456789X":
            raise IdentifierError(
                "ric_format",
                format_lazy(
                    _("身份证号码含有非法字符“{char}”：只能由数字和末位的 X 组成。"), char=ch
                ),
            )
    if len(number) not in (15, 18):
        raise IdentifierError(
            "ric_length",
            format_lazy(_("身份证号码应为 18 位（旧版为 15 位），实为 {n} 位。"), n=len(number)),
        )
    if len(number) == 15:
        if not number.isdigit():
            raise IdentifierError(
                "ric_format", _("15 位旧版身份证号码只能由数字组成，不能含有 X。")
            )
        body = number[:6] + "19" + number[6:]
        number = body + stdnum_ric.calc_check_digit(body + "0")
    else:
        if not number[:17].isdigit():
            raise IdentifierError("ric_format", _("身份证号码只有最后一位可以是 X。"))
        expected = stdnum_ric.calc_check_digit(number)
        if number[17] != expected:
            if number.endswith("000"):
                raise _excel_error()
            raise IdentifierError(
                "ric_checksum",
                format_lazy(
                    _("身份证号码校验位错误：应为 {expected}，实为 {actual}。"),
                    expected=expected,
                    actual=number[17],
                ),
            )
    _check_birth_date(number[6:14], today or date.today())  # noqa: DTZ011
    region = _region_until(number[:6])
    if region is None:
        raise IdentifierError(
            "ric_region",
            format_lazy(_("身份证号码前 6 位的地区码 {code} 不存在。"), code=number[:6]),
        )
    until, name = region
    if until < int(number[6:10]):
        raise IdentifierError(
            "ric_region_abolished",
            format_lazy(
                _(
                    "身份证号码前 6 位的地区码 {code}（{name}）已于 {until} 年撤销，"
                    "不可能签发给 {born} 年出生的人，请核对号码。"
                ),
                code=number[:6],
                name=name,
                until=until,
                born=number[6:10],
            ),
        )
    return number


def _check_birth_date(digits: str, today: date) -> None:
    """Raise ``ric_birth_date`` unless YYYYMMDD is a real, plausible birth date."""
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        born = None
    if born is None:
        message = format_lazy(_("身份证号码中的出生日期 {d} 不是有效日期。"), d=digits)
    elif born > today:
        message = format_lazy(_("身份证号码中的出生日期 {d} 晚于今天。"), d=digits)
    elif born < EARLIEST_BIRTH_DATE:
        message = format_lazy(_("身份证号码中的出生日期 {d} 早于 1890 年。"), d=digits)
    else:
        return
    raise IdentifierError("ric_birth_date", message)


def ric_birth_date(ric: str) -> date:
    """The birth date encoded in a (valid) identity card number."""
    number = normalize_ric(ric)
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def ric_gender(ric: str) -> str:
    """``"M"`` or ``"F"``: the 17th digit is odd for men, even for women."""
    return "M" if int(normalize_ric(ric)[16]) % 2 else "F"


def mask_ric(ric: str) -> str:
    """Mask for display: first 6 characters, 8 asterisks, last 4 (``330104********1234``)."""
    number = _clean(ric)
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * 8 + number[-4:]


def normalize_uscc(raw: object) -> str:
    """Validate a unified social credit code (GB 32100-2015); return it upper-case."""
    if raw is not None and not isinstance(raw, str):
        raise IdentifierError("uscc_format", _("统一社会信用代码应为文字。"))
    code = _clean(raw or "")
    if not code:
        raise IdentifierError("uscc_empty", _("请填写统一社会信用代码。"))
    for pos, ch in enumerate(code, start=1):
        if ch not in _USCC_ALPHABET:
            raise IdentifierError(
                "uscc_format",
                format_lazy(
                    _(
                        "统一社会信用代码第 {pos} 位的字符“{char}”不合法："
                        "只能使用数字和除 I、O、Z、S、V 以外的大写字母。"
                    ),
                    pos=pos,
                    char=ch,
                ),
            )
    if len(code) != 18:
        raise IdentifierError(
            "uscc_length",
            format_lazy(_("统一社会信用代码应为 18 位，实为 {n} 位。"), n=len(code)),
        )
    for pos in range(3, 9):
        if not code[pos - 1].isdigit():
            raise IdentifierError(
                "uscc_format",
                format_lazy(
                    _(
                        "统一社会信用代码第 {pos} 位的字符“{char}”不合法："
                        "第 3 至 8 位是行政区划码，只能是数字。"
                    ),
                    pos=pos,
                    char=code[pos - 1],
                ),
            )
    expected = stdnum_uscc.calc_check_digit(code[:17])
    if code[17] != expected:
        raise IdentifierError(
            "uscc_checksum",
            format_lazy(
                _("统一社会信用代码校验位错误：应为 {expected}，实为 {actual}。"),
                expected=expected,
                actual=code[17],
            ),
        )
    return code


_PLAIN_CN_MOBILE = re.compile(r"(?:\+86|0086|86)?(1\d{10})")


@cache
def _mobile_prefix_valid(prefix5: str) -> bool:
    """Whether 11-digit numbers starting with ``prefix5`` are mainland mobile numbers."""
    number = phonenumbers.parse(prefix5 + "000000", "CN")
    return phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def normalize_mobile(raw: object) -> str:
    """Validate a Chinese mainland mobile number; return it in E.164 (``+8613812345678``)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise IdentifierError("mobile_empty", _("请填写手机号码。"))
    text = _clean(raw) if isinstance(raw, str) else ""
    plain = _PLAIN_CN_MOBILE.fullmatch(text)
    if plain and _mobile_prefix_valid(plain.group(1)[:5]):
        # The common case, without parsing: for an 11-digit number starting with 1 the
        # mobile ranges depend on the first five digits only (checked over all of them).
        return f"+86{plain.group(1)}"
    invalid = IdentifierError(
        "mobile_invalid",
        format_lazy(_("“{value}”不是有效的中国大陆手机号码。"), value=str(raw).strip()),
    )
    if plain or not _MOBILE_CHARS.fullmatch(text):
        raise invalid
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        raise invalid from None
    mobile_types = (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
    if (
        number.country_code != 86
        or number.extension
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in mobile_types
    ):
        raise invalid
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_mobile(e164_or_local: str) -> str:
    """Mask for display: first 3 and last 4 digits of the national number (``138****5678``)."""
    try:
        digits = normalize_mobile(e164_or_local)[3:]
    except IdentifierError:
        digits = "".join(ch for ch in _clean(e164_or_local) if ch.isdigit())
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
