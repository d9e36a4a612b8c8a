"""Import jobs (导入任务): upload a roster, check it in the background, then import it at once or not at all.

Large files take minutes, longer than a request may run: the dry run and the commit are background
tasks (exchange.tasks, django-tasks' database backend) and the page polls their progress. Progress
goes to a small file next to the upload rather than the database: the commit's own transaction
would hide a database row until it ends, and on SQLite would block a second writer.
"""

import contextlib
import json
import os
import time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from seedling.accounts.roles import Action
from seedling.core.request_context import current_request
from seedling.core.scope import collapse_prefixes

from .importer import roster_check, roster_import
from .models import ImportJob
from .readers import RosterError, detect_format

_PROGRESS_EVERY = 0.5  # seconds between progress-file writes


def max_upload_bytes() -> int:
    """The largest roster accepted, from settings.SEEDLING_IMPORT_MAX_MB (default 200 MB)."""
    return int(getattr(settings, "SEEDLING_IMPORT_MAX_MB", 200)) * 1024 * 1024


def _require_add(user) -> list[str]:
    prefixes = collapse_prefixes(user.area_prefixes(Action.ADD)) if user.is_authenticated else []
    if not prefixes:
        raise PermissionDenied(_("您没有登记儿童的权限，不能导入。"))
    return prefixes


def _check_upload(upload) -> None:
    name = (upload.name or "").lower()
    if name.endswith(".xls"):
        raise ValidationError(
            {"file": _("不支持旧版 Excel（.xls）文件：请在 Excel 中“另存为” .xlsx 或 CSV 后再上传。")}
        )
    if not name.endswith((".xlsx", ".csv", ".txt")):
        raise ValidationError({"file": _("只能导入 .xlsx 或 .csv 文件。")})
    if not upload.size:
        raise ValidationError({"file": _("文件是空的。")})
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            {
                "file": _("文件大小超过 %(n)d MB 的上限：请拆分成几个文件分别导入。")
                % {"n": limit // (1024 * 1024)}
            }
        )


@transaction.atomic
def import_job_create(*, user, upload, language: str = "") -> ImportJob:
    """Keep an uploaded roster (MEDIA_ROOT/imports/, never served) and start its dry run.

    Needs the right to register children (the ADD action) somewhere; every row is later checked
    against the user's own areas.
    """
    prefixes = _require_add(user)
    _check_upload(upload)
    info = current_request.get()
    job = ImportJob(
        user=user,
        area_codes=",".join(prefixes)[:200],
        original_name=os.path.basename(upload.name or "")[:255],
        size=upload.size,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        client_ip=info.ip if info else None,
    )
    job.file.save(job.original_name, upload, save=False)
    try:
        job.file_format = detect_format(job.file.path, job.original_name)
    except RosterError as exc:
        job.file.delete(save=False)
        raise ValidationError({"file": str(exc)}) from None
    job.save()
    from .tasks import import_check_task

    transaction.on_commit(lambda: import_check_task.enqueue(str(job.uuid)))
    return job


def _progress_path(job: ImportJob) -> str:
    return default_storage.path(f"imports/{job.uuid}.progress")


def _progress_writer(job: ImportJob, stage: str):
    path = _progress_path(job)
    last = 0.0

    def write(rows: int, fraction: float) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last < _PROGRESS_EVERY and fraction < 1.0:
            return
        last = now
        temporary = f"{path}.tmp"
        with open(temporary, "w") as handle:
            json.dump({"stage": stage, "rows": rows, "percent": int(fraction * 100)}, handle)
        os.replace(temporary, path)

    return write


def import_job_progress(*, job: ImportJob) -> dict:
    """How far a running job has got: {"stage", "rows", "percent"} (from its progress file)."""
    if not job.running:
        return {"stage": job.status, "rows": job.rows, "percent": 100}
    try:
        with open(_progress_path(job)) as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return {"stage": job.status, "rows": 0, "percent": 0}


def _problems_name(job: ImportJob) -> str:
    return f"imports/{job.uuid}-problems.csv"


def _finish(job: ImportJob, result, status: str) -> None:
    job.rows, job.errors, job.warnings = result.rows, result.errors, result.warnings
    job.message = result.message[:500]
    job.result = result.as_json()
    job.problems_file.name = _problems_name(job)
    job.progress = 100
    job.status = status
    with contextlib.suppress(OSError):
        os.remove(_progress_path(job))


def import_job_check(*, job: ImportJob) -> ImportJob:
    """The dry run (试导入) of an uploaded roster: every problem by row, column and message."""
    job.status, job.progress = ImportJob.Status.CHECKING, 0
    job.save(update_fields=["status", "progress", "updated_at"])
    with translation.override(job.language):
        result = roster_check(
            user=job.user,
            path=job.file.path,
            filename=job.original_name,
            progress=_progress_writer(job, "checking"),
            problems_path=default_storage.path(_problems_name(job)),
        )
    _finish(job, result, ImportJob.Status.CHECKED)
    job.checked_at = timezone.now()
    job.save()
    return job


@transaction.atomic
def import_job_commit_request(*, user, job: ImportJob, reason: str = "") -> ImportJob:
    """Ask for a checked roster to be imported; possible duplicates need a reason, as on the form."""
    _require_add(user)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.user_id != user.pk:
        raise PermissionDenied
    if not job.may_commit:
        if job.status == ImportJob.Status.IMPORTED:
            raise ValidationError(_("该文件已导入，不能重复导入。"))
        if job.running:
            raise ValidationError(_("该文件正在处理中，请稍候。"))
        raise ValidationError(_("文件检查出错误，不能导入：请修改文件后重新上传。"))
    reason = (reason or "").strip()
    if job.warnings and len(reason) < 2:
        raise ValidationError({"reason": _("有疑似重复的儿童：请逐一核对，确认不是同一人后填写理由。")})
    job.status, job.progress, job.reason = ImportJob.Status.IMPORTING, 0, reason[:300]
    job.save(update_fields=["status", "progress", "reason", "updated_at"])
    from .tasks import import_commit_task

    transaction.on_commit(lambda: import_commit_task.enqueue(str(job.uuid)))
    return job


def import_job_commit(*, job: ImportJob) -> ImportJob:
    """Import a checked roster: every row checked again and saved in one transaction, or none."""
    with translation.override(job.language):
        result = roster_import(
            user=job.user,
            path=job.file.path,
            filename=job.original_name,
            reason=job.reason,
            progress=_progress_writer(job, "importing"),
            problems_path=default_storage.path(_problems_name(job)),
            source={"ip": job.client_ip, "path": f"/exchange/import/{job.uuid}/", "job": str(job.uuid)},
        )
    _finish(job, result, ImportJob.Status.IMPORTED if result.committed else ImportJob.Status.FAILED)
    job.imported = result.imported
    job.finished_at = timezone.now()
    if result.committed:
        # The children are in the register now: the uploaded copy of their data is not kept.
        job.file.delete(save=False)
    job.save()
    return job
