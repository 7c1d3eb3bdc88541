"""Response headers Django has no setting for, and the request size limit."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse


class PermissionsPolicyMiddleware:
    """`Permissions-Policy: <settings.PERMISSIONS_POLICY>` on every response: no page of
    Caseworks uses the camera, the microphone, the location or the Payment Request API, so an
    injected script or a framed page cannot ask for them either."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy: str = settings.PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response


class RequestSizeLimitMiddleware:
    """A request body larger than `settings.MAX_REQUEST_BYTES` (by its Content-Length) is
    answered 413 before anything reads it, in both languages (the page's language is not known
    yet): the API's JSON error shape under /api/, plain text elsewhere. Without it Django raises
    `RequestDataTooBig` when a view reads the body, which the API turned into a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.limit: int = settings.MAX_REQUEST_BYTES

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.limit:
            return self._too_large(request)
        return self.get_response(request)

    def _too_large(self, request: HttpRequest) -> HttpResponse:
        mb = self.limit // (1024 * 1024)
        message = (
            f"The request is too large: at most {mb} MB. "
            f"/ La requête est trop volumineuse : au plus {mb} Mo."
        )
        if request.path.startswith("/api/"):
            body = {"detail": [{"field": None, "message": message, "code": "request_too_large"}]}
            return JsonResponse(body, status=413)
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
