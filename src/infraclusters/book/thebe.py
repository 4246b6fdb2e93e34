"""Live code (Thebe) is off in this book: then none of sphinx-thebe's files reach the pages.

Jupyter Book always loads sphinx-thebe, which declares ``const THEBE_JS_URL``
in an inline script; in a Sphinx 7 build it is added twice, so every page
logged "Identifier 'THEBE_JS_URL' has already been declared", and each page
named a script on unpkg.com. With ``launch_buttons.thebe`` off (``_config.yml``)
the pages carry neither the configuration, nor ``sphinx-thebe.js``, nor its CSS.
"""

from __future__ import annotations


def thebe_on(app) -> bool:
    options = app.config.html_theme_options or {}
    return bool((options.get("launch_buttons") or {}).get("thebe"))


def drop(app, pagename, templatename, context, doctree) -> None:
    """``html-page-context``: leave out sphinx-thebe's scripts and style sheet when Thebe is off."""
    if thebe_on(app):
        return

    def thebe(asset) -> bool:
        name = getattr(asset, "filename", None) or str(asset)
        body = (getattr(asset, "attributes", None) or {}).get("body", "")
        return "thebe" in (name or "") or "THEBE_JS_URL" in body

    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if not thebe(asset)]
