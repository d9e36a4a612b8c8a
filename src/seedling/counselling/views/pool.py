"""Pages of the counsellor pool (心理辅导员库): list, profile, add and edit (county officers),
and a counsellor's own profile (languages, phone, taking requests)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from seedling.core.locking import StaleEdit

from .. import access, selectors, services
from ..forms import CounsellorForm, OwnProfileForm

PAGE_SIZE = 25
_RENAMED = {"areas": "area_codes", "supervisor": "supervisor_username", "user": "username"}


@login_required
def counsellor_list(request):
    rows = selectors.counsellor_list(user=request.user)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        rows = rows.filter(user__full_name__contains=q)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "counselling/counsellor_list.html",
        {"page": page, "q": q, "may_add": bool(access.officer_prefixes(request.user))},
    )


@login_required
def counsellor_detail(request, pk):
    counsellor = selectors.counsellor_get(user=request.user, pk=pk)
    return render(
        request,
        "counselling/counsellor_detail.html",
        {
            "c": counsellor,
            "may_manage": access.may_manage_counsellor(request.user, counsellor),
            "is_self": counsellor.user_id == request.user.pk,
        },
    )


@login_required
def counsellor_edit(request, pk=None):
    """Add a user to the pool (pk None) or edit a counsellor's profile: county officers of the area."""
    counsellor = selectors.counsellor_get(user=request.user, pk=pk) if pk else None
    if not access.may_manage_counsellor(request.user, counsellor):
        raise PermissionDenied
    initial = {"active": True, "languages": ["zh"], "capacity": 20}
    if counsellor is not None:
        initial = {
            "version": counsellor.version,
            "qualification": counsellor.qualification,
            "languages": counsellor.language_list,
            "home_area": counsellor.home_area_id,
            "area_codes": " ".join(a.code for a in counsellor.areas.all()),
            "capacity": counsellor.capacity,
            "supervisor_username": counsellor.supervisor.username if counsellor.supervisor_id else "",
            "phone": counsellor.phone,
            "active": counsellor.active,
        }
    form = CounsellorForm(
        request.POST if request.method == "POST" else None, initial=initial, creating=counsellor is None
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        account, areas, version = data.pop("username", None), data.pop("area_codes"), data.pop("version")
        data["supervisor"] = data.pop("supervisor_username")
        try:
            counsellor = services.counsellor_save(
                user=request.user,
                counsellor=counsellor,
                account=account,
                fields=data,
                areas=areas,
                expected_version=version,
            )
        except ValidationError as exc:
            form.add_service_errors(
                ValidationError({_RENAMED.get(k, k): v for k, v in exc.message_dict.items()})
            )
        except StaleEdit as exc:
            stale = exc.current
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存。"))
            return redirect("counselling:counsellor_detail", pk=counsellor.pk)
    return render(
        request, "counselling/counsellor_form.html", {"form": form, "counsellor": counsellor, "stale": stale}
    )


@login_required
def counsellor_me(request):
    """A counsellor's own profile: languages, phone, and whether they take new requests."""
    counsellor = access.counsellor_of(request.user)
    if counsellor is None:
        raise PermissionDenied
    form = OwnProfileForm(
        request.POST if request.method == "POST" else None,
        initial={
            "version": counsellor.version,
            "languages": counsellor.language_list,
            "phone": counsellor.phone,
            "active": counsellor.active,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.counsellor_update_own(user=request.user, fields=data, expected_version=version)
        except ValidationError as exc:
            form.add_service_errors(exc)
        except StaleEdit as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存。"))
            return redirect("counselling:counsellor_me")
    return render(request, "counselling/counsellor_me.html", {"form": form, "c": counsellor})
