"""Background jobs of imports (django-tasks, database backend): a large roster outlives a request."""

from contextlib import contextmanager

from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import ImportJob


@contextmanager
def _failure_recorded(job: ImportJob):
    """An unexpected error ends the job as failed (the page stops waiting); the task still fails."""
    try:
        yield
    except Exception:
        with translation.override(job.language):
            message = _("处理中断（系统错误），未导入任何儿童：请稍后重新上传，或联系管理员。")
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, progress=100, message=message
        )
        raise


def _job(job_uuid: str) -> ImportJob | None:
    return ImportJob.objects.select_related("user").filter(uuid=job_uuid).first()


@task()
def import_check_task(job_uuid: str) -> dict:
    """Dry run of an uploaded roster (exchange.services.import_job_check)."""
    from .services import import_job_check

    job = _job(job_uuid)
    if job is None or job.status not in (ImportJob.Status.UPLOADED, ImportJob.Status.CHECKING):
        return {"skipped": True}
    with _failure_recorded(job):
        job = import_job_check(job=job)
    return {"rows": job.rows, "errors": job.errors, "warnings": job.warnings}


@task()
def import_commit_task(job_uuid: str) -> dict:
    """Import a checked roster in one transaction (exchange.services.import_job_commit)."""
    from .services import import_job_commit

    job = _job(job_uuid)
    if job is None or job.status != ImportJob.Status.IMPORTING:
        return {"skipped": True}
    with _failure_recorded(job):
        job = import_job_commit(job=job)
    return {"imported": job.imported, "status": job.status}
