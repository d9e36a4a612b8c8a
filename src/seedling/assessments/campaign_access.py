"""Access-log rows for reads of named children's screening data: one row per child shown.

The progress page, the API's invitation list, the consent page and the in-person form show a child's
name with their state, consent or band. Each read leaves a row in that child's trail (tied to the
child's file when the student is linked to a registered child), written in bulk: a school's progress
page lists hundreds of students, and the log only INSERTs (see core.audit).
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from seedling.core.models import AccessLog
from seedling.core.request_context import current_request

from .models import Campaign, Invitation

BATCH = 2000


def campaign_reason(campaign: Campaign) -> str:
    """The reason of a read: the campaign it was part of, by title and number."""
    return _("心理筛查“%(title)s”（编号 %(pk)d）") % {"title": campaign.title, "pk": campaign.pk}


def invitations_read(*, user, campaign: Campaign, invitations, shown: str) -> int:
    """Log one VIEW row per invitation shown (`shown`: progress / api / consent / fill); returns how many.

    The row is tied to the student's CURRENT registered child (or an area campaign's child); a student
    who is not registered gets a row on the invitation with the campaign's area.
    """
    info = current_request.get()
    user_row = user if getattr(user, "is_authenticated", False) else None
    now, reason = timezone.now(), campaign_reason(campaign)[:500]
    batch: list[AccessLog] = []
    total = 0
    for invitation in invitations:
        child = invitation.subject_child
        detail = {"campaign": campaign.pk, "shown": shown, "result": bool(invitation.response_id)}
        if child is None and invitation.student_id:
            detail["student"] = invitation.student_id
        batch.append(
            AccessLog(
                at=now,
                user=user_row,
                username=getattr(user, "username", "") or "",
                action=AccessLog.Action.VIEW,
                object_type=Invitation._meta.label_lower,
                object_id=str(invitation.pk),
                child_id=child.pk if child is not None else None,
                area_code=(child.area_id if child is not None else campaign.area_id) or "",
                reason=reason,
                ip=info.ip if info else None,
                path=info.path if info else "",
                detail=detail,
            )
        )
        if len(batch) >= BATCH:
            AccessLog.objects.bulk_create(batch)
            total, batch = total + len(batch), []
    AccessLog.objects.bulk_create(batch)
    return total + len(batch)
