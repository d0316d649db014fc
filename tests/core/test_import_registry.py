"""The importer registry: what the domains register is what the engine accepts and the upload
page offers; a batch's kind is a registered key, nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from gonghui.core.errors import DomainError
from gonghui.core.importing import engine
from gonghui.core.importing.admin import UploadForm
from gonghui.core.importing.engine import (
    ImportErrorCode,
    import_create,
    importer_for,
    importers,
    register_importer,
)
from gonghui.core.models import ImportBatch

pytestmark = pytest.mark.django_db


def test_a_key_belongs_to_one_importer() -> None:
    roster = importer_for("roster")
    register_importer(type(roster)())  # the same importer again (a second ready()): accepted

    impostor = type("Impostor", (type(roster),), {})()
    with pytest.raises(KeyError):
        register_importer(impostor)
    assert importer_for("roster") is not impostor


def test_an_unknown_kind_is_refused_at_upload_and_by_the_model(
    district: Any, tmp_path: Path
) -> None:
    path = tmp_path / "x.csv"
    path.write_text("姓名,身份证号,入会时间\n", encoding="utf-8")

    with pytest.raises(DomainError) as info:
        import_create(
            actor=district.admin, union=district.EA, path=path, filename="x.csv", kind="contracts"
        )

    assert (info.value.code, info.value.field) == (ImportErrorCode.WRONG_STATE, "kind")
    assert not ImportBatch.objects.exists()
    with pytest.raises(ValidationError) as invalid:
        ImportBatch(kind="contracts").clean_fields(exclude=["union", "actor", "file_name"])
    assert "kind" in invalid.value.message_dict


def test_a_batch_of_an_importer_no_longer_installed_is_labelled_by_its_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delitem(engine._importers, "loans")

    assert ImportBatch(kind="loans").kind_label == "loans"
    assert ImportBatch(kind="roster").kind_label == "会员花名册"


def test_the_upload_form_offers_the_registered_importers_first_one_chosen(district: Any) -> None:
    form = UploadForm(actor=district.cadre_a)
    offered = [key for key, _label in form.fields["kind"].choices]

    assert offered == [i.key for i in importers()]
    assert offered[:3] == ["roster", "enterprises", "unions"]
    assert "loans" in offered
    assert form.fields["kind"].initial == "roster"
    assert form.fields["kind"].help_text.startswith(
        "会员花名册导入到所选工会；企业名录登记为所选工会属地的企业；工会组织按“上级工会代码”建立；"
    )
    unions = set(form.fields["union"].queryset)
    assert district.A1 in unions
    assert district.B1 not in unions  # another street's union is not offered
