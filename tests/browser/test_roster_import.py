"""A street cadre uploads a roster, reads the preview, downloads the bad rows, applies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from stdnum.cn.ric import calc_check_digit

from gonghui.core.models import ImportBatch
from gonghui.membership.models import Membership, Person
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _ric(n: int) -> str:
    body = f"11010119900{n % 10}1{n % 10}{100 + n:03d}"
    return body + calc_check_digit(body + "0")


def _roster(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["甲企业工会会员花名册"])
    ws.append(["填报单位：甲企业工会", None, "填报日期：2015年12月31日"])
    ws.append(["姓名", "身份证号码", "手机号码", "入会日期", "工作单位"])
    ws.append(["张三", _ric(1), "138 1234 5678", dt.date(2015, 3, 1), "甲企业有限公司"])
    ws.append(["李四", _ric(2).lower(), "+86 139 0000 1111", "2015.4.2", "甲企业有限公司"])
    ws.append(["王五", _ric(3), "", "2015年5月3日", "甲企业有限公司"])
    ws.append(["赵六", _ric(4)[:-1] + ("0" if _ric(4)[-1] != "0" else "1"), "", "2015-06-01", ""])
    ws.append(["合计", "4 人"])
    wb.save(path)
    return path


def test_cadre_uploads_previews_downloads_errors_and_applies(
    live_server: Any, page: Any, district: Any, tmp_path: Path
) -> None:
    roster = _roster(tmp_path / "甲企业工会花名册.xlsx")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "cadre_a")
    page.fill("#id_password", f.PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.goto(f"{live_server.url}/admin/core/importbatch/add/")
    page.select_option("select[name=union]", label="甲企业工会")
    page.set_input_files("input[name=file]", str(roster))
    page.get_by_role("button", name="上传并校验").click()

    page.wait_for_selector("[data-testid=import-counts]")
    assert "待确认" in page.inner_text("[data-testid=import-status]")
    counts = page.inner_text("[data-testid=import-counts]")
    assert "4" in counts  # data rows
    assert Person.objects.count() == 0  # the preview wrote nothing
    assert "校验位" in page.content()  # the bad row's reason, in Chinese

    with page.expect_download() as download:
        page.click("[data-testid=error-report]")
    report = tmp_path / "report.xlsx"
    download.value.save_as(report)
    rows = list(load_workbook(report).active.iter_rows(values_only=True))
    assert rows[1][1] == "赵六"  # the invalid row, in its original columns, ready to correct
    assert "校验位" in rows[1][-1]

    page.check("input[value=valid_only]")
    page.click("[data-testid=apply]")
    page.wait_for_selector("text=已导入")
    page.screenshot(path=str(tmp_path / "applied.png"))

    batch = ImportBatch.objects.get()
    assert (batch.new, batch.invalid, batch.status) == (3, 1, "applied")
    assert set(Person.objects.values_list("name", flat=True)) == {"张三", "李四", "王五"}
    assert Membership.objects.filter(union=district.EA, import_batch=batch).count() == 3
    assert Person.objects.get(name="李四").mobile == "+8613900001111"
