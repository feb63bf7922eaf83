"""The app's start-up import path stays light: no scipy.stats (slow to import, ~0.5 s cold)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _app_import_lines() -> list[str]:
    """Every import statement in app.py and the pages, as source lines."""
    lines: set[str] = set()
    for script in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]:
        for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                lines.add(ast.unparse(node))
    return sorted(lines)


def test_app_imports_do_not_load_scipy_stats() -> None:
    lines = _app_import_lines()
    assert "from jsna.ui import state, widgets" in lines
    code = "\n".join(
        [
            *lines,
            "import sys",
            "print(sorted(m for m in sys.modules if m.startswith('scipy.stats')))",
        ]
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert proc.stdout.strip().splitlines()[-1] == "[]", proc.stdout
