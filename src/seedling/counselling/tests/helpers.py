"""Helpers of the counselling tests: make counsellors and users, create requests."""

from seedling.counselling import services
from seedling.counselling.models import Counsellor
from seedling.geo.models import Division
from seedling.testing import areas as test_areas
from seedling.testing.scenario import make_user


def new_user(username, role, area):
    return make_user(username, role, area, username)


def make_counsellor(
    user, *, areas=(test_areas.TOWNSHIP,), languages=",zh,", capacity=20, supervisor=None, **kw
):
    counsellor = Counsellor.objects.create(
        user=user,
        qualification=kw.pop("qualification", "school_teacher"),
        languages=languages,
        home_area=Division.objects.get(code=kw.pop("home_area", test_areas.COUNTY)),
        capacity=capacity,
        supervisor=supervisor,
        **kw,
    )
    counsellor.areas.set(Division.objects.filter(code__in=list(areas)))
    return counsellor


def portal_request(area=test_areas.VILLAGE_A, **fields):
    values = {"source": "portal", "area": area, "message": "最近睡不好，想找人聊聊", "contact_name": "小雨"}
    values.update(fields)
    return services.help_request_create(**values)
