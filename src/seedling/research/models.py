"""Research projects (研究项目): each one keeps its own pseudonyms.

A project holds the random salt that, with the server's secret key, keys the pseudonyms of its
exports (see research.pseudonym): the same child has the same pseudonym in every export of one
project, and unrelated pseudonyms in another project's exports. Only its owner exports under it.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from seedling.core.models import TimeStamped


def new_salt() -> str:
    """32 random bytes as hex: a fresh pseudonym space."""
    return secrets.token_hex(32)


class ResearchProject(TimeStamped):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("负责人")
    )
    title = models.CharField(_("项目名称"), max_length=100)
    # Never shown or exported: whoever holds it and the secret key can recompute pseudonyms.
    salt = models.CharField(max_length=64, default=new_salt, editable=False)

    class Meta:
        verbose_name = _("研究项目")
        verbose_name_plural = _("研究项目")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "title"], name="research_project_owner_title_unique")
        ]

    def __str__(self):
        return self.title
