"""Visit attachments: only photos and PDFs within the size limit, stored under the media root, served
only through the scoped view and logged."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from seedling.core.models import AccessLog
from seedling.fieldwork import services
from seedling.fieldwork.models import VisitAttachment

from .conftest import left_behind_confirmed, visit

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 500
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"0" * 500


@pytest.fixture
def a_visit(users):
    return visit(users.director, left_behind_confirmed(users.director))


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_photo_is_stored_under_the_childs_folder_with_a_random_name(users, a_visit):
    attachment = services.attachment_add(
        user=users.director, visit=a_visit, upload=upload("王小明家.jpg", JPEG)
    )
    assert attachment.content_type == "image/jpeg" and attachment.size == len(JPEG)
    assert attachment.original_name == "王小明家.jpg"
    stored = attachment.file.path
    assert stored.startswith(str(settings.MEDIA_ROOT / "visits" / str(a_visit.child_id)))
    assert "王小明" not in stored  # the name on disk carries no personal data
    assert Path(stored).read_bytes() == JPEG
    assert AccessLog.objects.filter(action="create", object_type="fieldwork.visitattachment").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00" + b"\0" * 100, "只能上传 JPG、PNG、WebP 图片或 PDF 文件"),
        ("page.html", b"<html><script>alert(1)</script>", "只能上传"),
        ("photo.jpg", b"<html><script>alert(1)</script>", "内容与扩展名不符"),
    ],
)
def test_other_types_are_refused_with_a_clear_message(users, a_visit, name, content, message):
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(user=users.director, visit=a_visit, upload=upload(name, content))
    assert message in exc.value.message_dict["file"][0]
    assert not VisitAttachment.objects.exists()


def test_a_file_over_the_size_limit_is_refused(users, a_visit, settings):
    settings.SEEDLING_ATTACHMENT_MAX_MB = 0.0004  # about 420 bytes
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(user=users.director, visit=a_visit, upload=upload("scan.pdf", PDF))
    assert "过大" in exc.value.message_dict["file"][0] and "MB" in exc.value.message_dict["file"][0]
    assert not VisitAttachment.objects.exists()


def test_download_is_scoped_and_logged(client, users, a_visit):
    attachment = services.attachment_add(user=users.director, visit=a_visit, upload=upload("协议.pdf", PDF))
    url = reverse("fieldwork:attachment_download", kwargs={"pk": attachment.pk})
    client.force_login(users.director_b)
    assert client.get(url).status_code == 404
    assert not AccessLog.objects.filter(object_type="fieldwork.visitattachment", action="view").exists()
    client.force_login(users.supervisor)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]  # a document is downloaded, not rendered
    log = AccessLog.objects.get(object_type="fieldwork.visitattachment", action="view")
    assert (log.user, log.child_id) == (users.supervisor, a_visit.child_id)


def test_media_url_does_not_serve_attachments(client, users, a_visit):
    attachment = services.attachment_add(user=users.director, visit=a_visit, upload=upload("a.jpg", JPEG))
    client.force_login(users.director)
    assert client.get(settings.MEDIA_URL + attachment.file.name).status_code == 404


def test_upload_from_the_page_shows_the_reason_of_a_refusal(client, users, a_visit):
    client.force_login(users.director)
    url = reverse("fieldwork:attachment_add", kwargs={"pk": a_visit.pk})
    response = client.post(url, {"file": upload("notes.txt", b"hello")}, follow=True)
    assert "只能上传 JPG、PNG、WebP 图片或 PDF 文件" in response.content.decode()
    response = client.post(url, {"file": upload("家访.jpg", JPEG, "image/jpeg")}, follow=True)
    assert "家访.jpg" in response.content.decode()
    assert VisitAttachment.objects.count() == 1
    client.force_login(users.director_b)
    assert client.post(url, {"file": upload("b.jpg", JPEG)}).status_code == 404
