"""factory-boy factories for every model; children are created through the real service."""

import datetime
import itertools

import factory

from seedling.geo.models import Division
from seedling.registry import idnumber, services
from seedling.registry.models import Child, Person

from . import areas

_seq = itertools.count(1)


def valid_id(birth_date: datetime.date, sex: str = "M", address: str = areas.COUNTY) -> str:
    n = next(_seq) % 500
    return idnumber.make(address, birth_date, 2 * n + (1 if sex == "M" else 0))


def child_create(user, *, id_number: str | None = None, duplicate_reason: str = "test", **overrides) -> Child:
    """Register a child through child_create (the same path as the page and API)."""
    fields = {
        "name": "张小明",
        "sex": "M",
        "birth_date": datetime.date(2015, 6, 1),
        "hukou_type": "rural",
        "area": Division.objects.get(code=overrides.pop("area_code", areas.VILLAGE_A)),
        "no_id_reason": "" if id_number else "not_issued",
    }
    fields.update(overrides)
    return services.child_create(
        user=user, fields=fields, id_number=id_number or "", duplicate_reason=duplicate_reason
    )


class DivisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Division
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9900{n:08d}")
    level = "village"
    name = factory.Sequence(lambda n: f"测试{n}村委会")


class ChildFactory(factory.django.DjangoModelFactory):
    """A bare child row (no search index, no audit): for tests of reads only. Writes use child_create."""

    class Meta:
        model = Child

    name = "李华"
    sex = "F"
    birth_date = datetime.date(2014, 2, 3)
    hukou_type = "rural"
    no_id_reason = "not_issued"
    area = factory.LazyFunction(lambda: Division.objects.get(code=areas.VILLAGE_A))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    child = factory.SubFactory(ChildFactory)
    relation = "mother"
    name = "王芳"
