"""Pages of partnership governance, one module per part; each module declares its ``urlpatterns``."""

from django.http import HttpResponse


def todo(request, *args, **kwargs):
    """A page not built yet (the URL name is fixed so that other pages can link to it)."""
    return HttpResponse("Not built yet", status=501, content_type="text/plain")
