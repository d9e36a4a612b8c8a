"""API errors as JSON that name the field, in the user's language."""

from rest_framework.views import exception_handler as drf_exception_handler

from .locking import StaleEdit


def exception_handler(exc, context):
    from rest_framework import status
    from rest_framework.response import Response

    if isinstance(exc, StaleEdit):
        return Response(
            {"detail": str(exc), "code": "stale_version", "current_version": exc.current.version},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)
