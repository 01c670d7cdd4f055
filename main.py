"""网检通 — composition root.

``python main.py`` opens the window; ``python main.py SUBCOMMAND …`` runs the command line.
"""

from __future__ import annotations

import sys

from app.cli import build_parser, run_cli
from app.paths import default_db_path


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    db_path = args.db or default_db_path()
    if args.command:
        return run_cli(args, db_path)
    from ui.application import run_gui  # Qt widgets only when the window is wanted

    return run_gui(db_path)


if __name__ == "__main__":
    sys.exit(main())
