"""Command line: ``validate [DATA_DIR]``, ``figures --out DIR``, ``case CLUSTER --out DIR`` and ``coverage``."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infraclusters", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check every table against data/datapackage.json")
    check.add_argument("data_dir", nargs="?", default=None, help="data directory (default: the book's data/)")
    export = commands.add_parser("figures", help="export every figure with its data and citation")
    export.add_argument("--out", required=True, help="directory to write the files into")
    export.add_argument("--data-dir", default=None, help="data directory (default: the book's data/)")
    case = commands.add_parser("case", help="render one cluster's case page (papermill + a one-page book)")
    case.add_argument("cluster", help="a cluster_id of clusters.csv")
    case.add_argument("--data-dir", default=None, help="data directory holding the cluster (default: the book's data/)")
    case.add_argument("--out", required=True, help="directory for the notebook, the HTML page and the figures")
    printed = commands.add_parser("pdf", help="build the PDF edition (single-page HTML printed by Chromium)")
    printed.add_argument("--out", default=None, help="PDF path (default: _build/pdf/infraclusters.pdf)")
    cover = commands.add_parser("coverage", help="report which claims of the paper the book reproduces")
    cover.add_argument("--strict", action="store_true", help="exit 1 if any claim is supported nowhere")
    args = parser.parse_args(argv)

    from . import data

    if args.command == "validate":
        try:
            print(data.validate(args.data_dir))
        except (data.DataValidationError, FileNotFoundError) as exc:
            print(exc, file=sys.stderr)
            return 1
        return 0

    if args.command == "case":
        from . import cases, render

        try:
            written = render.render(args.cluster, args.out, args.data_dir)
        except (cases.UnknownClusterError, data.DataValidationError, OSError) as exc:
            print(exc, file=sys.stderr)
            return 1
        for what, path in written.items():
            print(f"{what}: {path}")
        return 0

    if args.command == "pdf":
        from pathlib import Path

        from . import pdf

        try:
            print(pdf.build_pdf(Path(args.out) if args.out else None))
        except (FileNotFoundError, OSError) as exc:
            print(exc, file=sys.stderr)
            return 1
        return 0

    if args.command == "coverage":
        from . import coverage

        known = set(data.load_table("claims")["claim_id"])
        unknown = coverage.unknown_claims(known)
        print(coverage.report())
        if unknown:
            print("unknown claim ids cited:\n  " + "\n  ".join(unknown), file=sys.stderr)
            return 1
        uncovered = not coverage.ledger()["covered"].all()
        return 1 if args.strict and uncovered else 0

    from . import figures

    try:
        written = figures.export_all(args.out, args.data_dir)
    except (data.DataValidationError, OSError) as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"wrote {len(written)} files for {len(figures.figure_ids(args.data_dir))} figures to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
