"""The offline Vega bundle: vega, vega-lite and vega-embed in one script, from vl-convert.

Altair's HTML output loads the three libraries from a CDN unless the page has
already declared them in ``window.VEGA_DEBUG`` at the versions Altair asks for.
The built site therefore serves one bundle, produced at build time by the
installed vl-convert-python, which defines the libraries and then declares
them. :func:`check_versions` refuses a bundle whose versions drift from what
the installed Altair expects, so a drift fails the build, not the reader.
"""

from __future__ import annotations

import json

BUNDLE_NAME = "infraclusters-vega.js"
#: Altair's template calls only the global ``vegaEmbed`` (vega's ESM build has no
#: default export, so a ``window.vega`` set here would be null).
_EXPOSE = "window.vegaEmbed = vegaEmbed;"


def expected_versions() -> dict[str, str]:
    """The versions the installed Altair's HTML template asks for (its VEGA_DEBUG keys)."""
    from altair.vegalite.v6 import display

    return {
        "vega_version": display.VEGA_VERSION,
        "vegalite_version": display.VEGALITE_VERSION,
        "vegaembed_version": display.VEGAEMBED_VERSION,
    }


def bundled_versions() -> dict[str, str]:
    """The versions vl-convert-python bundles (vega-lite as major.minor)."""
    import vl_convert

    wanted = _major_minor(expected_versions()["vegalite_version"])
    vegalite = wanted if wanted in vl_convert.get_vegalite_versions() else vl_convert.get_vegalite_versions()[-1]
    return {
        "vega_version": vl_convert.get_vega_version(),
        "vegalite_version": vegalite,
        "vegaembed_version": vl_convert.get_vega_embed_version(),
    }


def _major_minor(version: str) -> str:
    return ".".join(version.lstrip("v").split(".")[:2])


def version_drift(expected: dict[str, str], bundled: dict[str, str]) -> list[str]:
    """Human-readable mismatches: vega and vega-embed by major, vega-lite by major.minor."""
    problems = []
    for key, precision in (("vega_version", 1), ("vegalite_version", 2), ("vegaembed_version", 1)):
        want = ".".join(expected[key].split(".")[:precision])
        have = ".".join(bundled[key].split(".")[:precision])
        if want != have:
            problems.append(f"{key}: Altair expects {expected[key]}, vl-convert bundles {bundled[key]}")
    return problems


def check_versions() -> dict[str, str]:
    """The bundled versions, or RuntimeError when they drift from Altair's."""
    expected, bundled = expected_versions(), bundled_versions()
    drift = version_drift(expected, bundled)
    if drift:
        raise RuntimeError("offline Vega bundle does not match Altair: " + "; ".join(drift))
    return bundled


def build_bundle() -> str:
    """The script text: a header naming the versions, the libraries, then VEGA_DEBUG."""
    import vl_convert

    bundled = check_versions()
    expected = expected_versions()
    library = vl_convert.javascript_bundle(_EXPOSE, vl_version=bundled["vegalite_version"])
    header = (
        "/* infraclusters offline Vega bundle, built by vl-convert-python "
        + json.dumps({"bundled": bundled, "altair_expects": expected}, sort_keys=True)
        + " */\n"
    )
    declare = (
        "\nwindow.VEGA_DEBUG = Object.assign(window.VEGA_DEBUG || {}, " + json.dumps(expected, sort_keys=True) + ");\n"
    )
    # The bundle declares top-level constants: a function scope keeps them off the page's globals.
    return header + "(function () {\n" + library + "\n})();" + declare


def read_header(text: str) -> dict:
    """The version record written at the top of a bundle (for tests and checks)."""
    first = text.split("\n", 1)[0]
    return json.loads(first[first.index("{") : first.rindex("}") + 1])
