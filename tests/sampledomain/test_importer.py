"""A fourth importer, from a domain the platform has never heard of: the sample domain's
loans list is offered on the upload page, checked (a preview that writes nothing, its invalid
rows listed), applied and undone through the back-office pages, with no line of core,
membership or the upload pages naming it."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gonghui.core.models import ImportBatch, ImportStatus

from .models import Loan
from .services import loan_create

D = dt.date
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _fast_and_private(settings: Any, tmp_path: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


def xlsx(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def loans() -> list[tuple[Any, ...]]:
    return sorted(Loan.objects.values_list("title", "borrower", "lent_on", "due_on", "returned_on"))


def test_a_loans_list_is_uploaded_previewed_applied_and_undone_in_the_back_office(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    d = district
    loan_create(
        actor=d.cadre_a,
        union=d.A1,
        title="平凡的世界",
        borrower="张三",
        lent_on=D(2015, 3, 1),
        due_on=D(2015, 4, 1),
    )
    loan_create(
        actor=d.cadre_a,
        union=d.A1,
        title="人生",
        borrower="李四",
        lent_on=D(2015, 5, 1),
        due_on=D(2015, 6, 1),
    )
    before = loans()
    client = Client()
    client.force_login(d.cadre_a)

    # The upload page offers it, with its columns and its template.
    upload_url = reverse("admin:core_importbatch_add")
    upload = client.get(upload_url).content.decode()
    template_url = reverse("admin:core_importbatch_template", args=["loans"])
    assert "职工书屋借阅记录：书名、借阅人、借出日期、应还日期、归还日期" in upload
    assert template_url in upload
    template = client.get(template_url)
    assert template["Content-Type"] == XLSX
    workbook = load_workbook(io.BytesIO(template.content))
    to_fill, examples = workbook.worksheets
    assert [c.value for c in to_fill[1]] == ["书名", "借阅人", "借出日期", "应还日期", "归还日期"]
    assert to_fill.max_row == 1  # nothing to delete before filling it in
    assert examples.max_row == 4

    # Upload: checked at once (the worker runs at commit), nothing written.
    rows = [
        ["甲一社区职工书屋借阅登记"],
        ["书名", "借阅人", "借出日期", "应还日期", "归还日期"],
        ["平凡的世界", "张三", D(2015, 3, 1), D(2015, 4, 15), None],  # due later: updated
        ["人生", "李四", "2015-05-01", "2015-06-01", None],  # as on record: unchanged
        ["围城", "王五", "2015年7月1日", "2015-08-01", None],  # new
        ["边城", "赵六", "2015-09-01", "2015-08-01", None],  # due before lent: the service says
        ["书" * 101, "钱七", "2015-09-01", "2015-10-01", None],  # too long for the model
        [None, "孙八", "2015-09-01", "2015-10-01", None],  # no title
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            upload_url,
            {
                "kind": "loans",
                "union": str(d.A1.pk),
                "file": SimpleUploadedFile("借阅.xlsx", xlsx(rows), content_type=XLSX),
            },
        )
    batch = ImportBatch.objects.get(kind="loans")
    batch_url = reverse("admin:core_importbatch_change", args=[batch.pk])
    assert response.status_code == 302
    assert response.url == batch_url
    assert batch.status == ImportStatus.CHECKED
    assert (batch.rows, batch.new, batch.updated, batch.unchanged, batch.invalid) == (6, 1, 1, 1, 3)
    assert loans() == before

    preview = client.get(batch_url).content.decode()
    assert 'data-testid="import-counts"' in preview
    assert "应还日期：应还日期不能早于借出日期。" in preview
    assert "书名：确保该变量包含不超过 100 字符" in preview  # the model's rule, on its column
    assert "书名：不能为空。" in preview
    assert 'data-testid="apply"' in preview

    # Apply the valid rows.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:core_importbatch_apply", args=[batch.pk]), {"mode": "valid_only"}
        )
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED
    assert Loan.objects.get(title="围城").import_batch == batch
    assert Loan.objects.get(title="平凡的世界").due_on == D(2015, 4, 15)
    assert len(loans()) == 3
    assert "撤销本次导入" in client.get(batch_url).content.decode()

    # Undo: the records are as they were.
    response = client.post(reverse("admin:core_importbatch_undo", args=[batch.pk]), follow=True)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.UNDONE
    assert "已撤销本次导入。" in response.content.decode()
    assert loans() == before


def test_its_batches_are_listed_under_its_label(district: Any) -> None:
    client = Client()
    client.force_login(district.admin)
    changelist = reverse("admin:core_importbatch_changelist")

    page = client.get(changelist, {"kind": "loans"}).content.decode()

    assert "职工书屋借阅记录" in page  # a choice of the list's filter
    assert changelist in client.get(reverse("admin:index")).content.decode()
