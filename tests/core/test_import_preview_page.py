"""The import preview page: its heading names the file as uploaded with the upload time in
local time (as the line below it), and each invalid row shows its name beside its number."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from gonghui.core.importing.engine import import_check, import_create
from tests.membership.roster_files import HEADER, person_row, ric_of, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_and_private(settings: Any, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


def test_preview_heading_and_invalid_rows(district: Any, tmp_path: Path) -> None:
    rows = [
        person_row("张三", ric_of(dt.date(1986, 3, 5), 11), joined=dt.date(2015, 3, 1)),
        person_row("李四", "330104199001020000", joined=dt.date(2015, 3, 1)),  # bad check digit
        person_row("王五", ric_of(dt.date(1975, 12, 31), 33), joined="不是日期"),
    ]
    path = write_xlsx(tmp_path / "roster-march.xlsx", [HEADER, *rows])
    # 23:30 UTC on 1 March is 07:30 on 2 March in Shanghai
    with time_machine.travel(dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC), tick=False):
        batch = import_create(
            actor=district.cadre_a,
            union=district.EA,
            path=path,
            filename="roster-march.xlsx",
            kind="roster",
        )
        import_check(actor=district.cadre_a, batch=batch)
        client = Client()
        client.force_login(district.cadre_a)
        page = client.get(reverse("admin:core_importbatch_change", args=[batch.pk]))
    html = page.content.decode()
    assert "roster-march.xlsx（2026-03-02 07:30）" in html
    assert "Roster-march" not in html
    assert "2026-03-01 23:30" not in html
    invalid = page.context["errors"]
    assert [(int(n), name) for n, name, _problem in invalid] == [(3, "李四"), (4, "王五")]
    assert "李四" in html
    assert "王五" in html
