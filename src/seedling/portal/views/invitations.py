"""Staff pages for invitation codes: the child's counsellor or director makes and revokes them."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from seedling.core import clock
from seedling.core.audit import audit_log
from seedling.core.models import AccessLog

from .. import rules, selectors, services
from ..forms import InvitationForm


def _child_uuid(request):
    raw = request.GET.get("child") or request.POST.get("child") or ""
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise Http404 from None


@never_cache
@login_required
def invitation_create(request):
    """Make a code for a child (?child=<uuid>) or their guardian; the code is shown this once only.

    Opening the page reads the child's name and codes: written to the access log.
    """
    child = selectors.invitation_child_get(user=request.user, uuid=_child_uuid(request))
    form = InvitationForm(
        request.POST if request.method == "POST" else None,
        initial={"holder": "child", "days": services.invitation_days_default()},
    )
    created = code = None
    if request.method == "POST" and form.is_valid():
        try:
            created, code = services.portal_invitation_create(
                user=request.user,
                child=child,
                holder=form.cleaned_data["holder"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            form = InvitationForm(initial={"holder": created.holder, "days": form.cleaned_data["days"]})
    else:
        audit_log(user=request.user, action=AccessLog.Action.VIEW, obj=child, reason="portal invitations")
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "portal/invitation_create.html",
        {
            "child": child,
            "form": form,
            "created": created,
            "code": rules.invitation_code_display(code) if code else "",
            "invitations": selectors.invitation_list(child=child),
            "now": clock.now(),
            "signin_url": request.build_absolute_uri(reverse("portal:signin")),
        },
        status=status,
    )


@login_required
@require_POST
def invitation_revoke(request, pk):
    invitation = selectors.invitation_staff_get(user=request.user, pk=pk)
    services.portal_invitation_revoke(user=request.user, invitation=invitation)
    messages.success(request, _("邀请码已作废，用它登录的人下次打开页面时会被退出。"))
    return redirect(reverse("portal:invitation_create") + "?" + urlencode({"child": invitation.child.uuid}))
