"""Every read of mandatory reports, always through the area scope (core.scope.restrict).

Two ways to see a report: in the child's area with a reader role (rules.READER_ROLES) or as its
reporter; or as a linked user of a police or civil-affairs contact the report was routed to — who
sees only the minimum of the child's file (name, age, village, situation, description).
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from seedling.accounts.roles import Action
from seedling.core import clock
from seedling.core.audit import audit_log
from seedling.core.scope import area_q, restrict, user_may

from . import rules
from .choices import ContactKind, Status
from .models import MandatoryReport, ReportContact, ReportEvent, ReportRouting


def _memberships(user) -> list[tuple[str, str]]:
    return [(m.role, m.area_code) for m in user.active_memberships()]


def roles_over(*, user, area_code: str) -> frozenset[str]:
    """The roles `user` holds at an area containing `area_code`."""
    if not user.is_authenticated:
        return frozenset()
    return rules.roles_over(_memberships(user), area_code)


def _reader_q(user) -> Q:
    condition = Q(reporter=user)
    for role, prefix in _memberships(user):
        if role in rules.READER_ROLES:
            if prefix == "":
                return Q()  # national: every area (an empty Q would vanish from an OR)
            condition |= area_q("child__area", prefix)
    return condition


def _routed_ids(user) -> QuerySet:
    return ReportRouting.objects.filter(contact__users=user).values("report_id")


def report_list(*, user, status: str = "", overdue: bool = False, child=None) -> QuerySet:
    """Reports the user may see, newest first: area readers and reporters, plus routed contacts."""
    if not user.is_authenticated or not user.is_active:
        return MandatoryReport.objects.none()
    base = MandatoryReport.objects.select_related("child", "child__area", "child__area__parent", "reporter")
    in_area = restrict(base, user, Action.VIEW).filter(_reader_q(user))
    qs = in_area | base.filter(pk__in=_routed_ids(user))
    if child is not None:
        qs = qs.filter(child=child)
    if status == "open":
        qs = qs.exclude(status=Status.CLOSED)
    elif status in Status.values:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(closed_at__isnull=True, ack_due_at__lte=clock.now()).filter(
            Q(police_acknowledged_at__isnull=True) | Q(civil_affairs_acknowledged_at__isnull=True)
        )
    return qs.order_by("-created_at", "-pk")


@dataclass
class ReportView:
    """A report as one user may see it, with what they may do next."""

    report: MandatoryReport
    full: bool  # False: a routed contact, who sees the minimum of the child's file
    may_open_file: bool
    show_reporter: bool
    police_ack: str | None  # "contact" | "on_behalf" | None, while the police have not acknowledged
    may_ack_civil_affairs: bool
    may_close: bool
    overdue: bool

    @property
    def reporter_label(self) -> str:
        from django.utils.translation import gettext

        return str(self.report.reporter) if self.show_reporter else gettext("保密")

    def actor_label(self, event: ReportEvent) -> str:
        """Who did a step; the reporter's own steps stay confidential like the report itself."""
        from django.utils.translation import gettext

        if event.actor_id is None:
            return gettext("系统")
        if event.actor_id == self.report.reporter_id and not self.show_reporter:
            return gettext("保密")
        return str(event.actor)


def report_view(*, user, report: MandatoryReport) -> ReportView:
    """What `user` may see and do with a report already selected through report_list."""
    roles = roles_over(user=user, area_code=report.child.area_id)
    is_reporter = report.reporter_id == user.pk
    full = rules.may_read(roles, is_reporter=is_reporter) and user_may(
        user, Action.VIEW, report.child.area_id
    )
    routed_police = ReportRouting.objects.filter(
        report=report, contact__users=user, kind=ContactKind.POLICE
    ).exists()
    open_ = not report.is_closed
    police_ack = None
    if open_ and report.police_acknowledged_at is None:
        police_ack = rules.police_acknowledger(roles, is_routed_police_contact=routed_police)
    acked_both = (
        report.police_acknowledged_at is not None and report.civil_affairs_acknowledged_at is not None
    )
    return ReportView(
        report=report,
        full=full,
        may_open_file=full,
        show_reporter=rules.may_see_reporter(roles, is_reporter=is_reporter),
        police_ack=police_ack,
        may_ack_civil_affairs=open_
        and report.civil_affairs_acknowledged_at is None
        and rules.may_acknowledge_civil_affairs(roles),
        may_close=open_ and acked_both and rules.may_close(roles),
        overdue=rules.is_overdue(
            now=clock.now(),
            ack_due_at=report.ack_due_at,
            police=report.police_acknowledged_at is not None,
            civil_affairs=report.civil_affairs_acknowledged_at is not None,
            closed=report.is_closed,
        ),
    )


def report_get(*, user, pk: int) -> MandatoryReport:
    """One report the user may see, or 404 (never 403: existence is not revealed)."""
    report = report_list(user=user).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def report_open(*, user, pk: int) -> tuple[MandatoryReport, ReportView]:
    """Open a report to read it: scope-checked and written to the access log (every view)."""
    report = report_get(user=user, pk=pk)
    view = report_view(user=user, report=report)
    audit_log(user=user, action="view", obj=report, child=report.child, detail={"full": view.full})
    return report, view


def report_events(*, report: MandatoryReport) -> QuerySet:
    """The history of a report already opened through report_open, oldest first."""
    return ReportEvent.objects.filter(report=report).select_related("actor").order_by("at", "pk")


def report_routings(*, report: MandatoryReport) -> QuerySet:
    return ReportRouting.objects.filter(report=report).order_by("kind", "pk")


def contacts_for(*, area_code: str, kind: str) -> list[ReportContact]:
    """The most specific active contacts of `kind` for a village: the longest matching area prefix."""
    prefixes = [area_code[:n] for n in range(2, len(area_code) + 1)]
    candidates = list(
        ReportContact.objects.filter(kind=kind, is_active=True, area_prefix__in=prefixes).prefetch_related(
            "users"
        )
    )
    best = rules.most_specific({c.area_prefix for c in candidates}, area_code)
    return sorted((c for c in candidates if c.area_prefix == best), key=lambda c: c.pk)


def is_report_contact_user(*, user) -> bool:
    """Whether the user is linked to a police or civil-affairs contact (the navigation shows reports)."""
    return user.is_authenticated and ReportContact.objects.filter(users=user).exists()
