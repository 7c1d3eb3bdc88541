"""Sign-in lockout per account and per address (django-axes handler).

django-axes has one failure limit for all its lockout parameters, and with `"ip_address"` among
AXES_LOCKOUT_PARAMETERS a successful sign-in from that address would erase every failure of the
address (AXES_RESET_ON_SUCCESS), so an attacker holding one account could keep the address
counter at zero. This handler keeps axes' own lock of the (username, address) pair at
AXES_FAILURE_LIMIT and adds a second, higher limit for the address across all usernames
(LOGIN_ADDRESS_FAILURE_LIMIT: an office behind one public address must not be locked out by a
few typing mistakes), counted over the same cool-off window. A success resets only the pair's
failures: failures against other usernames from that address keep counting.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class AddressAndAccountLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        pair_failures: int = super().get_failures(request, credentials)
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        address_failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
        # axes compares one number with one limit: scale the address count so that it reaches
        # the pair limit exactly when it reaches the address limit (f * L // M >= L iff f >= M).
        pair_limit = get_failure_limit(request, credentials)
        scaled = address_failures * pair_limit // settings.LOGIN_ADDRESS_FAILURE_LIMIT
        return max(pair_failures, scaled)
