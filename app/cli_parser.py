"""argparse in Chinese: usage, section titles, help flag and the common error messages."""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

_ERRORS = (
    (re.compile(r"the following arguments are required: (.+)"), r"缺少必填参数：\1"),
    (
        re.compile(r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)"),
        r"参数 \1 的取值 \2 无效，可选：\3",
    ),
    (re.compile(r"argument (\S+): expected one argument"), r"参数 \1 需要一个值"),
    (re.compile(r"argument (\S+): expected (\d+) arguments"), r"参数 \1 需要 \2 个值"),
    (re.compile(r"unrecognized arguments: (.+)"), r"无法识别的参数：\1"),
    (re.compile(r"argument (\S+): invalid (\w+) value: (.+)"), r"参数 \1 的值 \3 无效"),
)


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:  # noqa: ANN001
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """ArgumentParser whose help and errors read in Chinese; sub-parsers inherit it."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示帮助并退出")

    def error(self, message: str) -> NoReturn:
        for pattern, replacement in _ERRORS:
            message = pattern.sub(replacement, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"错误：{message}\n（运行 python main.py --help 查看用法）\n")
