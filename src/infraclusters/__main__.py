"""Command line: ``python -m infraclusters validate [DATA_DIR]`` and ``figures --out DIR``."""

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
    args = parser.parse_args(argv)

    from . import data

    if args.command == "validate":
        try:
            print(data.validate(args.data_dir))
        except (data.DataValidationError, FileNotFoundError) as exc:
            print(exc, file=sys.stderr)
            return 1
        return 0

    from . import figures

    try:
        written = figures.export_all(args.out, args.data_dir)
    except (data.DataValidationError, FileNotFoundError) as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"wrote {len(written)} files for {len(figures.FIGURES)} figures to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
