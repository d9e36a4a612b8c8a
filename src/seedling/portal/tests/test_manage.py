"""Content management: CONTENT users keep articles and the hotlines of their own areas."""

import pytest
from django.urls import reverse

from seedling.core.models import AccessLog
from seedling.portal import services
from seedling.portal.models import HelpArticle, Hotline
from seedling.testing import areas

pytestmark = pytest.mark.django_db

ARTICLE = {
    "title_zh": "和朋友吵架以后",
    "title_en": "After a fight with a friend",
    "slug": "",
    "topic": "friends",
    "audience": "children",
    "body_zh": "吵架很正常。\n\n过一会儿再说。",
    "body_en": "Fights happen.\n\nTalk later.",
    "order": "100",
}
HOTLINE = {
    "name_zh": "县心理热线",
    "name_en": "County line",
    "number": "0579-8765-4321",
    "order": "10",
    "active": "on",
}


def test_the_management_pages_are_for_content_users_only(client, users):
    for user in (users.director, users.counsellor, users.researcher):
        client.force_login(user)
        assert client.get(reverse("portal:manage")).status_code == 403
        assert client.post(reverse("portal:article_create"), ARTICLE).status_code == 403
    assert not HelpArticle.objects.exists()
    for user in (users.county_officer, users.province_officer, users.national_officer, users.admin):
        client.force_login(user)
        assert client.get(reverse("portal:manage")).status_code == 200


def test_an_article_is_written_as_a_draft_then_published_and_taken_back(client, users):
    client.force_login(users.county_officer)
    response = client.post(reverse("portal:article_create"), ARTICLE)
    assert response.status_code == 302
    article = HelpArticle.objects.get()
    assert article.slug == "after-a-fight-with-a-friend" and not article.published
    assert (
        client.get(reverse("portal:article", args=[article.slug])).status_code == 404
    )  # a draft is not public
    client.post(
        reverse("portal:article_publish", args=[article.pk]), {"version": article.version, "published": "on"}
    )
    article.refresh_from_db()
    assert article.published
    page = client.get(reverse("portal:article", args=[article.slug]))
    assert page.status_code == 200 and "过一会儿再说。" in page.content.decode()
    client.post(reverse("portal:article_publish", args=[article.pk]), {"version": article.version})
    article.refresh_from_db()
    assert not article.published
    assert AccessLog.objects.filter(object_type="portal.helparticle", action="change").count() == 2


