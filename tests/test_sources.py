"""The bibliography a fact-checker lands on: every entry titled, addressed, dated, read on a date, and graded.

Where a page prints no headline, the entry has a title supplied from the page's
content, in square brackets, as a cataloguer devises one, and says so. The
entries still without a title (no copy of the page could be read) or a date are
listed here by key, as known gaps: the book does not invent either. The test fails on any *other* entry that lacks a field, and on
a listed entry that has since been completed (take it off the list), so the
list only ever shrinks.
"""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from infraclusters.book.citation_style import GRADES, grade_label

KNOWN_UNTITLED: set[str] = set()

KNOWN_UNDATED = {
    # the national panel (issue 34): pages that show no date
    "panel_atto_szhome_2025",
    "panel_brain_siat",
    "panel_ceni_gfnds",
    "panel_chief_geeksci",
    "panel_ciads_gdlhz",
    "panel_cjpl_ccnta",
    "panel_count_cctv2025_mirror",
    "panel_count_cis57",
    "panel_count_ndrc2022_macaudt",
    "panel_count_ndrc2022_steelhome",
    "panel_craft_ahrb_2019_mirror",
    "panel_cy_kjrb_xbkxc",
    "panel_east_ustc_hfsc",
    "panel_eq_tju_2025",
    "panel_eq_xinhua_accept",
    "panel_germplasm_xinhua_2024",
    "panel_gm_sztv",
    "panel_gt_tech_2024",
    "panel_heps_approval_mirror",
    "panel_hepstf_ihep_mirror",
    "panel_hl2m_journal",
    "panel_hls_cicphoto",
    "panel_hubei_hbtctv",
    "panel_mbif_thepaper_mirror",
    "panel_msaf_ustb_en",
    "panel_qtt_jamesclane",
    "panel_rsgs_chinanews_mirror",
    "panel_s3fel_dutenews",
    "panel_saps_wenxiaobai_2025",
    "panel_sbp_thepaper_mirror",
    "panel_sc_chinanews_cdkxc",
    "panel_seafloor_tongji_approval",
    "panel_sece_jlu_2025",
    "panel_seek_21cbh",
    "panel_seek_jn_ifeng",
    "panel_seek_nj_yzwb",
    "panel_sevenfields_zqrb_mirror",
    "panel_shmff_xinhua_2022_mirror",
    "panel_ssrf_cicphoto_2010",
    "panel_ssrf_history_sari",
    "panel_ssrf_kepuchina",
    "panel_tm_chinanews_mirror",
    "zj_junshi_vv116_announcement",  # a repost of a company announcement that shows no date
    "zj_obio_prospectus",  # the prospectus page read shows no date
    "bc_thepaper_zhangjiang_incubators",
    "cl_fl4_binhu_sciencecity",
    "cl_jablog_zhangjiang_hitech",
    "cl_kfd_binhu_newarea",
    "cl_kxwhcb_zhangjiang",
    "cl_wikibrief_zhangjiang_hitech",
    "cl_wn_hefei",
    "co_enwikipedianet_luogang",
    "co_fl4_binhu",
    "co_jawiki_mirror_luogang",
    "co_qiaojia_luogang_park",
    "co_ttnews_luogang_park",
    "fac_attosecond_approval_mirror",
    "fac_attosecond_szhome_2025",
    "fac_attosecond_wenxiaobai_2025",
    "fac_ciqtek_jianghuai_2024",
    "fac_craft_shzx",
    "fac_csns_hk01",
    "fac_hls_cicphoto",
    "fac_hls_zgqjnyw_2023",
    "fac_iat_cmjscl",
    "fac_originq_mirror_2023",
    "fac_qifip_chinanews_2023",
    "fac_quantum_institute_qqzyw_2018",
    "fac_saps_ihep_mirror_2020",
    "fac_slab_battery_nfdaily_mirror",
    "fac_slab_official_about",
    "fac_ssl_yigr",
    "fac_ssrf_cicphoto_2009",
    "fac_ssrf_history_official",
    "fac_ssrf_kepuchina",
    "fac_ssrf_newton",
    "fac_sulf_jiemian_mirror",
    "fac_zj_drugbase_2023",
    "fac_zjlab_yicai_2017",
    "fc_bg3_xinhua_anhui_quantum",
    "fc_bjx_shanghai_future_industry_2022",
    "fc_cnrepark_stcn_hefei_quantum",
    "fc_digfamily_lanjing_zhangjiang_cgt_2024",
    "fc_dutenews_guangdong_future_2024",
    "fc_firk_hefei_quantum_2023",
    "fc_gannanhao_opinions_2024",
    "fc_jb2b_jiemian_zhangjiang",
    "fc_nature_index_materials_2019",
    "fc_sotai_liaowang_newmaterials_2024",
    "fc_ustc_news_anhui_quantum_2025",
    "roigtierno2015",
}


#: The paper's ref. [5], "Roig-Tierno等": no public page names the work, so it has no address and no access date.
KNOWN_UNADDRESSED = {"roigtierno2015"}


def bibliography() -> dict[str, dict[str, str]]:
    from pybtex.database import parse_file

    return {key: dict(entry.fields) for key, entry in parse_file(str(ROOT / "references.bib")).entries.items()}


def gaps(entries: dict[str, dict[str, str]]) -> dict[str, set[str]]:
    """Entries lacking each required field (a placeholder title counts as none)."""
    missing: dict[str, set[str]] = {field: set() for field in ("title", "url", "date", "urldate", "grade")}
    for key, fields in entries.items():
        if not fields.get("title") or re.match(r"\[untitled", fields["title"], re.I):
            missing["title"].add(key)
        if not fields.get("url"):
            missing["url"].add(key)
        if not (fields.get("date") or fields.get("year")):
            missing["date"].add(key)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", fields.get("urldate", "")):
            missing["urldate"].add(key)
        if fields.get("grade") not in GRADES:
            missing["grade"].add(key)
    return missing


