"""The project's own size rule (issue 14, acceptance 2; docs/coding-style.md): no Python file
over 600 lines outside migrations and tests. A file that grows past it holds several
sub-domains: split it into a package or a module per sub-domain, as payments/services is."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 600
SOURCES = ("caseworks", "config", "rules", "bench", "tools")


def _counted(path: Path, root: Path) -> bool:
    parts = set(path.relative_to(root).parts)
    return not ({"migrations", "tests", "node_modules", ".venv"} & parts) and not (
        path.name.startswith("test_") or path.name == "conftest.py"
    )


def python_files_over(limit: int, root: Path = ROOT) -> dict[str, int]:
    over = {}
    for top in SOURCES:
        for path in sorted((root / top).rglob("*.py")):
            if _counted(path, root):
                lines = len(path.read_text(encoding="utf-8").splitlines())
                if lines > limit:
                    over[str(path.relative_to(root))] = lines
    return over


def test_no_python_file_over_600_lines_outside_migrations_and_tests() -> None:
    assert python_files_over(LIMIT) == {}


def test_the_size_rule_sees_a_long_file(tmp_path: Path) -> None:
    module = tmp_path / "caseworks" / "someapp" / "services.py"
    module.parent.mkdir(parents=True)
    module.write_text("x = 1\n" * (LIMIT + 1), encoding="utf-8")
    (tmp_path / "caseworks" / "someapp" / "migrations").mkdir()
    (tmp_path / "caseworks" / "someapp" / "migrations" / "0001_initial.py").write_text(
        "x = 1\n" * (LIMIT + 1), encoding="utf-8"
    )
    assert python_files_over(LIMIT, tmp_path) == {"caseworks/someapp/services.py": LIMIT + 1}
