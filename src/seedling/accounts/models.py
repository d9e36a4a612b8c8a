"""Users and their memberships: a membership gives a user a role at an area (成员资格)."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from seedling.geo.models import Division

from .roles import LEVEL_RANK, ROLE_ACTIONS, ROLE_LEVEL, Role


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=100, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.full_name or self.username

    def active_memberships(self) -> list["Membership"]:
        cached = getattr(self, "_memberships_cache", None)
        if cached is None:
            cached = list(self.memberships.filter(is_active=True).select_related("area"))
            self._memberships_cache = cached
        return cached

    def area_prefixes(self, action: str) -> list[str]:
        """Area prefixes at which this user may take `action` ("" = the whole country)."""
        return [m.area_code for m in self.active_memberships() if action in ROLE_ACTIONS[m.role]]

    def has_role(self, *roles: str) -> bool:
        return any(m.role in roles for m in self.active_memberships())

    @property
    def highest_level(self) -> str | None:
        levels = [m.level for m in self.active_memberships()]
        return min(levels, key=LEVEL_RANK.__getitem__) if levels else None


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    # NULL area = national (the whole country).
    area = models.ForeignKey(
        "geo.Division",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("区域"),
    )
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("成员资格")
        verbose_name_plural = _("成员资格")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "area"], name="membership_unique"),
            # NULL areas never compare equal, so national memberships need their own rule.
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(area__isnull=True),
                name="membership_unique_national",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} @ {self.area or _('全国')}"

    @property
    def area_code(self) -> str:
        return self.area_id or ""

    @property
    def level(self) -> str:
        return self.area.level if self.area_id else "national"

    def clean(self):
        wanted = ROLE_LEVEL.get(self.role)
        if not wanted or wanted == self.level:
            return
        actual = _("全国") if self.area_id is None else f"{level_label(self.area.level)}（{self.area.name}）"
        if wanted == "national":
            message = _("角色“%(role)s”的区域须留空（全国）；所选区域是%(actual)s。")
        else:
            message = _("角色“%(role)s”须设在%(wanted)s区划；所选区域是%(actual)s。")
        params = {"role": self.get_role_display(), "wanted": level_label(wanted), "actual": actual}
        raise ValidationError({"area": message % params})


def level_label(level: str) -> str:
    """The Chinese name of a division level ("全国" for the whole country)."""
    return str(_("全国")) if level == "national" else str(Division.Level(level).label)
