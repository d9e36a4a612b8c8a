"""The demo content: hotlines and published articles in both languages, loaded once."""

import pytest

from seedling.portal.demo import demo_ensure
from seedling.portal.models import HelpArticle, Hotline

pytestmark = pytest.mark.django_db


def test_demo_content_is_created_once():
    first = demo_ensure()
    assert first == {"hotlines": 5, "articles": 7}
    assert demo_ensure() == {"hotlines": 0, "articles": 0}
    assert set(Hotline.objects.filter(area__isnull=True).values_list("number", flat=True)) == {
        "110",
        "12355",
        "12345",
    }
    assert set(Hotline.objects.filter(area__isnull=False).values_list("area_id", flat=True)) == {
        "33",
        "330723",
    }
    articles = HelpArticle.objects.filter(published=True)
    assert articles.count() == 7 and len(set(articles.values_list("topic", flat=True))) == 7
    for article in articles:
        assert article.title_en and article.body_en.count("\n\n") >= 3 and article.body_zh.count("\n\n") >= 3
