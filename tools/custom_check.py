#!/usr/bin/env python3
"""Project rules that ruff and mypy cannot check (after Zulip's tools/linter_lib/custom_check.py).

Usage: python tools/custom_check.py [--root DIR] [FILE ...]
Checks every Python file under DIR/caseworks and DIR/rules (or the files given) and exits 1 if
any rule is broken, printing `path:line: [rule] message` for each. Tests and migrations are not
checked.

Rules (keep this list in step with docs/coding-style.md):

  no-direct-get-in-views   `Person.objects.get` / `BenefitUnit.objects.get` in views.py or api.py.
                           Load client and case records through the permission-checked
                           selectors (person_get_for_user, benefit_unit_get_for_user), which scope
                           to the user's delivery partner. No exemption.
  no-naive-now             `datetime.now(`, `datetime.utcnow(` or `date.today(` anywhere in
                           caseworks/. Use django.utils.timezone.now() / timezone.localdate(), so
                           that dates are Ontario dates and tests can freeze time.
  no-float-money           bare `float(` in caseworks/payments/ or caseworks/eligibility/. Money is
                           integer cents or Decimal (caseworks/core/money.py).
  save-needs-update-fields `.save()` without update_fields in a services.py module. Saving a
                           whole row read earlier can silently overwrite a concurrent change.
                           Allowed when the object was built in the same function
                           (`obj = Model(...)`: a create), or read there with
                           `select_for_update()` / a `_lock…()` helper (the row is locked until
                           commit), or in a save helper that also calls
                           `save(update_fields=…)` (its callers pass the fields for updates).

  acting-user-typed        `acting_user: Any` in caseworks/. The acting staff member is an
                           `accounts.models.User` (below accounts: `core.actors.StaffActor`),
                           so that mypy checks what a service reads of them. No exemption.
  complexity-noqa-needs-reason
                           a `# noqa` that switches off a complexity check (C901, PLR0911,
                           PLR0912, PLR0915, …) without saying why after the codes, e.g.
                           `# noqa: PLR0912 (one branch per question kind)`. Split the function,
                           or explain why it reads better whole. No exemption. The only rule
                           that also covers the rules package (rules/).

A line may opt out of `no-float-money` or `save-needs-update-fields` (never the others) with a
comment that names the rule and gives the reason, e.g.
`x = float(raw)  # custom-check: allow no-float-money (OpenFisca returns float32; rounded next)`.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXEMPTABLE = {"no-float-money", "save-needs-update-fields"}
_ALLOW = re.compile(r"#\s*custom-check:\s*allow\s+([a-z-]+)")
_DIRECT_GET = re.compile(r"\b(Person|BenefitUnit)\.objects\.get\(")
_NAIVE_NOW = re.compile(r"\b(datetime\.(now|utcnow)|date\.today)\(")
_FLOAT = re.compile(r"(?<![\w.])float\(")
_ACTING_USER_ANY = re.compile(r"\bacting_user:\s*Any\b")
_NOQA = re.compile(r"#\s*noqa:\s*([A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)(.*)$")
# Complexity checks (PLR0913, many arguments, is ignored project-wide: not one of them here).
_COMPLEXITY = frozenset(
    {"C901", "PLR0904", "PLR0911", "PLR0912", "PLR0914", "PLR0915", "PLR0916", "PLR0917", "PLR1702"}
)


@dataclass(frozen=True)
class Violation:
    path: Path
    line: int
    rule: str
    message: str

    def format(self, root: Path) -> str:
        try:
            shown = self.path.relative_to(root)
        except ValueError:
            shown = self.path
        return f"{shown}:{self.line}: [{self.rule}] {self.message}"


def _skipped(path: Path) -> bool:
    parts = set(path.parts)
    return "tests" in parts or "migrations" in parts or path.name.startswith("test_")


def _is_view_or_api(path: Path) -> bool:
    return path.name in {"views.py", "api.py"} or bool({"views", "api"} & set(path.parent.parts))


def _is_money_code(path: Path) -> bool:
    parts = path.parts
    return "caseworks" in parts and bool({"payments", "eligibility"} & set(parts))


def _is_services(path: Path) -> bool:
    return path.name == "services.py" or path.parent.name == "services"


def _strip_comment(line: str) -> str:
    """The code part of a line (good enough: our code keeps '#' out of string literals)."""
    return line.split("#", 1)[0]


def _allowed(line: str, rule: str) -> bool:
    match = _ALLOW.search(line)
    return bool(match) and match.group(1) == rule and rule in EXEMPTABLE


def _line_rules(path: Path, lines: list[str]) -> Iterator[Violation]:
    django = "caseworks" in path.parts  # the rules package (rules/) has only the complexity rule
    view_or_api = django and _is_view_or_api(path)
    money = _is_money_code(path)
    for number, raw in enumerate(lines, start=1):
        code = _strip_comment(raw)
        if view_or_api and _DIRECT_GET.search(code):
            yield Violation(
                path,
                number,
                "no-direct-get-in-views",
                "load people and cases with the *_get_for_user selectors, not .objects.get",
            )
        if django and _NAIVE_NOW.search(code):
            yield Violation(
                path,
                number,
                "no-naive-now",
                "use django.utils.timezone.now() or timezone.localdate()",
            )
        if django and _ACTING_USER_ANY.search(code):
            yield Violation(
                path,
                number,
                "acting-user-typed",
                "type the acting user: acting_user: User (below accounts: StaffActor)",
            )
        if _complexity_noqa_without_reason(raw):
            yield Violation(
                path,
                number,
                "complexity-noqa-needs-reason",
                "say why the complexity check is off after the codes, or split the function",
            )
        if money and _FLOAT.search(code) and not _allowed(raw, "no-float-money"):
            yield Violation(
                path, number, "no-float-money", "money is integer cents or Decimal, never float"
            )


def _complexity_noqa_without_reason(line: str) -> bool:
    match = _NOQA.search(line)
    if not match:
        return False
    codes = [code.strip() for code in match.group(1).split(",")]
    reason = match.group(2).strip(" #()")
    return bool(_COMPLEXITY.intersection(codes)) and not reason


class _SaveVisitor(ast.NodeVisitor):
    """Finds `x.save()` without update_fields where `x` was not built in the same function."""

    def __init__(self) -> None:
        self.found: list[tuple[int, str]] = []

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._function(node)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        built: set[str] = set()
        for child in ast.walk(node):
            if (
                isinstance(child, ast.Assign)
                and isinstance(child.value, ast.Call)
                and (_called_class(child.value) or _locks_row(child.value))
            ):
                built.update(t.id for t in child.targets if isinstance(t, ast.Name))
        if _has_save_with_update_fields(node):
            return  # a save helper whose caller chooses the fields (None only for creates)
        for child in ast.walk(node):
            if not (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Attribute)
                and child.func.attr == "save"
            ):
                continue
            if any(k.arg == "update_fields" for k in child.keywords):
                continue
            target = child.func.value
            name = target.id if isinstance(target, ast.Name) else ast.unparse(target)
            if name in built:
                continue  # a new object: a create
            self.found.append((child.lineno, name))


def _locks_row(call: ast.Call) -> bool:
    """`X.objects.select_for_update().get(...)` or a `_lock...(...)` helper: the row is locked
    for the rest of the transaction, so a full save cannot overwrite a concurrent change."""
    text = ast.unparse(call)
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    return "select_for_update(" in text or name.startswith("_lock")


def _has_save_with_update_fields(node: ast.AST) -> bool:
    return any(
        isinstance(child, ast.Call)
        and isinstance(child.func, ast.Attribute)
        and child.func.attr == "save"
        and any(k.arg == "update_fields" for k in child.keywords)
        for child in ast.walk(node)
    )


def _called_class(call: ast.Call) -> bool:
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    return bool(name) and name[0].isupper()


def _save_rules(path: Path, source: str, lines: list[str]) -> Iterator[Violation]:
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as exc:
        yield Violation(path, exc.lineno or 1, "syntax", str(exc.msg))
        return
    visitor = _SaveVisitor()
    visitor.visit(tree)
    for line, name in visitor.found:
        if _allowed(lines[line - 1], "save-needs-update-fields"):
            continue
        yield Violation(
            path,
            line,
            "save-needs-update-fields",
            f"{name}.save() rewrites every column: pass update_fields=[...]",
        )


def check_file(path: Path) -> list[Violation]:
    if _skipped(path):
        return []
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = list(_line_rules(path, lines))
    if _is_services(path):
        found.extend(_save_rules(path, source, lines))
    return found


def python_files(root: Path) -> Iterable[Path]:
    return sorted([*(root / "caseworks").rglob("*.py"), *(root / "rules").rglob("*.py")])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root")
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    files = [f.resolve() for f in args.files] if args.files else list(python_files(root))
    violations = [v for f in files for v in check_file(f)]
    for violation in violations:
        print(violation.format(root))
    if violations:
        print(f"custom_check: {len(violations)} problem(s) in {len(files)} files", file=sys.stderr)
        return 1
    print(f"custom_check: {len(files)} files, no problems")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
