"""Log staff out after a period of inactivity (SESSION_IDLE_SECONDS).

The last-seen time is written to the session at most once a minute (SESSION_TOUCH_SECONDS):
writing it on every request made every page view an UPDATE of the session row. The idle
timeout is therefore exact to within that minute."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

_LAST_SEEN = "caseworks_last_seen"


class IdleSessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(_LAST_SEEN)
            if last_seen is not None and now - int(last_seen) > settings.SESSION_IDLE_SECONDS:
                logout(request)
                request.session["caseworks_timed_out"] = True
            elif last_seen is None or now - int(last_seen) >= settings.SESSION_TOUCH_SECONDS:
                request.session[_LAST_SEEN] = now
        return self.get_response(request)
