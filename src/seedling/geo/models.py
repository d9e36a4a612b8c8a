"""Administrative divisions (行政区划): NBS statistical codes, five levels, by edition."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Length of the significant prefix of a code at each level (village 330782101201 → township 330782101).
PREFIX_LENGTH = {"province": 2, "city": 4, "county": 6, "township": 9, "village": 12}


class Division(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        CITY = "city", _("地级")
        COUNTY = "county", _("县级")
        TOWNSHIP = "township", _("乡级")
        VILLAGE = "village", _("村级")

    class UrbanRural(models.TextChoices):
        RURAL = "rural", _("农村")
        URBAN = "urban", _("城镇")
        OTHER = "other", _("其他")

    # The significant prefix (2, 4, 6, 9 or 12 digits); every child-related row stores one of these.
    code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        db_column="parent_code",
    )
    name = models.CharField(_("名称"), max_length=100)
    pinyin = models.CharField(_("拼音"), max_length=300, blank=True)
    urban_rural = models.CharField(_("城乡"), max_length=5, choices=UrbanRural.choices, blank=True)
    edition = models.PositiveSmallIntegerField(_("版本年份"), default=2023)
    retired_in = models.PositiveSmallIntegerField(
        _("撤销于版本"), null=True, blank=True, help_text=_("该代码在哪个版本中消失；旧记录仍可引用")
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def full_code(self) -> str:
        """The 12-digit form, padded with zeros."""
        return self.code.ljust(12, "0")

    @property
    def is_active(self) -> bool:
        return self.retired_in is None
