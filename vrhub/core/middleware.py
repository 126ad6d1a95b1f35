import contextlib
import errno
import logging
import os

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from vrhub.core.exceptions import NotFound

logger = logging.getLogger(__name__)
ANONYMOUS_POST_MAX_BYTES = 64 * 1024


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header (pages load scripts and styles only from us)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class NotFoundMiddleware:
    """Answers ``NotFound`` from a selector or service with the 404 page, as if the view had raised Http404:
    selectors know nothing of HTTP, and this is where their "not there for you" becomes a status code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404(str(exception)) from exception
        return None


class UploadSpaceMiddleware:
    """Answers an upload that the server has no room to receive with a clear 507 page, not a 500, and
    refuses, before reading it, an upload from someone not signed in or a body over the request limit.

    Django writes large uploads to a temporary file while it parses the request body (first touched by
    the CSRF check); on a full disk that raises OSError there, before any view can answer.
    """

    NO_ROOM = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type == "multipart/form-data":
            # Nothing large is written to disk for someone who is not signed in (a sign-in form is a few
            # hundred bytes), nor for anyone past the request limit.
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if not request.user.is_authenticated and length > ANONYMOUS_POST_MAX_BYTES:
                return render(request, "403.html", {"exception": "Sign in before uploading files."}, status=403)
            limit = settings.UPLOAD_REQUEST_MAX_BYTES
            if length > limit:
                return render(request, "413.html", {"limit_mb": limit // (1024 * 1024)}, status=413)
            try:
                request.POST  # noqa: B018 - parse the body now, where a full disk can be answered
            except OSError as exc:
                if exc.errno not in self.NO_ROOM:
                    raise
                logger.error("No room to receive an upload to %s: %s", request.path, exc)
                self._discard_partial_files(request)
                return render(request, "507.html", status=507)
        return self.get_response(request)

    @staticmethod
    def _discard_partial_files(request) -> None:
        """Close (and so delete) the temporary file an upload handler was writing when the disk filled."""
        for handler in getattr(request, "_upload_handlers", None) or []:
            partial = getattr(handler, "file", None)
            if partial is None:
                continue
            name = getattr(partial, "temporary_file_path", lambda: None)()
            with contextlib.suppress(OSError):
                partial.close()
            if name:
                with contextlib.suppress(OSError):
                    os.unlink(name)
