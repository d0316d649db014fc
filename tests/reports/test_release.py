"""Finalising a report: values and records frozen with who signed and when; the logic checks
pass or their findings are acknowledged; later changes show against the frozen figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from gonghui.core.errors import DomainError
from gonghui.core.models import AuditEntry
from gonghui.core.scope import SYSTEM
from gonghui.organisation import services as org
from gonghui.reports.models import ReleaseRecord, ReportRelease
from gonghui.reports.releases import release_differences, release_for
from gonghui.reports.selectors import report_period
from gonghui.reports.services import report_finalise
from tests import factories as f

from .conftest import client_for

D = dt.date
REPORT = reverse("admin:annual_report")
FINALISE = reverse("admin:report_finalise")
CHANGES = reverse("admin:report_changes")


def finalise(year: Any, **kw: Any) -> ReportRelease:
    return report_finalise(actor=kw.pop("actor", year.d.admin), union=year.d.F, year=2015, **kw)


def test_finalising_freezes_every_computed_value_and_its_records(year):
    release = finalise(year, note="经党组会审定")

    assert release.signed_by == year.d.admin
    assert release.signed_at is not None
    assert release.value("org.unions_founded") == 3
    assert release.value("org.members_joined") == 4
    assert release.values["sample.return_rate"] == "66.7"
    assert "skills.rationalisation_proposals" not in release.values  # not computed: not frozen
    frozen = set(
        ReleaseRecord.objects.filter(release=release, metric_id="org.members_joined").values_list(
            "object_id", flat=True
        )
    )
    assert frozen == {p.memberships.get().pk for p in [*year.a_members, year.b_member]}
    assert release.record_models["org.members_joined"] == "membership.membership"
    entry = AuditEntry.objects.get(action="report.finalise")
    assert entry.actor == year.d.admin
    assert "签发定稿" in entry.message


def test_a_report_is_finalised_once(year):
    finalise(year)
    with pytest.raises(DomainError) as err:
        finalise(year)
    assert err.value.code == "already_final"
    # The statistical year of the same union is another report.
    assert finalise(year, kind="statistical").period_kind == "statistical"


def test_a_period_not_over_cannot_be_finalised(year):
    with (
        time_machine.travel(dt.datetime(2015, 12, 31, 12, tzinfo=dt.UTC)),
        pytest.raises(DomainError) as err,
    ):
        finalise(year)
    assert err.value.code == "period_not_over"


@pytest.mark.parametrize("role", ["leader", "evaluator"])
def test_read_only_roles_cannot_finalise(year, role):
    with pytest.raises(DomainError) as err:
        report_finalise(actor=getattr(year.d, role), union=year.d.A, year=2015)
    assert err.value.code == "read_only"
    assert not ReportRelease.objects.exists()


def test_a_cadre_cannot_finalise_above_its_own_union(year):
    with pytest.raises(DomainError) as err:
        report_finalise(actor=year.d.cadre_a, union=year.d.F, year=2015)
    assert err.value.code == "not_found"
    assert report_finalise(actor=year.d.cadre_a, union=year.d.A, year=2015).union == year.d.A


# --- the logic checks must pass, or their findings be acknowledged ---------------------------
@pytest.fixture
def contradiction(year):
    """A1's founding date corrected to after some of its members joined: one failing check."""
    org.union_update(actor=year.d.root, union=year.d.A1, founded_on=D(2015, 3, 15))
    return year


def test_findings_must_be_acknowledged_by_their_number_and_a_reason(contradiction):
    year = contradiction
    with pytest.raises(DomainError) as err:
        finalise(year)
    assert err.value.code == "findings_not_acknowledged"
    assert "1 项问题" in str(err.value.message)
    with pytest.raises(DomainError) as err:
        finalise(year, acknowledged_findings=2)  # a stale or wrong count
    assert err.value.code == "findings_not_acknowledged"
    with pytest.raises(DomainError) as err:
        finalise(year, acknowledged_findings=1, note="  ")
    assert err.value.code == "note_required"
    assert not ReportRelease.objects.exists()

    release = finalise(year, acknowledged_findings=1, note="成立日期待核实，先行签发")

    assert [f["check"] for f in release.findings] == ["membership.joined_before_union_founded"]
    assert release.findings[0]["count"] == 3


