"""Type aliases for formulas (OpenFisca itself is untyped)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from numpy.typing import NDArray

Array = NDArray[Any]
Parameters = Callable[[Any], Any]

# What a formula returns: arrays built from OpenFisca's (untyped) population calls.
FormulaResult = Any
