"""The member lists: filters by street and union subtree, status (current by default),
gender, migrant worker, age band and skill grade; search by name, mobile or ID number; every
link with a name; a street cadre sees and is offered nothing of another street."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from gonghui.membership import services
from gonghui.membership.list_filters import age_band_q, years_before
from gonghui.membership.models import EndReason, Person
from tests import factories as f

pytestmark = pytest.mark.django_db
MEMBERSHIPS = reverse("admin:membership_membership_changelist")
PEOPLE = reverse("admin:membership_person_changelist")
TODAY = dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)  # 2026-03-01 in Shanghai too


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(TODAY, tick=False):
        yield


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rows(response: Any) -> set[str]:
    """The names of the people on a list page."""
    return {str(getattr(o, "person", o)) for o in response.context["cl"].result_list}


@pytest.fixture
def people(district: Any) -> dict[str, Person]:
    d, r = district, district.root
    made = {
        # street A: an enterprise member, a community member, a migrant woman, a leaver
        "zhao": f.make_person(
            r,
            d.EA,
            name="赵一",
            joined=dt.date(2010, 1, 1),
            mobile="13812345678",
            ric=f.make_ric(born=dt.date(1995, 3, 2)),
            skill_grade="senior",
        ),
        "qian": f.make_person(
            r,
            d.A1,
            name="钱二",
            joined=dt.date(2011, 1, 1),
            ric=f.make_ric(born=dt.date(1976, 3, 1)),
            skill_grade="technician",
        ),
        "sun": f.make_person(
            r,
            d.A1,
            name="孙三",
            joined=dt.date(2012, 1, 1),
            migrant=True,
            ric=f.make_ric(born=dt.date(1975, 3, 1), female=True),
        ),
        "li": f.make_person(
            r,
            d.EA,
            name="李四",
            joined=dt.date(2010, 2, 1),
            ric=f.make_ric(born=dt.date(1991, 3, 1)),
        ),
        # street B
        "zhou": f.make_person(
            r,
            d.EB,
            name="周五",
            joined=dt.date(2010, 1, 1),
            mobile="13987654321",
            ric=f.make_ric(born=dt.date(1960, 1, 1), female=True),
            migrant=True,
        ),
    }
    services.membership_leave(
        actor=r,
        membership=made["li"].memberships.get(),
        on=dt.date(2020, 6, 30),
        reason=EndReason.LEFT,
    )
    return made


def test_age_bands_count_completed_years_on_today() -> None:
    today = dt.date(2026, 3, 1)
    # 35 today (born 1991-03-01) is in 35-50; one day younger is under 35
    assert age_band_q("lt35", today=today) == {"birth_date__gt": dt.date(1991, 3, 1)}
    assert age_band_q("35-50", today=today) == {
        "birth_date__lte": dt.date(1991, 3, 1),
        "birth_date__gt": dt.date(1975, 3, 1),
    }
    assert age_band_q("gt50", today=today) == {"birth_date__lte": dt.date(1975, 3, 1)}
    assert years_before(dt.date(2024, 2, 29), 35) == dt.date(1989, 2, 28)


def test_membership_list_shows_current_members_unless_another_status_is_chosen(
    district: Any, people: dict[str, Person]
) -> None:
    client = client_for(district.admin)
    assert rows(client.get(MEMBERSHIPS)) == {"赵一", "钱二", "孙三", "周五"}
    assert rows(client.get(MEMBERSHIPS, {"status": "ended"})) == {"李四"}
    assert rows(client.get(MEMBERSHIPS, {"status": "all"})) == {
        "赵一",
        "钱二",
        "孙三",
        "李四",
        "周五",
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"person__gender__exact": "F"}, {"孙三", "周五"}),
        ({"person__migrant__exact": "1"}, {"孙三", "周五"}),
        ({"person__skill_grade__exact": "technician"}, {"钱二"}),
        ({"age": "lt35"}, {"赵一"}),  # born 1995; 李四 (34) left
        ({"age": "35-50"}, {"钱二"}),  # 钱二 is 50 today, 孙三 51
        ({"age": "gt50"}, {"孙三", "周五"}),
        ({"q": "赵"}, {"赵一"}),
        ({"q": "138 1234 5678"}, {"赵一"}),
    ],
)
def test_membership_list_filters(
    district: Any, people: dict[str, Person], params: dict[str, str], expected: set[str]
) -> None:
    assert rows(client_for(district.admin).get(MEMBERSHIPS, params)) == expected


def test_search_by_whole_id_number_finds_the_person_by_its_hash(
    district: Any, people: dict[str, Person]
) -> None:
    ric = services.person_reveal_ric(actor=district.admin, person=people["qian"], reason="核对")
    client = client_for(district.admin)
    assert rows(client.get(MEMBERSHIPS, {"q": ric})) == {"钱二"}
    assert rows(client.get(PEOPLE, {"q": ric})) == {"钱二"}
    assert rows(client.get(PEOPLE, {"q": ric[:10]})) == set()  # no partial ID numbers


def test_street_and_union_subtree_filters_include_sub_unions(
    district: Any, people: dict[str, Person]
) -> None:
    d = district
    client = client_for(d.admin)
    assert rows(client.get(MEMBERSHIPS, {"street": d.A.pk})) == {"赵一", "钱二", "孙三"}
    assert rows(client.get(MEMBERSHIPS, {"street": d.B.pk})) == {"周五"}
    # a community union: itself and its enterprise union below
    assert rows(client.get(MEMBERSHIPS, {"union__id__exact": d.A1.pk})) == {
        "赵一",
        "钱二",
        "孙三",
    }
    assert rows(client.get(MEMBERSHIPS, {"union__id__exact": d.EA.pk})) == {"赵一"}
    assert rows(client.get(PEOPLE, {"union__id__exact": d.A1.pk, "member": "1"})) == {
        "赵一",
        "钱二",
        "孙三",
    }
    assert rows(client.get(PEOPLE, {"street": d.A.pk, "member": "0"})) == {"李四"}


def test_a_street_cadre_is_offered_and_finds_nothing_of_another_street(
    district: Any, people: dict[str, Person]
) -> None:
    d = district
    client = client_for(d.cadre_a)
    for url in (MEMBERSHIPS, PEOPLE):
        page = client.get(url)
        street = next(s for s in page.context["cl"].filter_specs if s.title == "街道")
        assert [name for _pk, name in street.lookup_choices] == ["甲街道总工会"]
        assert "乙街道总工会" not in page.content.decode()
        assert "周五" not in rows(page)
        # Asking for the other street's union (by its id) finds nothing, not its members.
        assert rows(client.get(url, {"street": d.B.pk})) == set()
        assert rows(client.get(url, {"union__id__exact": d.EB.pk})) == set()
        assert rows(client.get(url, {"q": "13987654321"})) == set()
        migrants = "person__migrant__exact" if url == MEMBERSHIPS else "migrant__exact"
        assert rows(client.get(url, {migrants: "1"})) == {"孙三"}


class _Links(HTMLParser):
    """Every link of a page with its text (or aria-label), and links opened inside links."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[dict[str, Any]] = []
        self.links: list[dict[str, Any]] = []
        self.nested = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            if self.open:
                self.nested += 1
            link = {"attrs": dict(attrs), "text": ""}
            self.open.append(link)
            self.links.append(link)
        elif tag == "img" and self.open:
            self.open[-1]["text"] += dict(attrs).get("alt") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        for link in self.open:
            link["text"] += data


@pytest.mark.parametrize("url", [MEMBERSHIPS, PEOPLE])
def test_every_link_of_the_member_lists_has_a_name(
    district: Any, people: dict[str, Person], url: str
) -> None:
    parser = _Links()
    parser.feed(client_for(district.admin).get(url, {"status": "all"}).content.decode())
    assert parser.nested == 0
    unnamed = [
        link["attrs"].get("href")
        for link in parser.links
        if not re.sub(r"\s+", "", link["text"])
        and not link["attrs"].get("aria-label")
        and not link["attrs"].get("title")
    ]
    assert unnamed == []


def test_the_union_filter_picker_offers_only_unions_in_scope(
    district: Any, people: dict[str, Person]
) -> None:
    url = reverse("admin:autocomplete")
    params = {"app_label": "membership", "model_name": "membership", "field_name": "union"}
    found = client_for(district.cadre_a).get(url, {**params, "term": "企业工会"}).json()
    assert [r["text"] for r in found["results"]] == ["甲企业工会"]
    found = client_for(district.cadre_a).get(url, {**params, "term": "乙"}).json()
    assert found["results"] == []
