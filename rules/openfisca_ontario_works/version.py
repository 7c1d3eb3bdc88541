"""Rules package version (semver), reported in every result as ``rules_version``.

Keep equal to ``version`` in rules/pyproject.toml (a test checks it).
"""

from __future__ import annotations

RULES_VERSION = "1.1.0"
