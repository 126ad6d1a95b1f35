"""Domain exceptions that selectors and services raise, free of HTTP and of the command line."""

from django.core.exceptions import ObjectDoesNotExist


class NotFound(ObjectDoesNotExist):
    """What was asked for does not exist, or is not visible to the one asking (the two are never told apart).

    Pages answer 404 (``vrhub.core.middleware.NotFoundMiddleware``); management commands turn it into
    a ``CommandError`` with the same one-line message.
    """