def test_a_stale_article_edit_is_refused_with_the_latest_text(client, users):
    article = services.article_save(user=users.admin, fields=dict(ARTICLE))
    client.force_login(users.county_officer)
    edit = reverse("portal:article_edit", args=[article.pk])
    services.article_save(
        user=users.admin,
        article=article,
        fields={**ARTICLE, "title_zh": "别人改过的标题"},
        expected_version=1,
    )
    response = client.post(edit, {**ARTICLE, "version": "1", "title_zh": "我的标题"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "已被他人修改" in html and "别人改过的标题" in html
    assert HelpArticle.objects.get().title_zh == "别人改过的标题"


def test_article_input_is_checked_with_clear_messages(client, users):
    services.article_save(user=users.admin, fields={**ARTICLE, "slug": "taken"})
    client.force_login(users.admin)
    response = client.post(
        reverse("portal:article_create"), {**ARTICLE, "slug": "Bad Slug!", "body_en": "", "topic": "x"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "选择一个有效的选项" in html  # topic
    response = client.post(reverse("portal:article_create"), {**ARTICLE, "slug": "Bad Slug!"})
    assert "网址标识只能包含小写英文字母" in response.content.decode()
    response = client.post(reverse("portal:article_create"), {**ARTICLE, "slug": "taken"})
    assert "已被另一篇文章使用" in response.content.decode()


def test_article_bodies_are_shown_as_text_never_as_html(client, users, content):
    article = services.article_save(
        user=users.admin, fields={**ARTICLE, "body_zh": "<script>alert(1)</script>\n\n<b>粗体</b>"}
    )
    services.article_publish(
        user=users.admin, article=article, published=True, expected_version=article.version
    )
    html = client.get(reverse("portal:article", args=[article.slug])).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>粗体</b>" not in html


def test_a_county_officer_keeps_hotlines_of_the_county_and_below_only(client, users, content):
    client.force_login(users.county_officer)
    ok = client.post(reverse("portal:hotline_create"), {**HOTLINE, "area": areas.TOWNSHIP})
    assert ok.status_code == 302
    assert Hotline.objects.get(name_zh="县心理热线").area_id == areas.TOWNSHIP
    for area, message in (
        (areas.OTHER_COUNTY, "您只能设置本辖区及下级区域的热线。"),
        (areas.CITY, "您只能设置本辖区及下级区域的热线。"),
        ("", "全国热线只能由国家级民政干部或系统管理员设置"),
        ("999999", "区划代码 999999 不存在。"),
    ):
        response = client.post(reverse("portal:hotline_create"), {**HOTLINE, "name_zh": "别处", "area": area})
        assert response.status_code == 400 and message in response.content.decode()
    assert not Hotline.objects.filter(name_zh="别处").exists()
    listing = client.get(reverse("portal:manage")).content.decode()
    assert "县心理热线" in listing and 'id="hotlines-above"' in listing
    national = Hotline.objects.get(number="12355")
    assert client.get(reverse("portal:hotline_edit", args=[national.pk])).status_code == 404
    province_line = Hotline.objects.get(number="12356")
    assert client.post(reverse("portal:hotline_edit", args=[province_line.pk]), HOTLINE).status_code == 404


def test_nationwide_hotlines_are_kept_by_national_officers_and_administrators(client, users, content):
    national = Hotline.objects.get(number="12355")
    for user in (users.national_officer, users.admin):
        client.force_login(user)
        response = client.post(
            reverse("portal:hotline_edit", args=[national.pk]),
            {**HOTLINE, "version": national.version, "number": "12355", "area": ""},
        )
        assert response.status_code == 302
        national.refresh_from_db()
        assert national.area_id is None and national.name_zh == "县心理热线"


def test_a_hotline_number_must_be_digits_and_dashes(client, users):
    client.force_login(users.county_officer)
    for number in ("12", "phone-110", "0579 8765 4321", "-12355", "1" * 21):
        response = client.post(
            reverse("portal:hotline_create"), {**HOTLINE, "area": areas.COUNTY, "number": number}
        )
        assert response.status_code == 400, number
        assert "号码只能包含数字和短横线（-），长度 3 到 20 位" in response.content.decode()
    assert not Hotline.objects.exists()


def test_a_stale_hotline_edit_is_refused(client, users, content):
    line = Hotline.objects.get(number="12338")
    client.force_login(users.county_officer)
    url = reverse("portal:hotline_edit", args=[line.pk])
    fields = {**HOTLINE, "area": areas.COUNTY, "number": "12338"}
    assert client.post(url, {**fields, "version": line.version}).status_code == 302
    response = client.post(url, {**fields, "version": line.version, "name_zh": "晚到的修改"})
    assert response.status_code == 400 and "已被他人修改" in response.content.decode()
    assert not Hotline.objects.filter(name_zh="晚到的修改").exists()


def test_an_inactive_hotline_is_not_shown_on_the_portal(client, users, content):
    line = Hotline.objects.get(number="12338")
    services.hotline_save(
        user=users.county_officer,
        hotline=line,
        area_code=areas.COUNTY,
        fields={**HOTLINE, "number": "12338", "active": False},
        expected_version=line.version,
    )
    client.post(reverse("portal:area"), {"county": areas.COUNTY})
    assert 'href="tel:12338"' not in client.get(reverse("portal:home")).content.decode()
