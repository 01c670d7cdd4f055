"""网检通 — composition root.

``python main.py`` opens the window; ``python main.py SUBCOMMAND …`` runs the command line.
"""

from __future__ import annotations

import sys

from app.cli import build_parser, run_cli
from app.paths import default_db_path
from app.services.registry import Registry


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="自检：在临时文件夹中新建数据库，载入演示数据、录入检查结果、生成通报，逐步报告结果",
    )
    args = parser.parse_args(argv)
    if args.self_test:
        return self_test()
    db_path = args.db or default_db_path()
    if args.command:
        return run_cli(args, db_path)
    from ui.application import run_gui  # Qt widgets only when the window is wanted

    return run_gui(db_path)


def self_test() -> int:
    """``--self-test``: the services' steps, then the main window (see app/self_test.py)."""
    from app.self_test import run_self_test

    def window(registry: Registry) -> str:
        from ui.self_test import window_check

        return window_check(registry)

    return run_self_test([("主窗口", window)])


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # e.g. `main.py stats … | head`: the reader left, nothing to report
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
