"""The national panel (issue 34): its tables hold up, and each of its measures can come out against the paper.

Every contrary case is built on a copy of the book's data, by writing rows a page could have given,
and the verdict is read back from the same code the chapter uses.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import DATA, ROOT, compendium

from infraclusters.edition import Edition
from infraclusters.model import panel

pytestmark = pytest.mark.unit

FIELDS = list(csv.DictReader((DATA / "panel_facilities.csv").open(encoding="utf-8")))


def write_rows(data_dir: Path, table: str, rows: list[dict]) -> None:
    path = data_dir / f"{table}.csv"
    header = next(csv.reader(path.open(encoding="utf-8")))
    with open(path, "a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        for row in rows:
            writer.writerow({k: "" for k in header} | row)


def site(facility_id: str, city: str, **extra) -> dict:
    """A national facility a page names, in ``city``, with a source the bibliography has."""
    return {
        "facility_id": facility_id,
        "name_zh": f"试验装置{facility_id}",
        "name_en": f"Test facility {facility_id}",
        "designation": "named",
        "field": "materials",
        "field_basis": "inferred",
        "city_zh": city,
        "city_en": city,
        "status": "operating",
        "source": "panel_huairou_crntt_2019",
        **extra,
    }


def test_every_row_is_a_site_the_data_can_place_and_source():
    """Read with the csv module, not the package: keys unique, a part names a whole facility, every counted row
    has a page's words, every field is one of the plan's seven, and no row lacks a source."""
    ids = [r["facility_id"] for r in FIELDS]
    assert len(ids) == len(set(ids))
    whole = {r["facility_id"] for r in FIELDS if not r["part_of"]}
    assert all(r["part_of"] in whole for r in FIELDS if r["part_of"]), "a site is part of a whole facility"
    for r in FIELDS:
        assert r["source"].strip(), r["facility_id"]
        if r["designation"] != "not_stated":
            assert r["quote"].strip(), f"{r['facility_id']}: a counted facility quotes its page"
        assert (r["field"] == "") == (r["field_basis"] == ""), r["facility_id"]
    assert {r["field"] for r in FIELDS} - {""} <= set(panel.FIELDS)


def test_the_counts_leave_out_what_no_page_calls_national(c):
    """A row no page names national (not_stated) is in the data but never in the book's counts."""
    by_hand = [r for r in FIELDS if r["designation"] in ("named", "by_process") and not r["part_of"]]
    assert len(panel.facilities(c)) == len(by_hand)
    every = [r for r in FIELDS if not r["part_of"]]
    assert len(panel.facilities(c, "every_row")) == len(every) > len(by_hand)


def test_completeness_is_measured_against_the_latest_official_count(data_copy):
    """A later official count replaces an earlier one of the same measure, so the share can fall."""
    before = panel.completeness(compendium(data_copy)).set_index("measure")
    write_rows(
        data_copy,
        "panel_counts",
        [
            {
                "count_id": "national_2026_laid_out",
                "value": "200",
                "qualifier": "exact",
                "measure": "laid_out",
                "scope": "national",
                "as_of": "2026-11",
                "source": "panel_huairou_crntt_2019",
            }
        ],
    )
    after = panel.completeness(compendium(data_copy)).set_index("measure")
    assert after.loc["laid_out", "value"] == 200 and after.loc["laid_out", "count_id"] == "national_2026_laid_out"
    assert after.loc["laid_out", "share"] < before.loc["laid_out", "share"]
    assert after.loc["laid_out", "panel"] == before.loc["laid_out", "panel"]


def test_facilities_scattered_one_to_a_city_say_they_do_not_cluster(data_copy):
    """§1.2's clustering: with many new facilities each alone in its own city, most sites are not clustered."""
    assert panel.verdicts(compendium(data_copy))["clustered"] is True
    write_rows(data_copy, "panel_facilities", [site(f"lone_{i}", f"孤城{i}") for i in range(80)])
    found = panel.clustering(compendium(data_copy))
    assert found["clustered"] < 0.5 and found["alone"] > 0.5
    assert panel.verdicts(compendium(data_copy))["clustered"] is False


def test_recent_facilities_outside_the_centres_reverse_the_trend(data_copy):
    """Facilities dated since 2016 but built outside every centre: the centres' share falls, not rises."""
    assert panel.verdicts(compendium(data_copy))["recent_in_centres"] is True
    rows = [site(f"new_{i}", f"新城{i % 4}", year="2020", year_meaning="approval") for i in range(60)]
    write_rows(data_copy, "panel_facilities", rows)
    found = panel.clustering(compendium(data_copy))
    assert found["in_centres_since"] < found["in_centres_before"]
    assert panel.verdicts(compendium(data_copy))["recent_in_centres"] is False


