"""tools/custom_check.py: the repository passes, and each rule catches a bad sample."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "custom_check.py"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(TOOL), *args], capture_output=True, text=True, check=False
    )


def _sample(tmp_path: Path, relative: str, source: str) -> Path:
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)
    return path


def test_custom_check_passes_when_run_over_the_repository() -> None:
    result = _run("--root", str(ROOT))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no problems" in result.stdout


@pytest.mark.parametrize(
    ("relative", "source", "rule"),
    [
        (
            "caseworks/clients/views.py",
            "def show(request, pk):\n    return Person.objects.get(pk=pk)\n",
            "no-direct-get-in-views",
        ),
        (
            "caseworks/cases/api.py",
            "def one(request, pk):\n    return BenefitUnit.objects.get(pk=pk)\n",
            "no-direct-get-in-views",
        ),
        (
            "caseworks/cases/selectors.py",
            "import datetime\n\nTODAY = datetime.date.today()\n",
            "no-naive-now",
        ),
        (
            "caseworks/core/jobs.py",
            "from datetime import datetime\n\nSTAMP = datetime.now()\n",
            "no-naive-now",
        ),
        (
            "caseworks/payments/services.py",
            "def total(cents):\n    return float(cents) / 100\n",
            "no-float-money",
        ),
        (
            "caseworks/eligibility/situation.py",
            "def dollars(x):\n    return round(float(x), 2)\n",
            "no-float-money",
        ),
        (
            "caseworks/cases/services.py",
            "def case_update(*, case, status):\n    case.status = status\n    case.save()\n",
            "save-needs-update-fields",
        ),
        (
            # A module of a services package (employment/services/referrals.py) is covered too.
            "caseworks/employment/services/referrals.py",
            "def referral_touch(*, referral):\n    referral.save()\n",
            "save-needs-update-fields",
        ),
        (
            "caseworks/surveys/services.py",
            "def answer(kind):  # noqa: PLR0911, PLR0912\n    return kind\n",
            "complexity-noqa-needs-reason",
        ),
        (
            "caseworks/cases/views.py",
            "def page(request):  # noqa: C901  #\n    return request\n",
            "complexity-noqa-needs-reason",
        ),
        (
            "caseworks/cases/services.py",
            "def note_create(*, acting_user: Any, body):\n    return body\n",
            "acting-user-typed",
        ),
        # The rules package is checked too, for this rule.
        (
            "rules/openfisca_ontario_works/validation.py",
            "def parse_unit(raw):  # noqa: PLR0912, PLR0915\n    return raw\n",
            "complexity-noqa-needs-reason",
        ),
    ],
)
def test_custom_check_fails_when_a_rule_is_broken(
    tmp_path: Path, relative: str, source: str, rule: str
) -> None:
    _sample(tmp_path, relative, source)
    result = _run("--root", str(tmp_path))
    assert result.returncode == 1
    assert f"[{rule}]" in result.stdout
    assert relative in result.stdout


@pytest.mark.parametrize(
    ("relative", "source"),
    [
        # Selectors may use .objects.get; only views and APIs may not.
        ("caseworks/clients/selectors.py", "def one(pk):\n    return Person.objects.get(pk=pk)\n"),
        ("caseworks/core/clock.py", "from django.utils import timezone\n\nNOW = timezone.now()\n"),
        # float outside money code, and an explained exemption inside it.
        ("caseworks/reporting/charts.py", "def ratio(a, b):\n    return float(a) / b\n"),
        (
            "caseworks/eligibility/situation.py",
            "def f(x):\n    return float(x)  # custom-check: allow no-float-money (float32 in)\n",
        ),
        # A create, a locked row, and update_fields are all fine.
        (
            "caseworks/cases/services.py",
            "def note_create(*, body):\n    note = CaseNote(body=body)\n    note.save()\n"
            "\n\ndef task_close(*, task):\n"
            "    locked = Task.objects.select_for_update().get(pk=task.pk)\n    locked.save()\n"
            "\n\ndef case_touch(*, case):\n    case.save(update_fields=['modified_at'])\n",
        ),
        # Tests and migrations are not checked.
        (
            "caseworks/clients/tests/test_views.py",
            "import datetime\n\nX = datetime.datetime.now()\n",
        ),
        (
            "caseworks/surveys/services.py",
            "def answer(kind):  # noqa: PLR0911, PLR0912 (one branch per kind)\n    return kind\n",
        ),
        (
            "caseworks/cases/services.py",
            "def case_create(*, a, b):  # noqa: PLR0913\n    return a\n",
        ),
        # The Django rules do not apply to the rules package (it has no Django).
        ("rules/openfisca_ontario_works/cli.py", "import datetime\n\nX = datetime.date.today()\n"),
    ],
)
def test_custom_check_passes_when_code_follows_the_rules(
    tmp_path: Path, relative: str, source: str
) -> None:
    _sample(tmp_path, relative, source)
    result = _run("--root", str(tmp_path))
    assert result.returncode == 0, result.stdout


def test_custom_check_refuses_exemption_when_rule_is_security(tmp_path: Path) -> None:
    _sample(
        tmp_path,
        "caseworks/clients/views.py",
        "def show(request, pk):\n"
        "    return Person.objects.get(pk=pk)  # custom-check: allow no-direct-get-in-views\n",
    )
    result = _run("--root", str(tmp_path))
    assert result.returncode == 1
    assert "[no-direct-get-in-views]" in result.stdout
