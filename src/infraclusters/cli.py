"""Command line: ``validate``, ``figures``, ``case``, ``pdf``, ``coverage``, ``edition``, ``translations``, ``wording``, ``new-cluster``, ``compare``, ``run``, ``verify`` and ``release``."""

from __future__ import annotations

import argparse
import subprocess
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infraclusters", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check every table against data/datapackage.json")
    check.add_argument("data_dir", nargs="?", default=None, help="data directory (default: the book's data/)")
    export = commands.add_parser("figures", help="export every figure with its data and citation")
    export.add_argument("--out", required=True, help="directory to write the files into")
    export.add_argument("--data-dir", default=None, help="data directory (default: the book's data/)")
    export.add_argument("--language", default=None, help="en or zh_CN (default: en)")
    case = commands.add_parser("case", help="render one cluster's case page (papermill + a one-page book)")
    case.add_argument("cluster", help="a cluster_id of clusters.csv")
    case.add_argument("--data-dir", default=None, help="data directory holding the cluster (default: the book's data/)")
    case.add_argument("--out", required=True, help="directory for the notebook, the HTML page and the figures")
    case.add_argument("--language", default=None, help="en (default) or zh_CN")
    rerun = commands.add_parser("run", help="re-execute one chapter: its executed notebook and its figures")
    rerun.add_argument("chapter", nargs="?", help="a chapter as in the table of contents (mechanisms) or its path")
    rerun.add_argument("--list", action="store_true", help="list the chapters, their parameters and defaults")
    rerun.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="set a parameter")
    rerun.add_argument("--language", default=None, help="en (default) or zh_CN")
    rerun.add_argument("--out", default=None, help="directory for the executed notebook and the figures")
    versus = commands.add_parser("compare", help="render the comparison chapter with your clusters beside the book's")
    versus.add_argument("--data-dir", required=True, help="your data directory (see new-cluster)")
    versus.add_argument("--out", required=True, help="directory for the notebook, the HTML page and the figures")
    versus.add_argument("--language", default=None, help="en (default) or zh_CN")
    printed = commands.add_parser("pdf", help="build the PDF edition (single-page HTML printed by Chromium)")
    printed.add_argument("--out", default=None, help="PDF path (default: _build/pdf/infraclusters.pdf)")
    printed.add_argument("--language", default=None, help="en (default) or zh_CN: the Chinese edition")
    cover = commands.add_parser("coverage", help="report which claims of the paper the book reproduces")
    cover.add_argument("--strict", action="store_true", help="exit 1 if any claim is supported nowhere")
    edition = commands.add_parser("edition", help="build one edition: en (_build/html) or zh_CN (_build/html/zh_CN)")
    edition.add_argument("language", choices=["en", "zh_CN"])
    edition.add_argument("--strict", action="store_true", help="as CI: warnings are errors, all listed")
    translate = commands.add_parser("translations", help="update the Chinese catalogues, or check them")
    mode = translate.add_mutually_exclusive_group(required=True)
    mode.add_argument("--update", action="store_true", help="merge new and changed messages into locales/")
    mode.add_argument("--check", action="store_true", help="exit 1 listing every missing or stale translation")
    mode.add_argument("--lint", nargs="+", metavar="PO", help="check catalogue files alone (syntax, roles, links)")
    start = commands.add_parser(
        "new-cluster", help="write a starter data directory for a cluster of your own, over the book's tables"
    )
    start.add_argument("cluster", help="the new cluster's id (lowercase letters, digits, underscores)")
    start.add_argument("directory", help="a new or empty folder")
    words = commands.add_parser(
        "wording", help="check one English name per glossary term, and the Chinese edition's house rules"
    )
    words.add_argument("--site", default=None, help="also check the built Chinese pages in this directory")
    publish = commands.add_parser(
        "release", help="write a release: source archive, both sites, both PDFs, data zip, checksums, Zenodo metadata"
    )
    publish.add_argument("--out", required=True, help="a new or empty folder")
    publish.add_argument("--no-build", action="store_true", help="use the sites already built in _build/html")
    publish.add_argument("--no-pdf", action="store_true", help="leave out the PDF editions")
    publish.add_argument(
        "--no-record",
        action="store_true",
        help="do not write releases/<version>.json (what each figure is at this release) into the source tree",
    )
    check_figures = commands.add_parser(
        "verify", help="tell whether downloaded figure files still match what today's sources draw"
    )
    check_figures.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="PNG, SVG, CSV, Vega-Lite JSON, .docx or .pptx files of the book's figures, or a figure's id "
        "(fig-…@0.1.0+1a2b3c4)",
    )
    check_figures.add_argument(
        "--id",
        dest="figure_id",
        default=None,
        metavar="ID",
        help="for a copy whose metadata was stripped: the id its footer prints, to compare its picture with",
    )
    check_figures.add_argument(
        "--data-dir", default=None, help="the data the figures were drawn from (default: the book's)"
    )
    args = parser.parse_args(argv)

    if args.command == "edition":
        from .book import editions

        print(editions.build(args.language, strict=args.strict))
        return 0

    if args.command == "translations":
        from .book import translations as editions

        if args.lint:
            problems = [problem for path in args.lint for problem in editions.lint_catalogue(path)]
            print("\n".join(problems) or "no problems", file=sys.stderr if problems else sys.stdout)
            return 1 if problems else 0
        if args.update:
            for path in editions.update_translations():
                print(path)
            return 0
        problems = editions.check_translations()
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print(
                f"{len(problems)} translations missing or stale; run `python -m infraclusters translations "
                "--update`, then translate the listed messages in locales/zh_CN/LC_MESSAGES/",
                file=sys.stderr,
            )
            return 1
        print("every message has a current translation")
        return 0

    from pathlib import Path

    from .book.editions import book_root
    from .edition import Edition
    from .model import Compendium, DataValidationError, UnknownClusterError

    root = book_root()  # the current directory's book, or the installed checkout

    def data_path(given) -> Path:
        """The data directory a command names, else the book's."""
        return Path(given) if given else root / "data"

    if args.command == "new-cluster":
        from .model import starter

        try:
            written = starter.write(args.cluster, Path(args.directory), root)
        except (ValueError, OSError) as exc:
            print(f"new-cluster: {exc}", file=sys.stderr)
            return 2
        for path in written:
            print(path)
        print(
            f"Fill the tables (the commented # row shows each one), then: python -m infraclusters validate "
            f"{args.directory}; python -m infraclusters case {args.cluster} --data-dir {args.directory} --out PAGE"
        )
        return 0

    if args.command == "wording":
        from .book import wording

        findings = wording.english_terms(root, Compendium(root / "data", root).table("glossary"))
        findings += wording.chinese_line_breaks(root) + wording.chinese_catalogues(root)
        if args.site:
            findings += wording.chinese_site(Path(args.site))
        for finding in findings:
            print(finding, file=sys.stderr)
        print(f"{len(findings)} wording problems" if findings else "wording: no problems")
        return 1 if findings else 0

    if args.command == "verify":
        from .figures import verify

        try:
            c = Compendium.open(data_path(args.data_dir), root)
        except DataValidationError as exc:
            print(exc, file=sys.stderr)
            return 2
        findings = verify.verify([Path(f) for f in args.files], c, root, args.figure_id)
        for finding in findings:
            print(finding)
        return verify.exit_status(findings)

    def written(make, *errors) -> int:
        """Run a command that writes files (``case``, ``run``, ``compare``): list them, or say what stopped it."""
        try:
            paths = make()
        except (UnknownClusterError, DataValidationError, OSError, ValueError, *errors) as exc:
            print(exc, file=sys.stderr)
            return 1
        except subprocess.CalledProcessError as exc:
            print(
                f"{Path(exc.cmd[0]).name} stopped with exit {exc.returncode}; nothing was moved into --out",
                file=sys.stderr,
            )
            return 1
        for what, path in paths.items():
            print(f"{what}: {path}")
        return 0

    if args.command == "release":
        from .book import release

        return written(
            lambda: release.release(
                Path(args.out), root, build=not args.no_build, pdf=not args.no_pdf, record=not args.no_record
            )
        )

    if args.command == "validate":
        try:
            print(Compendium.open(data_path(args.data_dir), root).summary)
        except (DataValidationError, FileNotFoundError) as exc:
            print(exc, file=sys.stderr)
            return 1
        return 0

    if args.command == "case":
        from .book import render

        return written(
            lambda: render.render(args.cluster, args.out, data_path(args.data_dir), args.language, root=root)
        )

    if args.command == "run":
        from .book import run

        if args.list:
            print(run.listing(root))
            return 0
        if not args.chapter or not args.out:
            print("run: name a chapter and --out DIR (run --list shows the chapters)", file=sys.stderr)
            return 2

        def rerun():
            chapter = run.find(args.chapter, root)
            return run.run(chapter.name, args.out, run.parse_values(args.param, chapter), args.language, root)

        return written(rerun, run.UnknownChapterError)

    if args.command == "compare":
        from .book import render

        return written(lambda: render.compare(args.out, data_path(args.data_dir), args.language, root=root))

    if args.command == "pdf":
        from .book import pdf

        try:
            print(pdf.build_pdf(Path(args.out) if args.out else None, language=args.language))
        except (FileNotFoundError, OSError) as exc:
            print(exc, file=sys.stderr)
            return 1
        return 0

    if args.command == "coverage":
        from . import figures
        from .model import claims

        c = Compendium.open(data_path(None), root)
        unknown = claims.unknown_claims(c, figures.figure_claims())
        print(claims.report(c, figures.figure_claims()))
        if unknown:
            print("unknown claim ids cited:\n  " + "\n  ".join(unknown), file=sys.stderr)
            return 1
        uncovered = not claims.ledger(c, figures.figure_claims())["covered"].all()
        return 1 if args.strict and uncovered else 0

    from . import figures
    from .book import outputs

    try:
        c = Compendium.open(data_path(args.data_dir), root)
        outputs.check_figures_out(Path(args.out), root)  # the book's own folders, a reader's files: untouched
        edition = Edition(args.language, root=root)  # this book's catalogues, linted before they are read
        if not edition.is_english:
            from .book.translations import active_translations

            lint = active_translations([root / "locales"], edition.language)
            if lint:
                raise ValueError("translations that would not stay text:\n  " + "\n  ".join(lint))
        with outputs.exclusive(Path(args.out), "figures"):
            from .book.numbering import figure_numbers

            numbers = {} if c.is_layered else figure_numbers(root)  # a reader's figures have no place in the book
            written = figures.export_all(args.out, c, edition, numbers=numbers)
            outputs.record_figures_out(Path(args.out), written)
    except (DataValidationError, OSError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"wrote {len(written)} files for {len(figures.figure_ids(c))} figures to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
