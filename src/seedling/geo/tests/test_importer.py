"""Division codes: the bundled 2023 edition, and a newer edition that renames, adds and retires codes."""

import csv
import gzip

import pytest
from django.core.management import CommandError, call_command

from seedling.geo.importer import BUNDLED, DivisionFileError, divisions_import, urban_rural
from seedling.geo.models import Division
from seedling.registry.models import Child
from seedling.testing import areas
from seedling.testing.factories import child_create

pytestmark = pytest.mark.django_db


def test_bundled_edition_has_every_level_with_parents_and_pinyin():
    county = Division.objects.get(code=areas.COUNTY)
    assert county.name == "武义县" and county.level == "county" and county.parent_id == areas.CITY
    assert county.pinyin == "wu yi xian"
    village = Division.objects.get(code=areas.VILLAGE_A)
    assert village.parent_id == areas.TOWNSHIP and village.urban_rural == "rural"
    assert village.full_code == areas.VILLAGE_A
    assert Division.objects.filter(level="province").count() == 31
    assert Division.objects.filter(level="county").count() == 2978
    assert Division.objects.filter(level="township").count() == 41352


@pytest.mark.parametrize(
    "name,kind",
    [
        ("寺后村委会", "rural"),
        ("某某村民委员会", "rural"),
        ("星光社区居委会", "urban"),
        ("某某居民委员会", "urban"),
        ("某某社区", "urban"),
        ("某某虚拟社区", "urban"),
        ("某某管理区", "other"),
    ],
)
def test_urban_rural_from_the_village_name(name, kind):
    assert urban_rural("village", name) == kind


def _write_edition(tmp_path, *, drop: set[str], rename: dict[str, str], add: list[tuple]):
    """A newer edition: the bundled files with some villages dropped, renamed or added."""
    for _level, filename, _parent in [
        ("", f, "") for f in ("provinces.csv.gz", "cities.csv.gz", "areas.csv.gz", "streets.csv.gz")
    ]:
        (tmp_path / filename).write_bytes((BUNDLED / filename).read_bytes())
    with (
        gzip.open(BUNDLED / "villages.csv.gz", "rt", encoding="utf-8") as src,
        gzip.open(tmp_path / "villages.csv.gz", "wt", encoding="utf-8", newline="") as dst,
    ):
        reader, writer = csv.DictReader(src), None
        for row in reader:
            if writer is None:
                writer = csv.DictWriter(dst, fieldnames=reader.fieldnames)
                writer.writeheader()
            if not row["code"].startswith(areas.COUNTY) or row["code"] in drop:
                continue
            row["name"] = rename.get(row["code"], row["name"])
            writer.writerow(row)
        for code, name in add:
            writer.writerow(
                {
                    "code": code,
                    "name": name,
                    "streetCode": code[:9],
                    "provinceCode": code[:2],
                    "cityCode": code[:4],
                    "areaCode": code[:6],
                }
            )


def test_newer_edition_retires_missing_codes_without_deleting_them(tmp_path, users):
    child = child_create(users.director_b, name="李四", area_code=areas.VILLAGE_B)
    _write_edition(
        tmp_path,
        drop={areas.VILLAGE_B},
        rename={areas.VILLAGE_A: "寺后新村村委会"},
        add=[("330723101999", "新设村村委会")],
    )
    report = divisions_import(directory=tmp_path, edition=2024, village_prefixes=[areas.COUNTY])
    assert (
        report.retired["village"] == 1 and report.created["village"] == 1 and report.updated["village"] == 1
    )
    retired = Division.objects.get(code=areas.VILLAGE_B)
    assert retired.retired_in == 2024 and not retired.is_active
    assert Child.objects.get(pk=child.pk).area_id == areas.VILLAGE_B  # the child's record still points at it
    assert Division.objects.get(code=areas.VILLAGE_A).name == "寺后新村村委会"
    assert Division.objects.get(code="330723101999").edition == 2024
    # Villages outside the imported prefixes are untouched.
    assert Division.objects.get(code=areas.OTHER_COUNTY_VILLAGE).retired_in is None
    # Importing the same edition again changes nothing.
    again = divisions_import(directory=tmp_path, edition=2024, village_prefixes=[areas.COUNTY])
    assert sum(again.created.values()) == sum(again.updated.values()) == sum(again.retired.values()) == 0


def test_a_code_that_comes_back_is_active_again(tmp_path):
    _write_edition(tmp_path, drop={areas.VILLAGE_B}, rename={}, add=[])
    divisions_import(directory=tmp_path, edition=2024, village_prefixes=[areas.COUNTY])
    divisions_import(edition=2023, village_prefixes=[areas.COUNTY])
    assert Division.objects.get(code=areas.VILLAGE_B).retired_in is None


def test_a_broken_file_is_refused_with_the_line(tmp_path):
    (tmp_path / "provinces.csv").write_text("code,name\n11,北京市\n1x,坏行\n", encoding="utf-8")
    with pytest.raises(DivisionFileError, match="line 3"):
        divisions_import(directory=tmp_path, levels=["province"])
    with pytest.raises(CommandError):
        call_command("divisions_import", "--dir", str(tmp_path / "missing"))
