"""The self-service portal (自助服务): help articles, hotlines per area, invitation codes.

The portal is for children and guardians, used anonymously or after signing in with an invitation code
their counsellor or director gave them; no Django user account is created for them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from seedling.core.models import TimeStamped, Versioned


class Topic(models.TextChoices):
    FEELINGS = "feelings", _("情绪与心情")
    STUDY = "study", _("学习与压力")
    FAMILY = "family", _("家庭与分离")
    FRIENDS = "friends", _("同伴与欺凌")
    SAFETY = "safety", _("安全与求助")
    SLEEP = "sleep", _("睡眠与健康")
    PARENTING = "parenting", _("家长与照料者")


class HelpArticle(Versioned, TimeStamped):
    """An article written by administrators, in both languages."""

    class Audience(models.TextChoices):
        ALL = "all", _("所有人")
        CHILDREN = "children", _("儿童")
        GUARDIANS = "guardians", _("家长和照料者")

    slug = models.SlugField(_("网址标识"), max_length=80, unique=True)
    topic = models.CharField(_("主题"), max_length=12, choices=Topic.choices)
    audience = models.CharField(_("读者"), max_length=10, choices=Audience.choices, default=Audience.ALL)
    title_zh = models.CharField(_("标题（中文）"), max_length=200)
    title_en = models.CharField(_("标题（英文）"), max_length=200)
    body_zh = models.TextField(_("正文（中文）"))
    body_en = models.TextField(_("正文（英文）"))
    published = models.BooleanField(_("已发布"), default=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("帮助文章")
        verbose_name_plural = _("帮助文章")
        ordering = ["topic", "order", "pk"]

    def __str__(self):
        return self.title_zh


class Hotline(Versioned, TimeStamped):
    """A hotline shown at once on a high-risk answer; area NULL means nationwide (e.g. 12355)."""

    # Managed within the CONTENT scope: a county officer keeps the lines of the county and below;
    # nationwide lines (area NULL) only a national officer or the system administrator.
    scope_field = "area"

    area = models.ForeignKey(
        "geo.Division",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("区域（空为全国）"),
    )
    name_zh = models.CharField(_("名称（中文）"), max_length=100)
    name_en = models.CharField(_("名称（英文）"), max_length=100)
    number = models.CharField(_("号码"), max_length=30)
    hours_zh = models.CharField(_("服务时间（中文）"), max_length=100, blank=True)
    hours_en = models.CharField(_("服务时间（英文）"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("求助热线")
        verbose_name_plural = _("求助热线")
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.name_zh} {self.number}"


class PortalInvitation(TimeStamped):
    """A sign-in code for a child or guardian, given by their counsellor or director.

    Only a hash of the code is kept; the code is shown once when it is made.
    """

    scope_field = "child__area"

    class Holder(models.TextChoices):
        CHILD = "child", _("儿童本人")
        GUARDIAN = "guardian", _("监护人")

    code_hash = models.CharField(max_length=64, unique=True)
    holder = models.CharField(_("持有人"), max_length=10, choices=Holder.choices)
    child = models.ForeignKey(
        "registry.Child", on_delete=models.PROTECT, related_name="portal_invitations", verbose_name=_("儿童")
    )
    counsellor = models.ForeignKey(
        "counselling.Counsellor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("负责的心理辅导员"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField(_("有效期至"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("邀请码")
        verbose_name_plural = _("邀请码")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_holder_display()} #{self.pk}"


class InvitationRequest(models.Model):
    """A help request sent while signed in with an invitation code: what its holder sees as their own.

    Tied to the code, not to the child: a guardian's code never shows the child's own requests, nor
    the reverse (a child may be asking for help about the guardian).
    """

    scope_field = "invitation__child__area"

    invitation = models.ForeignKey(PortalInvitation, on_delete=models.PROTECT, related_name="requests")
    # The invitation's child, copied: the distribution key of every child-scoped table (DESIGN.md).
    child = models.ForeignKey("registry.Child", on_delete=models.PROTECT, related_name="+")
    help_request = models.OneToOneField(
        "counselling.HelpRequest", on_delete=models.PROTECT, related_name="portal_invitation_link"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("邀请码持有人的求助")
        verbose_name_plural = _("邀请码持有人的求助")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.invitation} → {self.help_request_id}"


class HelpRequestFlag(models.Model):
    """A request for a counsellor the portal accepted over its hourly limits (超出上限仍受理的求助).

    Only urgent requests ("I am not safe", or a self-check that calls for help) get past a used-up
    limit: a child in danger is never turned away. The flag tells whoever handles the request that it
    came in a flood, so a prank is recognised sooner; it is still to be treated as urgent.
    """

    class Reason(models.TextChoices):
        ADDRESS = "address", _("同一网络地址一小时内留言过多")
        AREA = "area", _("本地区一小时内留言过多")

    scope_field = "help_request__area"

    help_request = models.OneToOneField(
        "counselling.HelpRequest", on_delete=models.CASCADE, related_name="portal_flag"
    )
    # The request's child (signed in with a code), copied: the distribution key (DESIGN.md).
    child = models.ForeignKey(
        "registry.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("原因"), max_length=10, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("超出上限仍受理的求助")
        verbose_name_plural = _("超出上限仍受理的求助")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_reason_display()} → {self.help_request_id}"
