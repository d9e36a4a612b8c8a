"""The public pages: home, the area picker, articles by topic and audience in the reader's language."""

import pytest
from django.urls import reverse

from seedling.testing import areas

pytestmark = pytest.mark.django_db


def test_the_home_page_offers_everything_without_an_account_and_no_staff_navigation(client, content):
    response = client.get(reverse("portal:home"))
    html = response.content.decode()
    assert response.status_code == 200
    for tile in ("tile-checks", "tile-articles", "tile-talk", "tile-hotlines"):
        assert f'id="{tile}"' in html
    assert 'href="tel:12355"' in html and 'href="tel:110"' in html
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html
    assert 'name="viewport"' in html and reverse("set_language") in html
    assert "主导航" not in html and "儿童档案" not in html  # not the staff layout


def test_the_area_picker_goes_province_city_county_and_remembers_the_choice(client, content):
    html = client.get(reverse("portal:area")).content.decode()
    assert 'value="33"' in html and 'name="city"' not in html
    html = client.get(reverse("portal:area"), {"province": "33"}).content.decode()
    assert 'value="3307"' in html and 'name="county"' not in html
    html = client.get(reverse("portal:area"), {"province": "33", "city": "3307"}).content.decode()
    assert f'value="{areas.COUNTY}"' in html and "武义县" in html
    response = client.post(
        reverse("portal:area"), {"county": areas.COUNTY, "next": reverse("portal:articles")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:articles")
    home = client.get(reverse("portal:home")).content.decode()
    assert "浙江省 金华市 武义县" in home and 'href="tel:12338"' in home


def test_the_area_picker_refuses_what_is_not_a_county_and_outside_links(client, content):
    for bad in ("", "33", areas.TOWNSHIP, "999999"):
        response = client.post(reverse("portal:area"), {"county": bad, "province": "33", "city": "3307"})
        assert response.status_code == 400 and "请选择你所在的县" in response.content.decode()
    response = client.post(reverse("portal:area"), {"county": areas.COUNTY, "next": "https://evil.example/"})
    assert response["Location"] == reverse("portal:home")


def test_articles_by_topic_and_audience(client, content):
    html = client.get(reverse("portal:articles")).content.decode()
    assert "心情不好的时候，可以做什么" in html and "孩子不爱说话了" in html
    html = client.get(reverse("portal:articles"), {"topic": "friends"}).content.decode()
    assert "被人欺负了，怎么办" in html and "睡个好觉" not in html
    html = client.get(reverse("portal:articles"), {"audience": "guardians"}).content.decode()
    assert "孩子不爱说话了" in html and "睡个好觉" in html and "考试前很紧张" not in html
    assert client.get(reverse("portal:articles"), {"topic": "nonsense"}).status_code == 404


def test_an_article_is_read_in_the_readers_language_as_paragraphs(client, content):
    url = reverse("portal:article", args=["sleeping-well"])
    html = client.get(url).content.decode()
    assert "<h1>睡个好觉</h1>" in html and html.count("<p>") >= 5
    client.post(reverse("set_language"), {"language": "en", "next": url})
    html = client.get(url).content.decode()
    assert "<h1>Sleeping well</h1>" in html and "睡个好觉" not in html
    assert client.get(reverse("portal:article", args=["no-such-article"])).status_code == 404


def test_the_home_page_fits_a_phone_and_names_no_one(client, content, users, child):
    from .conftest import Visitor

    html = client.get(reverse("portal:home")).content.decode()
    assert "王小花" not in html
    Visitor(client).choose_area(areas.COUNTY)
    assert "portal-container" in client.get(reverse("portal:home")).content.decode()
