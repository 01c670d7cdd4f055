"""Imports point ui → app → db only; app/domain stays free of Qt and SQLAlchemy."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


RULES = {
    "db": ("app", "ui", "PySide6"),
    "app": ("ui", "PySide6.QtWidgets", "PySide6.QtGui"),
    "app/domain": ("PySide6", "sqlalchemy", "db"),
    "ui": ("db",),
}


@pytest.mark.parametrize("package", RULES)
def test_layer_rules(package):
    forbidden = RULES[package]
    offenders = []
    for path in files(package):
        for module in imported_modules(path):
            if any(module == f or module.startswith(f + ".") for f in forbidden):
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []


def test_rule_checker_sees_imports(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("import db.models\nfrom ui.icons import icon\n", encoding="utf-8")
    assert imported_modules(sample) == {"db.models", "ui.icons"}
