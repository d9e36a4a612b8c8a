"""Pages of the organizations directory and of referrals (sent by my area / received by my organization)."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from seedling.core import clock
from seedling.core.locking import StaleEdit
from seedling.registry import selectors as registry_selectors

from .. import access, selectors, services
from ..choices import OrganizationKind, OrganizationService, ReferralStatus
from ..forms import Form, OrganizationForm, ReferralCancelForm, ReferralForm, ReferralRespondForm
from ..services.common import setting
from .cases import _uuid

PAGE_SIZE = 25


class DirectoryFilter(Form):
    q = forms.CharField(label=gettext_lazy("名称"), max_length=50, required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("类型"),
        choices=[("", gettext_lazy("全部")), *OrganizationKind.choices],
        required=False,
    )
    service = forms.ChoiceField(
        label=gettext_lazy("服务"),
        choices=[("", gettext_lazy("全部")), *OrganizationService.choices],
        required=False,
    )
    area = forms.RegexField(label=gettext_lazy("服务区域代码"), regex=r"^[0-9]{2,12}$", required=False)


@login_required
def organization_list(request):
    form = DirectoryFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.organization_list(filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cases/organization_list.html",
        {"form": form, "page": page, "may_manage": services.may_manage(request.user)},
    )


@login_required
def organization_detail(request, pk):
    organization = selectors.organization_get(pk=pk)
    return render(
        request,
        "cases/organization_detail.html",
        {"organization": organization, "may_manage": services.may_manage(request.user, organization)},
    )


@login_required
def organization_edit(request, pk=None):
    """Add (pk None) or edit an organization: kind, services, areas served, contact, its users."""
    organization = selectors.organization_get(pk=pk) if pk else None
    if not services.may_manage(request.user, organization):
        raise PermissionDenied
    initial = {}
    if organization is not None:
        initial = {
            "version": organization.version,
            "name": organization.name,
            "kind": organization.kind,
            "services": organization.service_list,
            "area_codes": " ".join(a.code for a in organization.areas.all()),
            "nationwide": organization.nationwide,
            "contact_person": organization.contact_person,
            "phone": organization.phone,
            "address": organization.address,
            "active": organization.active,
            "member_usernames": " ".join(u.username for u in organization.members.all()),
        }
    form = OrganizationForm(
        request.POST if request.method == "POST" else None, initial=initial or {"active": True}
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        areas, members, version = data.pop("area_codes"), data.pop("member_usernames"), data.pop("version")
        try:
            organization = services.organization_save(
                user=request.user,
                organization=organization,
                expected_version=version,
                fields=data,
                areas=areas,
                members=members,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except StaleEdit as exc:
            stale = exc.current
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存。"))
            return redirect("cases:organization_detail", pk=organization.pk)
    return render(
        request, "cases/organization_form.html", {"form": form, "organization": organization, "stale": stale}
    )


def _add_errors(form, exc):
    renamed = {"areas": "area_codes", "members": "member_usernames"}
    form.add_service_errors(ValidationError({renamed.get(k, k): v for k, v in exc.message_dict.items()}))


@login_required
def referral_list(request):
    """Referrals sent by my area (case roles) and received by my organization (its users)."""
    user = request.user
    may_send = bool(access.role_prefixes(user, access.CASE_VIEW))
    is_member = access.is_org_member(user)
    if not (may_send or is_member):
        raise PermissionDenied
    box = request.GET.get("box") or ("sent" if may_send else "received")
    if box == "received" and not is_member or box == "sent" and not may_send:
        box = "sent" if may_send else "received"
    rows = selectors.referral_sent(user=user) if box == "sent" else selectors.referral_received(user=user)
    status = request.GET.get("status", "")
    if status in ReferralStatus.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/referral_list.html",
        {
            "page": page,
            "box": box,
            "may_send": may_send,
            "is_member": is_member,
            "status": status,
            "statuses": ReferralStatus.choices,
            "today": clock.today(),
        },
    )


@login_required
def referral_create(request):
    """Refer a child (from the file, ?child=<uuid>, or a case, &case=<id>) to an organization."""
    child = registry_selectors.child_get(user=request.user, uuid=_uuid(request.GET.get("child")))
    if not access.may(request.user, access.CASE_WORK, child.area_id):
        raise PermissionDenied
    case = None
    if request.GET.get("case", "").isdigit():
        case = selectors.case_get(user=request.user, pk=int(request.GET["case"]))
    organizations = selectors.organizations_serving(area_code=child.area_id)
    data = request.POST if request.method == "POST" else None
    due = clock.today() + datetime.timedelta(days=setting("SEEDLING_REFERRAL_DEFAULT_DAYS"))
    form = ReferralForm(data, organizations=organizations, initial={"due_on": due})
    if data is not None and form.is_valid():
        fields = dict(form.cleaned_data)
        organization = fields.pop("organization")
        try:
            referral = services.referral_send(
                user=request.user, child=child, organization=organization, fields=fields, case=case
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("转介已发送至 %(org)s。") % {"org": organization.name})
            return redirect("cases:referral_detail", pk=referral.pk)
    return render(request, "cases/referral_form.html", {"form": form, "child": child, "case": case})


def _referral_page(request, pk, *, respond_form=None, cancel_form=None, status=200):
    referral, side, shared = selectors.referral_open(user=request.user, pk=pk)
    is_open = referral.status in (ReferralStatus.SENT, ReferralStatus.ACCEPTED)
    receiver = side == "receiver" and services.is_receiver(request.user, referral)
    sender_may_act = side == "sender" and access.may(request.user, access.CASE_WORK, referral.child.area_id)
    return render(
        request,
        "cases/referral_detail.html",
        {
            "referral": referral,
            "side": side,
            "shared": shared,
            "respond_form": respond_form
            or (ReferralRespondForm(initial={"version": referral.version}) if receiver and is_open else None),
            "cancel_form": cancel_form
            or (
                ReferralCancelForm(initial={"version": referral.version})
                if sender_may_act and is_open
                else None
            ),
        },
        status=status,
    )


@login_required
def referral_detail(request, pk):
    return _referral_page(request, pk)


@login_required
@require_POST
def referral_respond(request, pk):
    referral, side = selectors.referral_get(user=request.user, pk=pk)
    if side != "receiver":
        raise PermissionDenied
    form = ReferralRespondForm(request.POST)
    if form.is_valid():
        try:
            services.referral_respond(
                user=request.user,
                referral=referral,
                expected_version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except StaleEdit:
            messages.error(request, _("此转介已被他人处理，请查看最新状态。"))
            return redirect("cases:referral_detail", pk=pk)
        else:
            messages.success(request, _("已保存。"))
            return redirect("cases:referral_detail", pk=pk)
    return _referral_page(request, pk, respond_form=form, status=400)


@login_required
@require_POST
def referral_cancel(request, pk):
    referral, side = selectors.referral_get(user=request.user, pk=pk)
    if side != "sender":
        raise PermissionDenied
    form = ReferralCancelForm(request.POST)
    if form.is_valid():
        try:
            services.referral_cancel(
                user=request.user,
                referral=referral,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except StaleEdit:
            messages.error(request, _("此转介已被他人处理，请查看最新状态。"))
            return redirect("cases:referral_detail", pk=pk)
        else:
            messages.success(request, _("已撤回转介。"))
            return redirect("cases:referral_detail", pk=pk)
    return _referral_page(request, pk, cancel_form=form, status=400)
