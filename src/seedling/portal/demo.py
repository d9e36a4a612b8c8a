"""Demo content of the portal (自助服务): hotlines and published help articles. Idempotent.

Nationwide: 12355 (共青团青少年服务台), 12345 (政务服务便民热线), 110 (danger now). Zhejiang (33): the
12356 psychological assistance line; 武义县 (330723): the women's federation's 12338 line for women's
and children's rights. Before going live, the county's own lines must be checked with the county.
"""

from django.db import transaction

from seedling.geo.models import Division

from .demo_articles import ARTICLES
from .models import HelpArticle, Hotline

# (area code or None for nationwide, name zh, name en, number, hours zh, hours en, order)
HOTLINES = [
    (None, "报警电话（现在有危险时）", "Police (if you are in danger now)", "110", "24 小时", "24 hours", 1),
    (
        None,
        "12355 青少年服务台",
        "12355 Youth service line",
        "12355",
        "各地服务时间不同，多数为工作日白天",
        "Hours vary by province, mostly weekday daytime",
        10,
    ),
    (
        None,
        "12345 政务服务便民热线",
        "12345 Government service hotline",
        "12345",
        "24 小时",
        "24 hours",
        20,
    ),
    (
        "33",
        "12356 心理援助热线（浙江）",
        "12356 Psychological assistance line (Zhejiang)",
        "12356",
        "24 小时",
        "24 hours",
        10,
    ),
    (
        "330723",
        "武义县妇联 12338 妇女儿童维权热线",
        "Wuyi County Women's Federation 12338 rights line",
        "12338",
        "工作日 8:30–17:00",
        "Weekdays 8:30–17:00",
        10,
    ),
]


@transaction.atomic
def demo_ensure() -> dict:
    """The demo's hotlines and help articles, created once (matched by area and number, and by slug)."""
    hotlines = 0
    for area_code, name_zh, name_en, number, hours_zh, hours_en, order in HOTLINES:
        area = Division.objects.filter(code=area_code).first() if area_code else None
        if area_code and area is None:
            continue  # divisions of that area are not loaded
        _hotline, created = Hotline.objects.get_or_create(
            area=area,
            number=number,
            defaults={
                "name_zh": name_zh,
                "name_en": name_en,
                "hours_zh": hours_zh,
                "hours_en": hours_en,
                "order": order,
            },
        )
        hotlines += created
    articles = 0
    for fields in ARTICLES:
        _article, created = HelpArticle.objects.get_or_create(
            slug=fields["slug"],
            defaults={**{k: v for k, v in fields.items() if k != "slug"}, "published": True},
        )
        articles += created
    return {"hotlines": hotlines, "articles": articles}