def test_every_entry_has_an_address_an_access_date_and_a_grade():
    missing = gaps(bibliography())
    assert missing["url"] == missing["urldate"] == KNOWN_UNADDRESSED
    assert missing["grade"] == set()


def test_no_entry_lacks_a_title_or_date_beyond_the_known_gaps():
    missing = gaps(bibliography())
    assert missing["title"] - KNOWN_UNTITLED - KNOWN_UNADDRESSED == set(), "new entries without a headline"
    assert missing["date"] - KNOWN_UNDATED == set(), "new entries without a date"
    assert KNOWN_UNTITLED - missing["title"] == set(), "completed: take these off KNOWN_UNTITLED"
    assert KNOWN_UNADDRESSED <= missing["title"] & missing["url"], "completed: take it off KNOWN_UNADDRESSED"
    assert KNOWN_UNDATED - missing["date"] == set(), "completed: take these off KNOWN_UNDATED"


#: What a bibliography entry's note says when its title is supplied, not printed on the page.
SUPPLIED = "title supplied by this book from the page's content"


def test_a_supplied_title_is_bracketed_and_says_so():
    """Where a page prints no headline, the entry carries a title devised from the page's content, as a
    cataloguer does (RDA 2.3.2.11): in square brackets, with a note saying it is supplied. Nothing else
    is bracketed, and no entry says it is untitled."""
    for key, fields in bibliography().items():
        title, note = fields.get("title", ""), fields.get("note", "")
        if key in KNOWN_UNTITLED | KNOWN_UNADDRESSED:
            continue
        assert "untitled" not in title.lower(), key
        bracketed = title.startswith("[") and title.endswith("]")
        assert bracketed == (SUPPLIED in note), key


#: Working notes that belong in a curator's log, not in a reader's bibliography.
CURATOR_WORDING = re.compile(
    r"per the leads|\bleads?\b|stored cop|helper|to verify|check later|TODO|REPORT\.md|during this check"
    r"|/work/|\bscratch/",  # a path on the curator's machine
    re.I,
)


def test_no_entry_carries_a_curators_working_note():
    noted = {
        key: f["note"]
        for key, f in bibliography().items()
        if CURATOR_WORDING.search(f.get("note", "") + " " + f.get("note_zh", ""))
    }
    assert noted == {}
    assert CURATOR_WORDING.search("undated repost, per the leads a mirror of 界面新闻")  # the note it found


def test_the_check_fails_on_an_entry_without_title_date_or_grade():
    entries = {
        "good": {
            "title": "A page",
            "url": "https://a.example",
            "year": "2024",
            "urldate": "2026-11-30",
            "grade": "press",
        },
        "bad": {
            "title": "[Untitled page on b.example]",
            "url": "https://b.example",
            "urldate": "30 Nov",
            "grade": "blog",
        },
    }
    missing = gaps(entries)
    assert {field for field, keys in missing.items() if "bad" in keys} == {"title", "date", "urldate", "grade"}
    assert all("good" not in keys for keys in missing.values())


def test_a_mirror_is_graded_as_one():
    entries = bibliography()
    for key, fields in entries.items():
        note = fields.get("note", "").lower()
        if fields.get("journal"):  # a journal article is graded as the work; a mirror is only where it was read
            continue
        if re.search(r"\bmirror of\b", note) and fields.get("grade") in ("official", "scholarly"):
            pytest.fail(f"{key}: its note says it is a mirror, but it is graded {fields['grade']}")


@pytest.mark.parametrize("chinese", [False, True])
def test_every_grade_reads_as_a_sentence_in_both_languages(chinese):
    labels = [grade_label(grade, chinese) for grade in GRADES]
    assert len(set(labels)) == len(GRADES)
    assert all(label.endswith("。" if chinese else ".") for label in labels)


def test_the_bibliography_page_shows_headlines_as_printed_and_every_grade(built_site):
    from conftest import ZH_SITE

    for site, said in ((built_site, "Source grade: "), (ZH_SITE, "来源等级：")):
        page = (site / "chapters" / "bibliography.html").read_text(encoding="utf-8")
        assert "Hefei Luogang Airport" in page, "a title keeps its capitals"
        assert page.count(said) == len(bibliography()), "every entry says its grade"
        assert "stored cop" not in page


def test_a_dated_entry_is_cited_with_its_year_not_nd():
    """Author–year labels read ``year`` alone: every dated entry carries its date's year, and a reader's bib
    copied into their page gets it too (a page dated 2022-12-08 is never "n.d.")."""
    from infraclusters.text.citation import with_years

    for key, fields in bibliography().items():
        if fields.get("date"):
            assert fields.get("year") == fields["date"][:4], key
    reader = "@misc{a,\n  title = {T},\n  date = {2022-12-08},\n  url = {u}\n}\n@misc{b,\n  year = {2020},\n  date = {2021-01-01}\n}\n"
    assert with_years(reader).count("year = {2022}") == 1 and with_years(reader).count("year") == 2


def test_no_entry_escapes_a_dollar_sign():
    """pybtex prints "\\$" with its backslash ("\\$100m Shanghai Biomedical Research Center" in both bibliographies);
    a dollar sign is written as it is printed. (\\& and \\% are rendered as & and %.)"""
    escaped = {key: name for key, f in bibliography().items() for name, value in f.items() if "\\$" in value}
    assert escaped == {}
