"""The registration form (一人一表) as a director fills it for a left-behind child: shared by page tests."""

import datetime

from seedling.registry import idnumber

from . import areas

BIRTH = datetime.date(2016, 4, 12)


def registration_form_data(**overrides) -> dict:
    """POST data of the child registration page: a girl whose parents both work away, with a carer."""
    data = {
        "name": "刘小雨",
        "id_number": idnumber.make(areas.COUNTY, BIRTH, 122),
        "no_id_reason": "",
        "sex": "",
        "birth_date": "",
        "ethnic_group": "01",
        "hukou_type": "rural",
        "area": areas.VILLAGE_A,
        "health": "healthy",
        "grade": "p4",
        "school": "履坦镇中心小学",
        "father-name": "刘大伟",
        "father-situation": "working_away",
        "father-since": "2024-02-01",
        "father-place": "杭州",
        "father-outside_county": "on",
        "father-evidence_type": "employment_proof",
        "mother-name": "陈丽",
        "mother-situation": "working_away",
        "mother-since": "2024-03-01",
        "mother-place": "上海",
        "mother-outside_county": "on",
        "mother-evidence_type": "employment_proof",
        "carer-name": "刘爷爷",
        "carer-relation": "paternal_grandfather",
        "carer-phone": "+86 138 0013 8000",
        "carer-health": "healthy",
        "carer-capacity": "full",
    }
    data.update(overrides)
    return data
