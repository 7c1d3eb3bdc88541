"""Cases paid interim assistance while an appeal is pending at the Social Benefits Tribunal.

Appeals live in `reviews`, which sits above `payments` in the app order (an appeal that fails
records an overpayment through the payments services; payments never imports reviews). The
reviews app registers where these cases come from when it loads (`ReviewsConfig.ready`); the
payment run asks here.
"""

from __future__ import annotations

from typing import Protocol


class InterimAssistanceSource(Protocol):
    def __call__(self, *, delivery_partner_id: int) -> set[int]: ...


_SOURCES: list[InterimAssistanceSource] = []


def interim_assistance_source_register(source: InterimAssistanceSource) -> None:
    """Called once per source when its app loads (registering twice changes nothing)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def interim_assistance_case_ids(partner_id: int) -> set[int]:
    """Cases of the partner with an appeal pending at the Tribunal and interim assistance
    ordered."""
    ids: set[int] = set()
    for source in _SOURCES:
        ids |= source(delivery_partner_id=partner_id)
    return ids
