"""The draft of the work report: registered paragraphs by area with the figures filled in as
an office writes them, the federation's own wording, linked figures on the page, and the
.docx read back."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document

from gonghui.core.errors import DomainError
from gonghui.core.metrics import MetricResult, paragraphs
from gonghui.core.models import AuditEntry
from gonghui.core.scope import SYSTEM
from gonghui.reports.draft import MISSING, fill, report_draft, write_figure
from gonghui.reports.models import ParagraphText
from gonghui.reports.selectors import report_period
from gonghui.reports.services import paragraph_text_save

from .conftest import client_for

DRAFT = reverse("admin:report_draft")
SAVE = reverse("admin:report_paragraph_save")


@pytest.mark.parametrize(
    ("value", "unit", "how", "written"),
    [
        (19_652, "persons", None, "19652"),
        (19_652, "persons", "万", "1.97万"),
        (18_000, "persons", "万", "1.8万"),
        (7_662, "persons", "万", "7662"),  # below ten thousand: as it is
        (Decimal("1154.9300"), "10k CNY", None, "1154.93"),
        (Decimal("0.2000"), "10k CNY", "元", "2000"),
        (Decimal("5.7700"), "10k CNY", "元", "57700"),
        (Decimal("100.0"), "percent", None, "100%"),
        (Decimal("100.0"), "percent", "万", None),  # a filter that does not fit the unit
        (12, "count", "元", None),
    ],
)
def test_figures_are_written_as_an_office_writes_them(value, unit, how, written):
    assert write_figure(value, unit, how) == written


def test_placeholders_are_filled_and_the_rest_is_text():
    figures = {
        "org.members_joined": MetricResult(19_600),
        "org.unions_founded": MetricResult(76),
    }
    segments = fill(
        "新建工会组织{org.unions_founded}家，新增会员{org.members_joined|万}名。{不是占位符}",
        figures,
    )
    assert "".join(s.text for s in segments) == "新建工会组织76家，新增会员1.96万名。{不是占位符}"
    assert [s.metric_id for s in segments if s.metric_id] == [
        "org.unions_founded",
        "org.members_joined",
    ]


def test_unknown_or_uncomputed_placeholders_are_written_as_not_computed_and_listed():
    segments = fill(
        "{org.no_such_figure}、{relations.tripartite_meetings}、{org.unions_founded|亿}",
        {"org.unions_founded": MetricResult(3), "relations.tripartite_meetings": None},
    )
    assert "".join(s.text for s in segments) == f"{MISSING}、{MISSING}、{MISSING}"
    assert [s.metric_id for s in segments if s.missing] == [
        "org.no_such_figure",
        "relations.tripartite_meetings",
        "org.unions_founded|亿",
    ]


def test_template_code_in_a_paragraph_is_plain_text():
    segments = fill("{{ settings.SECRET_KEY }}{% debug %}<script>x</script>", {})
    text = "".join(s.text for s in segments)
    assert text == "{{ settings.SECRET_KEY }}{% debug %}<script>x</script>"


def test_every_domain_paragraph_names_only_catalogue_figures():
    from gonghui.core.metrics import catalogue_ids
    from gonghui.reports.draft import placeholders

    assert {p.key.split(".")[0] for p in paragraphs()} >= {
        "organisation",
        "membership",
        "honours",
        "activities",
        "assistance",
    }
    for p in paragraphs():
        named = placeholders(p.template)
        assert named, p.key
        assert set(named) <= catalogue_ids(), p.key


def test_draft_is_grouped_by_area_with_the_figures_of_the_union(year):
    draft = report_draft(actor=SYSTEM, union=year.d.F, period=report_period(2015))

    assert draft.sections[0].label == "组织建设"
    building = draft.sections[0].paragraphs[0]
    assert building.key == "organisation.building"
    assert "全年新建工会组织3家，涵盖企业1家。" in building.text
    members = next(p for s in draft.sections for p in s.paragraphs if p.key == "membership.members")
    assert "全年新增会员4名。" in members.text
    street = report_draft(actor=SYSTEM, union=year.d.A, period=report_period(2015))
    assert "全年新建工会组织2家" in street.sections[0].paragraphs[0].text


def test_the_federations_wording_replaces_the_default_and_can_be_reset(year):
    d = year.d
    paragraph_text_save(
        actor=d.admin,
        union=d.F,
        key="organisation.building",
        text="全区新建工会{org.unions_founded}家，涵盖企业{org.enterprises_covered_new}家，{org.typo}。",
    )
    draft = report_draft(actor=SYSTEM, union=d.F, period=report_period(2015))
    building = draft.sections[0].paragraphs[0]
    assert building.edited
    assert building.text == f"全区新建工会3家，涵盖企业1家，{MISSING}。"
    assert draft.missing == ["org.typo"]
    # Another union keeps the default.
    street = report_draft(actor=SYSTEM, union=d.A, period=report_period(2015))
    assert not street.sections[0].paragraphs[0].edited

    paragraph_text_save(actor=d.admin, union=d.F, key="organisation.building", text="")
    again = report_draft(actor=SYSTEM, union=d.F, period=report_period(2015))
    assert not again.sections[0].paragraphs[0].edited
    assert AuditEntry.objects.filter(action="report.paragraph").count() == 2


def test_saving_a_paragraph_is_checked(year):
    d = year.d
    with pytest.raises(DomainError) as err:
        paragraph_text_save(actor=d.admin, union=d.F, key="no.such", text="x")
    assert err.value.code == "unknown_paragraph"
    with pytest.raises(DomainError) as err:
        paragraph_text_save(actor=d.admin, union=d.F, key="organisation.building", text="字" * 5001)
    assert err.value.code == "text_too_long"
    with pytest.raises(DomainError) as err:
        paragraph_text_save(actor=d.leader, union=d.F, key="organisation.building", text="x")
    assert err.value.code == "read_only"
    with pytest.raises(DomainError) as err:
        paragraph_text_save(actor=d.cadre_a, union=d.F, key="organisation.building", text="x")
    assert err.value.code == "not_found"
    assert not ParagraphText.objects.exists()


def test_draft_page_links_each_figure_to_its_records_and_escapes_the_text(year):
    d = year.d
    paragraph_text_save(
        actor=d.admin,
        union=d.F,
        key="organisation.building",
        text="<script>alert(1)</script>新建{org.unions_founded}家",
    )
    response = client_for(d.admin).get(DRAFT, {"union": d.F.pk, "year": 2015})

    assert response.status_code == 200
    html = response.content.decode()
    drill = reverse("admin:metric_drilldown", args=["org.unions_founded"])
    assert (
        f'<a class="gh-link" href="{drill}?union={d.F.pk}&amp;year=2015&amp;period=calendar">3</a>'
        in html
    )
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;新建" in html
    assert 'name="text"' in html  # the federation admin may edit


def test_editing_through_the_page(year):
    d = year.d
    client = client_for(d.admin)
    response = client.post(
        SAVE,
        {
            "union": d.F.pk,
            "year": 2015,
            "key": "organisation.staff",
            "text": "队伍{org.fulltime_staff_total}人。",
        },
    )
    assert response.status_code == 302
    assert response.url.endswith("#p-organisation.staff")
    text = ParagraphText.objects.get(union=d.F, key="organisation.staff").text
    assert text == "队伍{org.fulltime_staff_total}人。"
    client.post(SAVE, {"union": d.F.pk, "year": 2015, "key": "organisation.staff", "reset": "1"})
    assert ParagraphText.objects.get(union=d.F, key="organisation.staff").text == ""


def test_leader_reads_the_draft_but_cannot_edit(year):
    d = year.d
    client = client_for(d.leader)
    page = client.get(DRAFT, {"year": 2015})
    assert "全年新建工会组织3家" in page.context["draft"].sections[0].paragraphs[0].text
    assert ">3</a>家" in page.content.decode()
    assert 'name="text"' not in page.content.decode()
    response = client.post(SAVE, {"union": d.F.pk, "key": "organisation.staff", "text": "x"})
    assert response.status_code == 403


def test_street_cadre_gets_the_federations_draft_as_not_found(year):
    client = client_for(year.d.cadre_a)
    assert client.get(DRAFT, {"union": year.d.F.pk, "year": 2015}).status_code == 404
    assert (
        client.get(DRAFT, {"union": year.d.F.pk, "year": 2015, "format": "docx"}).status_code == 404
    )
    own = client.get(DRAFT, {"year": 2015}).context["draft"]
    assert own.union == year.d.A
    assert "全年新建工会组织2家" in own.sections[0].paragraphs[0].text


def test_the_docx_opens_and_reads_back_the_draft(year):
    response = client_for(year.d.admin).get(
        DRAFT, {"union": year.d.F.pk, "year": 2015, "format": "docx"}
    )

    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert ".docx" in response["Content-Disposition"]
    doc = Document(BytesIO(response.content))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "测试区总工会2015年工作报告（文稿）"
    assert "组织建设" in texts
    assert any("全年新建工会组织3家，涵盖企业1家。" in t for t in texts)
    assert any("全年新增会员4名。" in t for t in texts)
    body = next(p for p in doc.paragraphs if "全年新增会员" in p.text)
    assert body.paragraph_format.first_line_indent is not None
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert (
        fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "宋体"
    )
