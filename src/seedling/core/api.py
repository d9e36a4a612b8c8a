"""API plumbing shared by every app: errors as JSON that name the field, in the user's language.

- a stale save (core.locking.StaleEdit) → 409 with the current version and, when the view knows how
  to show it (`stale_representation(instance)`), the current values, so the client can merge;
- Django's ValidationError raised by services → 400 {field: [message]}, field names as the API names
  them (a view may rename with `error_field_names = {"model_field": "api_field"}`);
- Django's PermissionDenied → 403 and Http404 → 404 (DRF's own mapping).
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from .audit import audit_log, audit_log_each
from .locking import StaleEdit


def validation_errors(exc: DjangoValidationError, field_names: dict | None = None) -> dict[str, list[str]]:
    """{api field: [messages]} from a Django ValidationError (dict, list or single message)."""
    field_names = field_names or {}
    if hasattr(exc, "error_dict"):
        errors: dict[str, list[str]] = {}
        for field, messages in exc.message_dict.items():
            key = api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field
            errors.setdefault(field_names.get(key, key), []).extend(str(m) for m in messages)
        return errors
    return {api_settings.NON_FIELD_ERRORS_KEY: [str(m) for m in exc.messages]}


def exception_handler(exc, context):
    view = context.get("view")
    if isinstance(exc, StaleEdit):
        body = {"detail": str(exc), "code": "stale_version", "current_version": exc.current.version}
        represent = getattr(view, "stale_representation", None)
        if represent is not None:
            body["current"] = represent(exc.current)
            # The newer record is shown to the client: a read of the child's file like any other.
            request = context.get("request")
            if request is not None:
                audit_log(user=request.user, action="view", obj=exc.current)
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(validation_errors(exc, getattr(view, "error_field_names", None)))
    return drf_exception_handler(exc, context)


def paginated_response(*, serializer_class, rows, request, view, context=None, audit: str = "") -> Response:
    """One page of `rows` (a queryset or a list) rendered with `serializer_class`, DRF's page format.

    `audit` names a list whose rows carry a child's personal details (reasons, notes, situations):
    each row returned is then a read, written to the access log and tied to its child.
    """
    paginator = (getattr(view, "pagination_class", None) or PageNumberPagination)()
    page = paginator.paginate_queryset(rows, request, view=view)
    if audit and page:
        audit_log_each(user=request.user, action="view", objs=page, detail={"list": audit})
    serializer = serializer_class(page, many=True, context=context or {"request": request})
    return paginator.get_paginated_response(serializer.data)
