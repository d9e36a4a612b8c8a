"""National default visit frequencies (DOMAIN.md section 3; provinces override them in the admin).

From the domain text: at least monthly for orphans (in scattered care: institutions visit their own
children), de facto unsupported children and children in difficulty with high risk; at least
quarterly for left-behind children. Chosen here where the text is silent: guardianship failure is
high risk by definition (abuse, abandonment), so monthly; poverty, own disability and disabled
children quarterly like left-behind children; migrant children every half year.
"""

from django.db import migrations

DEFAULTS = [
    ("orphan", 30, "散居孤儿至少每月走访一次"),
    ("de_facto_unsupported", 30, "事实无人抚养儿童至少每月走访一次"),
    ("difficulty_guardianship", 30, "监护缺失或不当属高风险，至少每月走访一次（默认值）"),
    ("high_risk", 30, "高风险困境儿童至少每月走访一次"),
    ("left_behind_both", 90, "农村留守儿童至少每季度走访一次"),
    ("left_behind_one", 90, "农村留守儿童至少每季度走访一次"),
    ("difficulty_poverty", 90, "每季度走访一次（默认值）"),
    ("difficulty_disability", 90, "每季度走访一次（默认值）"),
    ("disabled", 90, "每季度走访一次（默认值）"),
    ("migrant", 180, "每半年走访一次（默认值，部分省份不要求）"),
]


def add_defaults(apps, schema_editor):
    VisitFrequency = apps.get_model("fieldwork", "VisitFrequency")
    for category, days, basis in DEFAULTS:
        VisitFrequency.objects.get_or_create(
            area_prefix="", category=category, defaults={"interval_days": days, "basis": basis}
        )


def remove_defaults(apps, schema_editor):
    apps.get_model("fieldwork", "VisitFrequency").objects.filter(area_prefix="").delete()


class Migration(migrations.Migration):
    dependencies = [("fieldwork", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