# --- differences after finalising ---------------------------------------------------------------
def test_later_changes_show_as_differences_with_the_records_that_moved(year):
    d = year.d
    release = finalise(year)
    # Afterwards: one more member is recorded for 2015, and one 2015 union's founding date is
    # corrected to 2016.
    late = f.make_person(d.root, d.B1, name="补录会员", joined=D(2015, 12, 20))
    with time_machine.travel(dt.datetime(2016, 3, 1, tzinfo=dt.UTC)):
        org.union_update(actor=d.root, union=year.b_2015, founded_on=D(2016, 1, 10))

    moved = {
        x.row.entry.id: x for x in release_differences(actor=d.admin, release=release) if x.moved
    }

    assert set(moved) == {"org.members_joined", "org.unions_founded"}
    members = moved["org.members_joined"]
    assert (members.frozen, members.current, members.delta_text) == (4, 5, "+1")
    assert [m.person for m in members.added] == [late]
    assert members.n_dropped == 0
    unions = moved["org.unions_founded"]
    assert (unions.frozen, unions.current, unions.delta_text) == (3, 2, "-1")
    assert list(unions.dropped) == [year.b_2015]
    assert unions.n_added == 0


def test_changes_page_shows_frozen_and_current_values_and_opens_the_moved_records(year):
    d = year.d
    finalise(year)
    late = f.make_person(d.root, d.B1, name="补录会员", joined=D(2015, 12, 20))
    client = client_for(d.leader)  # a leader reads it (read-only)
    query = {"union": d.F.pk, "year": 2015}

    report = client.get(REPORT, query).content.decode()
    assert 'data-testid="release"' in report
    assert CHANGES in report
    assert 'data-testid="finalise"' not in report  # read-only: no signing form
    page = client.get(CHANGES, query)
    html = page.content.decode()
    row = html.split('data-metric="org.members_joined"')[1].split("</tr>")[0]
    assert ">4<" in row
    assert ">5<" in row
    assert "+1" in row
    assert [x.row.entry.id for x in page.context["moved"]] == ["org.members_joined"]
    added = client.get(
        reverse("admin:report_changed_records", args=["org.members_joined"]),
        {**query, "set": "added"},
    )
    assert added.status_code == 200
    assert [o.person for o in added.context["page"].object_list] == [late]


def test_finalise_through_the_page(contradiction):
    year = contradiction
    client = client_for(year.d.admin)
    data = {"union": year.d.F.pk, "year": 2015, "period": "calendar", "note": ""}

    refused = client.post(FINALISE, data, follow=True)
    assert "请先核实更正" in refused.content.decode()
    assert not ReportRelease.objects.exists()

    signed = client.post(
        FINALISE, {**data, "acknowledged_findings": "1", "note": "先行签发"}, follow=True
    )
    assert "报告已定稿" in signed.content.decode()
    release = release_for(actor=SYSTEM, union=year.d.F, period=report_period(2015))
    assert release is not None
    assert release.note == "先行签发"


def test_a_leader_posting_to_finalise_is_refused(year):
    response = client_for(year.d.leader).post(
        FINALISE, {"union": year.d.F.pk, "year": 2015, "acknowledged_findings": "0"}
    )
    assert response.status_code == 403
    assert not ReportRelease.objects.exists()


def test_street_cadre_cannot_open_or_sign_the_federations_release(year):
    finalise(year)
    client = client_for(year.d.cadre_a)
    query = {"union": year.d.F.pk, "year": 2015}
    assert client.get(CHANGES, query).status_code == 404
    assert client.post(FINALISE, query).status_code == 404
    # Its own street has no release: "not finalised" is also a 404.
    assert client.get(CHANGES, {"year": 2015}).status_code == 404
