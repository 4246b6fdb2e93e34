"""Measure the book: build times, test time, page size, with the template book as a yardstick.

Run from the repository root in the book's environment:  python benchmarks/build.py
It works on a copy of the tracked files in a temporary directory, so nothing here is touched.
Printed, not asserted: each measurement beside its target (where the project set one) and the template book's
cold build as a yardstick, which holds on noisy machines. ``--slow`` also times the slow tier of the tests.

Targets (issue 28): python -m pytest <= 5 min, -m unit <= 60 s, the whole of .ci/run <= 15 min (its phases
print their times), a no-change rebuild <= 3 s, ``run mechanisms`` <= 10 s, a reader's own cluster in both
editions with the comparison <= 60 s, writing only the reader's files.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = str(Path(sys.executable).with_name("jupyter-book"))


def timed(command: list[str], cwd: Path, check: bool = True) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if check and result.returncode:
        raise subprocess.CalledProcessError(result.returncode, command)
    if result.returncode:
        print(f"note: {' '.join(command[-3:])} exited {result.returncode}; its time is still reported", flush=True)
    return time.perf_counter() - start


def build(book: Path, *command: str) -> tuple[float, int]:
    """Seconds a build of the copy takes with the copy's own package, and how many chapters it executed."""
    command = command or (JUPYTER_BOOK, "build", ".")
    env = {**os.environ, "PYTHONPATH": str(book / "src")}
    start = time.perf_counter()
    result = subprocess.run(command, cwd=book, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{(result.stdout + result.stderr)[-3000:]}")
    return time.perf_counter() - start, len(re.findall(r"Executing notebook", result.stdout + result.stderr))


def edit(path: Path, old: str, new: str) -> str:
    """Replace ``old`` by ``new`` in a file of the copy; returns the text before, to put it back."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}: update the benchmark"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text


def copy_tracked(target: Path) -> Path:
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()
    for name in files:
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def executed_pages(book: Path) -> int:
    return sum(1 for _ in (book / "_build" / ".jupyter_cache" / "executed").glob("*")) or sum(
        1 for _ in (book / ".jupyter_cache" / "executed").glob("*")
    )


def synthetic_inventory(n: int = 100_000, clusters: int = 50, seed: int = 1):
    """A made-up inventory of ``n`` facilities (for timing only; never written to data/)."""
    import numpy as np
    import pandas as pd

    import infraclusters

    rng = np.random.default_rng(seed)
    c, _ = infraclusters.open()
    type_links = c.type_links
    types = type_links.drop_duplicates("type_id")
    pick = rng.integers(0, len(types), n)
    facilities = pd.DataFrame(
        {
            "facility_id": [f"f{i:06d}" for i in range(n)],
            "cluster_id": [f"c{c:02d}" for c in rng.integers(0, clusters, n)],
            "type_id": types["type_id"].to_numpy()[pick],
            "category_id": types["category_id"].to_numpy()[pick],
            "name_zh": "设施",
            "name_en": "Facility",
            "type_zh": "类型",
            "type_en": "Type",
        }
    )
    organisations = pd.DataFrame(
        {"org_id": [f"o{i:05d}" for i in range(n // 10)], "org_kind": "firm", "name_zh": "企业", "name_en": "Firm"}
    )
    relations = pd.DataFrame(
        {
            "relation_id": [f"r{i:06d}" for i in range(n)],
            "from_id": organisations["org_id"].to_numpy()[rng.integers(0, len(organisations), n)],
            "to_id": facilities["facility_id"].to_numpy(),
            "relation": "serves",
        }
    )
    return type_links, facilities, organisations, relations


def time_package_functions() -> list[tuple[str, float]]:
    """The chain, roles and network functions on 100,000 synthetic facilities."""
    import infraclusters
    from infraclusters.model import chain, roles
    from infraclusters.model import graphs as network

    type_links, facilities, organisations, relations = synthetic_inventory()
    stages = infraclusters.open()[0].stages
    start = time.perf_counter()
    links = chain.link_facilities(facilities, type_links).rename(columns={"facility_id": "entity_id"})
    profile = roles.profile(links, stages)  # as if every facility had a documented role at its type's stages
    roles.middle_light(profile)
    roles.coverage(links, stages)
    roles.bridges(links, stages)
    chain_seconds = time.perf_counter() - start
    start = time.perf_counter()
    graph = network.inventory_graph(facilities, organisations, relations)
    network.brokers(graph)
    network_seconds = time.perf_counter() - start
    return [
        ("100,000 facilities: chain functions (s)", chain_seconds),
        ("100,000 facilities: network graph and brokers (s)", network_seconds),
    ]


#: What the project aims at, in the unit each row is measured in (a row without a target is read as it is).
TARGETS = {
    "book: no-change rebuild (s)": 3,
    "run: one chapter, mechanisms (s)": 10,
    "own cluster: case en + case zh_CN + compare (s)": 60,
    "tests: fast tier, python -m pytest -m unit (s)": 60,
    "tests: python -m pytest (s)": 300,
}


def folder_megabytes(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


EXAMPLE_SOURCE = """@misc{my_source_2025,
  title = {The page's headline}, author = {Outlet}, year = {2025}, date = {2025-05-01},
  url = {https://example.org/page}, urldate = {2025-06-01}, grade = {press}, note = {Outlet}
}
"""


def time_own_cluster(scratch: Path, book: Path) -> list[tuple[str, float]]:
    """A reader's cluster from the starter (its example rows taken as theirs): both editions and the comparison."""
    from infraclusters.model import starter

    data = scratch / "my-city"
    starter.write("my_city", data, book)
    for name in starter.TABLES:
        path = data / f"{name}.csv"
        path.write_text(path.read_text(encoding="utf-8").replace("\n# ", "\n"), encoding="utf-8")
    (data / "references.bib").write_text(EXAMPLE_SOURCE, encoding="utf-8")  # the source the example rows cite
    descriptor = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    descriptor.update(title="My City inventory", contributors=[{"title": "A. Reader", "role": "author"}])
    (data / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")  # as a reader fills it in
    command = [sys.executable, "-m", "infraclusters"]
    out = scratch / "my-city-out"
    start = time.perf_counter()
    # check: a run that fails early would look fast
    timed([*command, "case", "my_city", "--data-dir", str(data), "--out", str(out / "en")], book)
    zh = [*command, "case", "my_city", "--data-dir", str(data), "--out", str(out / "zh"), "--language", "zh_CN"]
    timed(zh, book)
    timed([*command, "compare", "--data-dir", str(data), "--out", str(out / "compare")], book)
    seconds = time.perf_counter() - start
    return [
        ("own cluster: case en + case zh_CN + compare (s)", seconds),
        ("own cluster: ... what they wrote (MB)", folder_megabytes(out)),
    ]


def main() -> None:
    slow = "--slow" in sys.argv[1:]
    rows = time_package_functions()
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        book = copy_tracked(scratch / "book")
        cold, _ = build(book)
        chapters = executed_pages(book)
        rows.append(("book: cold build (s)", cold))
        rows.append(("book: executed chapters", chapters))
        rows.append(("book: cold build per executed chapter (s)", cold / max(chapters, 1)))
        rows.append(("book: no-change rebuild (s)", build(book)[0]))
        edit(book / "chapters" / "concepts.md", "figures.setup()\n", "figures.setup()\nbenchmark_edit = True\n")
        seconds, count = build(book)
        rows.append(("book: rebuild after editing one chapter's code (s)", seconds))
        rows.append(("book: ... chapters it re-executed", count))
        chart = book / "src" / "infraclusters" / "figures" / "comparison.py"
        before = edit(chart, "mark_circle(size=180,", "mark_circle(size=181,")
        seconds, count = build(book)
        chart.write_text(before, encoding="utf-8")
        rows.append(("book: rebuild after editing one chart's code (s)", seconds))
        rows.append(("book: ... chapters it re-executed (target 0)", count))
        table = book / "data" / "milestones.csv"
        before = edit(table, "(1980s)", "(1980s edited)")
        seconds, count = build(book)
        table.write_text(before, encoding="utf-8")  # put back: the translation check below needs the data as translated
        rows.append(("book: rebuild after editing one table, milestones (s)", seconds))
        rows.append(("book: ... chapters it re-executed (its readers: concepts, data)", count))
        rows.append(
            (
                "book: PDF edition, single-page build and print (s)",
                timed([sys.executable, "-m", "infraclusters", "pdf", "--out", str(scratch / "book.pdf")], book),
            )
        )
        rerun = [sys.executable, "-m", "infraclusters", "run"]
        rows.append(
            (
                "run: one chapter, mechanisms (s)",
                timed([*rerun, "mechanisms", "--out", str(scratch / "rerun-one")], book),
            )
        )
        start = time.perf_counter()
        for name in ("concepts", "mechanisms", "comparison", "recommendations", "factcheck", "data", "case_template"):
            timed([*rerun, name, "--out", str(scratch / "rerun-all" / name)], book)
        rows.append(("run: every chapter, one after another (s; target 60)", time.perf_counter() - start))
        rows += time_own_cluster(scratch, book)
        edition = [sys.executable, "-m", "infraclusters", "edition", "zh_CN"]
        rows.append(("Chinese edition: cold build (s)", timed(edition, book)))
        rows.append(("Chinese edition: no-change rebuild (s)", timed(edition, book)))
        catalogues = [sys.executable, "-m", "infraclusters", "translations", "--check"]
        rows.append(("Chinese edition: translation check (s)", timed(catalogues, book, check=False)))
        largest = max((book / "_build" / "html").rglob("*.html"), key=lambda p: p.stat().st_size)
        rows.append(
            (
                f"book: largest page ({largest.relative_to(book / '_build' / 'html')}) (kB)",
                largest.stat().st_size / 1024,
            )
        )

        subprocess.run(
            [JUPYTER_BOOK, "create", str(scratch / "template")],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        template_cold = timed([JUPYTER_BOOK, "build", str(scratch / "template")], scratch)
        template_pages = executed_pages(scratch / "template") or 2
        rows.append(("template: cold build (s)", template_cold))
        rows.append(("template: cold build per executed page (s)", template_cold / template_pages))

    rows.append(
        (
            "tests: fast tier, python -m pytest -m unit (s)",
            timed([sys.executable, "-m", "pytest", "-q", "-m", "unit", "-p", "no:cacheprovider"], ROOT, check=False),
        )
    )
    rows.append(
        (
            "tests: python -m pytest (s)",
            timed([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], ROOT, check=False),
        )
    )
    if slow:
        command = [sys.executable, "-m", "pytest", "-q", "--slow", "-m", "slow", "-p", "no:cacheprovider"]
        rows.append(("tests: slow tier, python -m pytest --slow -m slow (s)", timed(command, ROOT, check=False)))
    probe = "import time; t = time.perf_counter(); import infraclusters; print(time.perf_counter() - t)"
    seconds = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout
    rows.append(("import infraclusters (s)", float(seconds)))

    width = max(len(name) for name, _ in rows)
    print(f"{'':<{width}}  {'measured':>10}  {'target':>8}")
    for name, value in rows:
        shown = f"{value:10.2f}" if isinstance(value, float) else f"{value:10d}"
        target = TARGETS.get(name)
        verdict = "" if target is None else f"  {target:>8}  {'met' if value <= target else 'MISSED'}"
        print(f"{name:<{width}}  {shown}{verdict}")
    values = dict(rows)
    ratio = values["book: cold build per executed chapter (s)"] / values["template: cold build per executed page (s)"]
    print(f"{'ratio: book per chapter / template per page':<{width}}  {ratio:10.2f}")


if __name__ == "__main__":
    main()