def test_a_case_centre_larger_than_every_other_is_called_so(data_copy):
    """Typicality can come out either way: Hefei with ten more facilities is the largest centre, not typical."""
    rows = [site(f"hefei_extra_{i}", "合肥", science_centre="hefei") for i in range(10)]
    write_rows(data_copy, "panel_facilities", rows)
    typical = panel.typicality(compendium(data_copy)).set_index("cluster_id")
    assert typical.loc["hefei_binhu", "standing"] == "largest" and typical.loc["hefei_binhu", "rank"] == 1


def test_a_centre_spread_over_fields_is_not_one_of_related_fields(data_copy):
    """§2.1's related fields: a centre whose sites span every field has no field for half of them."""
    fields = [f for f in panel.FIELDS for _ in range(3)]
    rows = [site(f"spread_{i}", "东莞", science_centre="gba_songshan_lake", field=f) for i, f in enumerate(fields)]
    write_rows(data_copy, "panel_facilities", rows)
    profiles = panel.centre_profiles(compendium(data_copy)).set_index("centre_id")
    assert profiles.loc["gba_songshan_lake", "related"] is False or not profiles.loc["gba_songshan_lake", "related"]
    assert profiles.loc["gba_songshan_lake", "top_share"] < 0.5


def test_many_larger_host_cities_push_the_cases_out_of_the_top_quarter(data_copy):
    """The cases are large hosts only relative to the others: twenty cities of eight facilities each change it."""
    assert panel.verdicts(compendium(data_copy))["cases_top_quarter"] == 3
    rows = [site(f"big_{city}_{i}", f"大城{city}") for city in range(20) for i in range(8)]
    write_rows(data_copy, "panel_facilities", rows)
    assert panel.verdicts(compendium(data_copy))["cases_top_quarter"] == 0


def test_without_the_books_fields_the_field_verdict_has_almost_nothing_to_stand_on(c):
    """Fields are mostly the book's assignment: under the stated-fields reading few centres have one."""
    stated = sum(1 for r in FIELDS if r["field_basis"] == "page")
    inferred = sum(1 for r in FIELDS if r["field_basis"] == "inferred")
    assert panel.footing(c)["field_basis"] == {
        "stated": stated,
        "inferred": inferred,
        "none": len(FIELDS) - stated - inferred,
    }
    sens = panel.sensitivity(c).set_index("reading")
    assert sens.loc["stated_fields", "centres_with_fields"] < sens.loc["national", "centres_with_fields"]
    assert "centres_with_fields" in sens.loc["stated_fields", "changed"]


def test_the_chapters_sentences_follow_the_verdicts(data_copy):
    """The glued sentences state what the data give, and change when the data do."""
    from infraclusters.text import panel as text

    ed = Edition()
    said = text.numbers(compendium(data_copy), ed)
    assert said["cases_among_cities"].startswith("All of them are in the top quarter")
    rows = [site(f"big_{city}_{i}", f"大城{city}") for city in range(20) for i in range(8)]
    write_rows(data_copy, "panel_facilities", rows)
    said = text.numbers(compendium(data_copy), ed)
    assert said["cases_among_cities"] == "Not all of them are in the top quarter of host cities."


def test_both_editions_draw_the_panels_figures_and_tables(c):
    from infraclusters import figures
    from infraclusters.text import panel as text

    for ed in (Edition(), Edition("zh_CN")):
        for figure_id in ("fig-panel-completeness", "fig-panel-cities"):
            spec = figures.spec(figures.build(figure_id, c, ed))
            assert spec.get("datasets"), figure_id
        table = text.facility_table(c, ed).data
        assert table.count("\n") == len(FIELDS) + 1
        assert "{cite:p}`panel_" in table


def test_the_panels_tables_are_in_the_data_dictionary_and_the_descriptor():
    import json

    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    names = {r["name"] for r in descriptor["resources"]}
    assert {"panel_facilities", "panel_centres", "panel_counts"} <= names


def test_the_panel_travels_in_the_data_zip():
    import io
    import zipfile

    from infraclusters.book.downloads import data_zip

    names = zipfile.ZipFile(io.BytesIO(data_zip(DATA, ROOT))).namelist()
    assert {f"data/{t}.csv" for t in ("panel_facilities", "panel_centres", "panel_counts")} <= {
        n.split("/", 1)[1] for n in names
    }
