"""The English-word rule of the page checks (tests/browser/pagechecks.py), without a browser."""

from __future__ import annotations

from tests.browser.pagechecks import english_words


def test_untranslated_words_are_found_once_each_in_order() -> None:
    text = "Not Found – The requested resource was not found on this server. 未找到"
    assert english_words(text)[:3] == ["Not", "Found", "The"]
    assert english_words(text).count("found") == 1


def test_codes_product_names_and_the_allow_list_pass() -> None:
    text = (
        "代码 JA-SJ-01、ST-A，信用代码 91330104MA0000001X；"
        "导出 Excel（.xlsx）或 PDF，扫 QR 码；图片 JPG、PNG 不超过 5 MB"
    )
    assert english_words(text) == []
    assert english_words("负责人 Zhang", allowed=["Zhang"]) == []


def test_a_plain_english_word_in_a_chinese_sentence_is_found() -> None:
    assert english_words("请按 Save 保存") == ["Save"]
