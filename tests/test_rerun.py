"""Re-executing a chapter as a reader would: ``python -m infraclusters run CHAPTER``."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from infraclusters.book import run
from infraclusters.figures.notebook import PLACEHOLDER

GLUE = re.compile(r"\{glue:text\}`([^`]+)`")


def run_command(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "infraclusters", "run", *args], capture_output=True, text=True)


def test_list_names_every_chapter_with_its_parameters_and_defaults():
    listed = run_command("--list")
    assert listed.returncode == 0, listed.stderr
    for name in ("concepts", "mechanisms", "comparison", "recommendations", "factcheck", "case_template"):
        assert f"python -m infraclusters run {name} --out OUT" in listed.stdout
    assert "case_template: cluster='hefei_binhu', data_dir=None" in listed.stdout
    assert run.chapters(ROOT)["mechanisms"].parameters == {"data_dir": None}


def test_an_unknown_chapter_or_parameter_stops_with_the_known_ones(tmp_path):
    unknown = run_command("atlantis", "--out", str(tmp_path))
    assert unknown.returncode == 1 and "chapters that run: concepts, mechanisms" in unknown.stderr
    bad = run_command("mechanisms", "--param", "colour=red", "--out", str(tmp_path))
    assert bad.returncode == 1 and "no parameter 'colour'" in bad.stderr and "data_dir (default None)" in bad.stderr
    assert "Traceback" not in unknown.stderr + bad.stderr
    assert list(tmp_path.iterdir()) == [], "nothing written"


def test_values_are_python_literals_or_text():
    chapter = run.chapters(ROOT)["case_template"]
    assert run.parse_values(["cluster=shanghai_zhangjiang", "data_dir=None"], chapter) == {
        "cluster": "shanghai_zhangjiang",
        "data_dir": None,
    }
    with pytest.raises(ValueError, match="NAME=VALUE"):
        run.parse_values(["cluster"], chapter)


def glued(notebook: dict) -> dict[str, str]:
    """The values a re-run glued, as the book's text shows them (quotes of a string left out)."""
    values = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            text = output.get("data", {}).get("application/papermill.record/text/plain")
            if name and text is not None:
                values[name] = text[1:-1] if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"" else text
    return values


