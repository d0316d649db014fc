"""Export columns of the back-office lists: a field with choices shows its label, in the
reader's language, as Django's ``get_<field>_display`` does (looked up once per language)."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin
from django.utils import translation

from gonghui.membership.models import Membership
from tests import factories as f


def test_choice_columns_show_their_labels_in_the_readers_language(district):
    person = f.make_person(district.root, district.A1, joined=dt.date(2015, 3, 1))
    membership = Membership.objects.get(person=person)
    columns = dict(admin.site._registry[Membership].export_columns())
    reason = next(getter for label, getter in columns.items() if str(label) == "起始原因")

    assert reason(membership) == membership.get_start_reason_display() == "入会"
    with translation.override("en"):
        assert reason(membership) == membership.get_start_reason_display() != "入会"
    assert reason(membership) == "入会"
