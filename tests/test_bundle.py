"""The offline Vega bundle matches what the installed Altair asks for."""

from __future__ import annotations

from infraclusters.book import bundle


def test_drift_is_detected_per_library():
    expected = {"vega_version": "6", "vegalite_version": "6.4.1", "vegaembed_version": "7"}
    assert (
        bundle.version_drift(
            expected, {"vega_version": "6.2.0", "vegalite_version": "6.4", "vegaembed_version": "7.0.2"}
        )
        == []
    )
    drift = bundle.version_drift(
        expected, {"vega_version": "5.30.0", "vegalite_version": "6.1", "vegaembed_version": "7.0.2"}
    )
    assert [d.split(":")[0] for d in drift] == ["vega_version", "vegalite_version"]


def test_installed_vl_convert_bundles_what_altair_expects():
    assert bundle.version_drift(bundle.expected_versions(), bundle.bundled_versions()) == []


def test_built_bundle_matches_the_installed_altair(built_site):
    text = (built_site / "_static" / bundle.BUNDLE_NAME).read_text(encoding="utf-8")
    header = bundle.read_header(text)
    assert header["altair_expects"] == bundle.expected_versions(), "rebuild: the bundle predates this Altair"
    assert header["bundled"] == bundle.bundled_versions(), "rebuild: the bundle predates this vl-convert"
    assert "window.VEGA_DEBUG" in text and "window.vegaEmbed" in text
    bundled = bundle.bundled_versions()
    for library in ("vega_version", "vegaembed_version"):
        assert f'"{bundled[library]}"' in text, f"{library} {bundled[library]} is not what the bundle holds"
    assert f'"{bundle.expected_versions()["vegalite_version"]}"' in text, "vega-lite in the bundle is not Altair's"