CHAPTERS = [
    ("concepts", [], "chapters/concepts.html", "chapters/concepts.md"),
    ("mechanisms", [], "chapters/mechanisms.html", "chapters/mechanisms.md"),
    ("comparison", [], "chapters/comparison.html", "chapters/comparison.md"),
    ("recommendations", [], "chapters/recommendations.html", "chapters/recommendations.md"),
    ("factcheck", [], "chapters/factcheck.html", "chapters/factcheck.md"),
    ("data", [], "chapters/data.html", "chapters/data.md"),
    (
        "case_template",
        ["--param", "cluster=shanghai_zhangjiang"],
        "chapters/cases/02_shanghai_zhangjiang.html",
        "chapters/case_template.md",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("chapter", "options", "page", "source"), CHAPTERS, ids=[c[0] for c in CHAPTERS])
def test_a_rerun_shows_its_figures_and_matches_the_book(built_site, tmp_path, chapter, options, page, source):
    """Every glued number of the page and every figure's spec are what the built book shows."""
    out = tmp_path / "out"
    result = run_command(chapter, *options, "--out", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    notebook = json.loads((out / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    values = glued(notebook)
    keys = GLUE.findall((ROOT / source).read_text(encoding="utf-8"))
    page_text = (built_site / page).read_text(encoding="utf-8")
    shown = [html.unescape(v) for v in re.findall(r'class="pasted-text">([^<]*)<', page_text)]

    def plain(text: str) -> str:  # the page's typography: Sphinx's curly quotes, and HTML's dashes
        return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').replace("–", "--")

    assert [plain(values[key]) for key in keys] == [plain(v) for v in shown[: len(keys)]], "the book's numbers"
    figures = run.figures_shown(notebook)
    for figure_id in figures:
        assert (out / "figures" / f"{figure_id}.vl.json").read_text(encoding="utf-8") == (
            built_site / "figures" / f"{figure_id}.vl.json"
        ).read_text(encoding="utf-8"), figure_id
        outputs = [
            o
            for cell in notebook["cells"]
            for o in cell.get("outputs", [])
            if o.get("metadata", {}).get("infraclusters", {}).get("figure") == figure_id
        ]
        assert outputs and "image/png" in outputs[0]["data"], "the figure is visible in the notebook, PNG included"
        assert any(k.startswith("application/vnd.vegalite.v") for k in outputs[0]["data"])


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_every_executable_page_says_how_to_rerun_it(built_site, language):
    from conftest import ZH_SITE

    site = built_site if language == "en" else ZH_SITE
    for _chapter, options, page, _source in CHAPTERS:
        text = (site / page).read_text(encoding="utf-8")
        assert "infra-rerun" in text, page
        name = "case_template --param cluster=shanghai_zhangjiang" if options else Path(page).stem
        plain = html.unescape(re.sub(r"<[^>]+>", "", text))  # the command is highlighted: tokens in spans
        assert f"python -m infraclusters run {name} --out OUT" in plain, page
        link = re.search(r'infra-rerun.*?href="([^"]+\.ipynb)"', text, re.S).group(1)
        linked = ((site / page).parent / link).resolve()
        assert linked.is_file() and linked.is_relative_to(site), f"{page}: {link}"
        notebook = json.loads(linked.read_text(encoding="utf-8"))
        placed = re.findall(r'id="(fig-[a-z0-9-]+)"', text)
        shown = run.figures_shown(notebook)
        assert set(shown) == set(placed), f"{page}: the linked notebook shows the page's figures"
        assert not any(f"[{figure_id}]" in text for figure_id in placed), f"{page}: a placeholder left a visible output"
        for cell in notebook["cells"]:
            for output in cell.get("outputs", []):
                if output.get("metadata", {}).get("infraclusters"):
                    assert {"image/png", "application/vnd.vegalite.v5+json"} <= set(output["data"]), page
                    assert PLACEHOLDER not in output["data"], page
        glued_here = glued(notebook)
        assert glued_here, f"{page}: the linked notebook is the executed one (its glued values)"
        if language == "zh_CN" and "comparison" in page:
            assert any(re.search(r"[\u4e00-\u9fff]", v) for v in glued_here.values()), "the edition's own run"


@pytest.mark.slow
def test_jupyterlab_draws_an_executed_chapter_and_opens_a_chapter_source_as_a_notebook(built_site, tmp_path):
    """``jupyter lab``, offline: the build's executed notebook shows every figure drawn by Vega; a ``.md`` is a notebook."""
    import shutil
    import socket
    import time
    import urllib.request

    from browser import chromium_path, offline_page

    if chromium_path() is None:
        pytest.skip("Chromium is not installed (.ci/run installs it)")
    shutil.copy(built_site / "notebooks" / "chapters" / "mechanisms.ipynb", tmp_path)
    shutil.copy(ROOT / "chapters" / "mechanisms.md", tmp_path)
    expected = run.figures_shown(json.loads((tmp_path / "mechanisms.ipynb").read_text(encoding="utf-8")))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         "--ServerApp.token=", "--ServerApp.password=", f"--ServerApp.root_dir={tmp_path}",
         "--LabApp.news_url=", "--ServerApp.allow_root=True"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/api/status")
                break
            except OSError:
                time.sleep(0.3)
        model = json.loads(urllib.request.urlopen(base + "/api/contents/mechanisms.md?type=notebook").read())
        assert model["type"] == "notebook" and any(
            "figures.show" in cell["source"] for cell in model["content"]["cells"]
        ), "jupytext serves the chapter's MyST source as a notebook"
        with offline_page() as (page, blocked):
            page.goto(base + "/lab/tree/mechanisms.ipynb")
            page.wait_for_function(
                f"document.querySelectorAll('.jp-RenderedVegaCommon5 svg.marks, .jp-RenderedVegaCommon5 canvas.marks')"
                f".length >= {len(expected)}",
                timeout=90_000,
            )
            state = page.evaluate(
                """() => ({
                    vega: document.querySelectorAll('.jp-RenderedVegaCommon5').length,
                    errors: Array.from(document.querySelectorAll('.jp-RenderedVegaCommon5 .error')).map(e => e.textContent),
                })"""
            )
        assert state == {"vega": len(expected), "errors": []}
        assert blocked == [], "JupyterLab drew the figures with nothing from the network"
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:  # a loaded machine: JupyterLab may take longer to shut its kernels down
            server.kill()
            server.wait()


def test_a_chapter_opened_run_and_saved_in_jupyterlab_is_the_same_file():
    """What Lab's jupytext contents manager writes back (with the running kernel's spec and this repository's
    jupytext.toml) is byte for byte the chapter: the checkout stays clean and the execution cache valid."""
    import jupytext
    from jupytext.config import load_jupytext_config

    config = load_jupytext_config(str(ROOT / "chapters"))
    assert config is not None, "jupytext.toml at the repository root"
    for path in sorted((ROOT / "chapters").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---\njupytext:"):
            continue
        notebook = jupytext.reads(text, fmt="md:myst")
        notebook.metadata["kernelspec"] = {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        }
        assert jupytext.writes(notebook, fmt="md:myst", config=config) == text, path.name
