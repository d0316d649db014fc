import datetime as dt

from gonghui.organisation.selectors import union_list


def test_district_fixture_builds_and_scopes(district):
    assert union_list(actor=district.cadre_a).count() == 3
    assert set(union_list(actor=district.admin).values_list("code", flat=True)) == {
        "FED",
        "ST-A",
        "CM-A1",
        "EN-A",
        "ST-B",
        "CM-B1",
        "EN-B",
    }
    assert district.EA.path.startswith(district.A.path + ".")
    assert district.F.founded_on == dt.date(1990, 1, 1)
