"""Demo research data (研究数据演示): the researcher's project, and self-checks to count when there are none.

The demo researcher (卫研究员, province 33) gets one project. When the demo province has no PHQ-A
responses yet (the screening demo may bring its own), some eighty anonymous self-checks are added
in the two demo counties of Zhejiang, answered through assessments.services.response_submit like the
portal's self-check, spread over the past year: enough for the tables to show counts, suppressed
small cells and a county small enough to be pooled in the export. Idempotent.
"""

import datetime
import random

from django.db import transaction

from seedling.accounts.models import User
from seedling.assessments import services as assessments
from seedling.assessments.models import Questionnaire, Response
from seedling.core import clock
from seedling.geo.models import Division

from .models import ResearchProject
from .selectors import response_area_q

PROJECT_TITLE = "留守儿童抑郁情绪筛查二次分析（演示）"
# (area of the self-check, how many): the second county is small on purpose.
SELF_CHECKS = [("330723101", 56), ("330723100", 18), ("331081100", 4)]


def _answers(rng: random.Random) -> dict:
    # Most children answer low; a few high, so every band appears.
    level = rng.choices([0, 1, 2], weights=[6, 3, 1])[0]
    data = {
        f"item_{i}": str(min(3, max(0, rng.choice([level - 1, level, level, level + 1]))))
        for i in range(1, 10)
    }
    data["item_10"] = rng.choice(["0", "1"])
    return data


@transaction.atomic
def demo_ensure(*, seed: int = 3) -> dict:
    """The researcher's demo project and, if the province has no PHQ-A responses, demo self-checks."""
    created = {"projects": 0, "responses": 0}
    researcher = User.objects.filter(username="researcher").first()
    if researcher is not None:
        _project, made = ResearchProject.objects.get_or_create(owner=researcher, title=PROJECT_TITLE)
        created["projects"] = int(made)
    assessments.instruments_builtin_load()
    questionnaire = Questionnaire.objects.filter(instrument__code="phq-a").first()
    if questionnaire is None:
        return created
    has_data = Response.objects.filter(response_area_q("33"), instrument_version__instrument__code="phq-a")
    if has_data.exists():
        return created
    version = questionnaire.current_version()
    rng = random.Random(seed)
    now = clock.now()
    for area_code, n in SELF_CHECKS:
        area = Division.objects.filter(code=area_code).first()
        if area is None:
            continue
        for _i in range(n):
            response = assessments.response_submit(version=version, data=_answers(rng), language="zh-hans")
            submitted = now - datetime.timedelta(days=rng.randint(0, 360), minutes=rng.randint(0, 1440))
            Response.objects.filter(pk=response.pk).update(anonymous=True, area=area, submitted_at=submitted)
            created["responses"] += 1
    return created
