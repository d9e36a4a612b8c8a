"""Transfers: a child moves, the receiving side accepts (the file moves with the area scope) or declines."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from seedling.cases import selectors, services
from seedling.cases.models import Case, TransferRequest
from seedling.core.models import AccessLog
from seedling.geo.models import Division
from seedling.inbox import selectors as inbox_selectors
from seedling.inbox.models import Task
from seedling.registry import selectors as registry_selectors
from seedling.registry.models import SearchToken
from seedling.testing import areas

from .helpers import active_case, new_user

pytestmark = pytest.mark.django_db


def village(code):
    return Division.objects.get(code=code)


def request_move(users, child, to=areas.VILLAGE_B):
    return services.transfer_request(
        user=users.director, child=child, to_area=village(to), reason="随父母搬迁"
    )


def sees_file(user, child) -> bool:
    return registry_selectors.child_list(user=user).filter(pk=child.pk).exists()


def test_a_request_reaches_the_destination_director_who_sees_only_the_request(users, child):
    transfer = request_move(users, child)
    tasks = inbox_selectors.task_list(user=users.director_b, kind="case_transfer")
    assert [t.key for t in tasks] == [f"case_transfer:{transfer.pk}"]
    assert list(selectors.transfer_incoming(user=users.director_b)) == [transfer]
    assert list(selectors.transfer_outgoing(user=users.director)) == [transfer]
    assert not sees_file(users.director_b, child)  # not the file before accepting
    selectors.transfer_open(user=users.director_b, pk=transfer.pk)
    assert AccessLog.objects.filter(
        action="view", object_type="cases.transferrequest", user=users.director_b
    ).exists()
    with pytest.raises(Http404):
        selectors.transfer_get(user=users.director_other_county, pk=transfer.pk)


def test_accepted_transfer_moves_the_child_and_its_access(users, child):
    assert sees_file(users.director, child) and not sees_file(users.director_b, child)
    transfer = request_move(users, child)
    services.transfer_decide(user=users.director_b, transfer=transfer, decision="accepted")
    child.refresh_from_db()
    assert child.area_id == areas.VILLAGE_B
    assert child.director == users.director_b  # the new village's director is responsible now
    # The director of the old village loses access; the director of the new village gains it.
    assert not sees_file(users.director, child)
    assert sees_file(users.director_b, child)
    with pytest.raises(Http404):
        registry_selectors.child_get(user=users.director, uuid=child.uuid)
    # Search keys moved with the file.
    assert set(SearchToken.objects.filter(child=child).values_list("area_code", flat=True)) == {
        areas.VILLAGE_B
    }
    # The move is logged with where from, where to and the transfer.
    moved = AccessLog.objects.get(action="change", object_type="registry.child", detail__transfer=transfer.pk)
    assert moved.detail["moved_from"] == areas.VILLAGE_A and moved.detail["moved_to"] == areas.VILLAGE_B
    assert moved.user == users.director_b
    assert not Task.objects.filter(key=f"case_transfer:{transfer.pk}", status="open").exists()
    assert users.director.notifications.filter(title__contains="已接收").exists()
    # The sending side still sees its outgoing request, not the file.
    assert list(selectors.transfer_outgoing(user=users.director)) == [transfer]


def test_declined_transfer_keeps_the_child_and_needs_a_reason(users, child):
    transfer = request_move(users, child)
    with pytest.raises(ValidationError) as excinfo:
        services.transfer_decide(user=users.director_b, transfer=transfer, decision="declined", comment="")
    assert "comment" in excinfo.value.message_dict
    services.transfer_decide(
        user=users.director_b, transfer=transfer, decision="declined", comment="查无此户"
    )
    child.refresh_from_db()
    assert child.area_id == areas.VILLAGE_A
    assert sees_file(users.director, child) and not sees_file(users.director_b, child)
    assert TransferRequest.objects.get(pk=transfer.pk).status == "declined"


def test_only_the_receiving_side_decides(users, child):
    transfer = request_move(users, child)
    for outsider in (users.director, users.director_other_county, users.social_worker):
        with pytest.raises(PermissionDenied):
            services.transfer_decide(user=outsider, transfer=transfer, decision="accepted")
    services.transfer_decide(
        user=users.supervisor, transfer=transfer, decision="accepted"
    )  # destination's supervisor


def test_a_request_needs_change_rights_a_village_and_a_reason(users, child):
    with pytest.raises(PermissionDenied):
        services.transfer_request(
            user=users.social_worker, child=child, to_area=village(areas.VILLAGE_B), reason="搬家"
        )
    with pytest.raises(ValidationError) as excinfo:
        services.transfer_request(
            user=users.director, child=child, to_area=village(areas.TOWNSHIP), reason=""
        )
    assert {"to_area", "reason"} <= set(excinfo.value.message_dict)
    request_move(users, child)
    with pytest.raises(ValidationError) as excinfo:
        request_move(users, child, to=areas.OTHER_TOWNSHIP_VILLAGE)
    assert "child" in excinfo.value.message_dict


def test_open_cases_follow_the_child_and_wait_for_the_receiving_supervisor(users, child):
    case = active_case(users, child)  # worker: the township's social worker
    other_supervisor = new_user(
        "supervisor_liucheng", "township_supervisor", areas.OTHER_TOWNSHIP_VILLAGE[:9]
    )
    new_director = new_user("director_liucheng", "village_director", areas.OTHER_TOWNSHIP_VILLAGE)
    transfer = request_move(users, child, to=areas.OTHER_TOWNSHIP_VILLAGE)
    services.transfer_decide(user=new_director, transfer=transfer, decision="accepted")
    case.refresh_from_db()
    # The old township's social worker cannot work there: the case waits unassigned for the new supervisor.
    assert case.worker is None
    assert not selectors.case_list(user=users.social_worker).exists()
    assert list(selectors.case_list(user=other_supervisor)) == [case]
    assert inbox_selectors.task_list(user=other_supervisor, kind="case_unassigned").count() == 1
    assert not Task.objects.filter(
        key__startswith=f"case_action:{case.pk}:", status="open", assignee=users.social_worker
    ).exists()
    services.case_assign(user=other_supervisor, case=case, worker=new_director, expected_version=case.version)
    assert not inbox_selectors.task_list(user=other_supervisor, kind="case_unassigned").exists()


def test_the_acceptor_may_hand_open_cases_to_a_receiving_worker(users, child):
    case = active_case(users, child)
    new_director = new_user("director_liucheng", "village_director", areas.OTHER_TOWNSHIP_VILLAGE)
    transfer = request_move(users, child, to=areas.OTHER_TOWNSHIP_VILLAGE)
    with pytest.raises(ValidationError) as excinfo:  # a worker of the sending side is refused
        services.transfer_decide(
            user=new_director, transfer=transfer, decision="accepted", worker=users.social_worker
        )
    assert "worker" in excinfo.value.message_dict
    services.transfer_decide(user=new_director, transfer=transfer, decision="accepted", worker=new_director)
    assert Case.objects.get(pk=case.pk).worker == new_director


def test_a_pending_approval_moves_to_the_new_areas_supervisor(users, child):
    from .helpers import draft_plan, open_case

    case = draft_plan(users.social_worker, open_case(users.social_worker, child))
    approval = services.plan_approval_request(user=users.social_worker, case=case)
    other_supervisor = new_user(
        "supervisor_liucheng", "township_supervisor", areas.OTHER_TOWNSHIP_VILLAGE[:9]
    )
    transfer = request_move(users, child, to=areas.OTHER_TOWNSHIP_VILLAGE)
    services.transfer_decide(user=other_supervisor, transfer=transfer, decision="accepted")
    assert not inbox_selectors.task_list(user=users.supervisor, kind="case_approval").exists()
    assert [t.key for t in inbox_selectors.task_list(user=other_supervisor, kind="case_approval")] == [
        f"case_approval:{approval.pk}"
    ]


def test_the_requester_may_withdraw(users, child):
    transfer = request_move(users, child)
    services.transfer_cancel(user=users.director, transfer=transfer)
    assert TransferRequest.objects.get(pk=transfer.pk).status == "cancelled"
    assert not inbox_selectors.task_list(user=users.director_b, kind="case_transfer").exists()
    with pytest.raises(ValidationError):
        services.transfer_decide(user=users.director_b, transfer=transfer, decision="accepted")
