"""Intake and application pages: screening, appointments, the application and its checklist.

Every page loads records through the partner-scoped selectors (404 for another partner's),
checks the role's capability first (403), and logs each view of a client file.

One module per part of intake; `urls.py` reaches the views through this package.
"""

from .application import edit, member_create, start, start_for_case
from .appointments import appointment_book_view, appointment_detail, calendar
from .checklist import verification
from .intake import (
    inquiry_create,
    inquiry_detail,
    inquiry_link,
    inquiry_list,
    inquiry_register,
)

__all__ = [
    "appointment_book_view",
    "appointment_detail",
    "calendar",
    "edit",
    "inquiry_create",
    "inquiry_detail",
    "inquiry_link",
    "inquiry_list",
    "inquiry_register",
    "member_create",
    "start",
    "start_for_case",
    "verification",
]
