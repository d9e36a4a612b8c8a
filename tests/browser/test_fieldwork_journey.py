"""Field work, mandatory reports and cases, in a real browser on a 360-px phone (issue 3, section 6).

A director's visit finds a left-behind child living alone: the mandatory report reaches the township
supervisor and the police station (which sees the minimum of the file and never the reporter); a
social worker opens a case and the supervisor approves its plan; weeks later, when the next visit is
overdue past the grace period, the child shows on the supervisor's work list and inbox.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from seedling.testing.scenario import PASSWORD

pytestmark = [pytest.mark.browser]

NAME = "周小雨"
FATHER, MOTHER, CARER = "周建平", "吴秀英", "周奶奶"
PHONE_WIDTH = 360


def sign_in(page, base_url, username):
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.fill('input[name="login"]', username)
    page.fill('input[name="password"]', PASSWORD)
    page.locator('form button[type="submit"]').last.click()
    page.wait_for_url(re.compile(r".*/$"))
    expect(page.locator("h1")).to_contain_text("我的工作")


def nav(page, name):
    """Follow a main-navigation link the way a phone user does: open the collapsed menu first."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        expect(page.locator("#mainnav")).to_be_visible()
    page.locator("#mainnav").get_by_role("link", name=re.compile(f"^{name}")).first.click()


def fits_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width}px wide on a {PHONE_WIDTH}px phone"


def left_behind_child(director):
    """Registered and confirmed through the services: both parents work away, a grandmother cares."""
    from seedling.core import clock
    from seedling.registry import categories
    from seedling.registry import services as registry
    from seedling.testing.factories import child_create

    child = child_create(director, name=NAME, sex="F", birth_date=datetime.date(2014, 3, 10))
    since = clock.today() - datetime.timedelta(days=300)
    for relation, name in (("father", FATHER), ("mother", MOTHER)):
        person = registry.person_create(
            user=director, child=child, fields={"relation": relation, "name": name}
        )
        registry.situation_add(
            user=director,
            person=person,
            fields={"kind": "working_away", "started_on": since, "place": "杭州市", "outside_county": True},
        )
    registry.person_create(
        user=director,
        child=child,
        fields={"relation": "paternal_grandmother", "name": CARER, "is_delegated_carer": True},
    )
    proposal = child.categoryproposals.get(category="left_behind_both", status="pending")
    categories.proposal_confirm(user=director, proposal=proposal)
    return child


def test_visit_report_case_and_overdue_escalation(live_site, tx_users, phone, settings, clock):
    from seedling.fieldwork import alerts
    from seedling.fieldwork.tasks import visit_statuses_refresh
    from seedling.protection.demo import report_contacts_demo_ensure

    settings.SEEDLING_MFA_REQUIRED_ABOVE = "none"  # MFA has its own browser test
    base, page = live_site.url, phone
    report_contacts_demo_ensure()  # the township police station, its duty officer `police`
    child = left_behind_child(tx_users.director)
    file_url = f"{base}/children/{child.uuid}/"

    # --- 1. The director finds the child on the work list and records a visit: child living alone.
    sign_in(page, base, "director")
    nav(page, "走访")
    row = page.locator(f'.worklist-row[data-child="{child.uuid}"]')
    expect(row).to_contain_text(NAME)
    expect(row).to_contain_text("从未走访")
    fits_phone(page)
    row.get_by_role("link", name=NAME).click()
    expect(page.locator("h1")).to_contain_text(NAME)
    visits = page.get_by_role("region", name="走访")
    expect(visits.locator(".next-due")).to_be_visible()
    fits_phone(page)
    visits.get_by_role("link", name="记录走访").click()
    expect(page.locator("h1")).to_contain_text("记录走访")
    page.get_by_label("儿童本人").check()
    page.fill("#id_guardianship", "祖母住院两周，孩子一人在家，无人照料。")
    page.fill("#id_schooling", "正常上学。")
    page.get_by_label("儿童独自居住").check()
    page.fill("#id_risk_notes", "晚上一人在家，门锁损坏。")
    page.fill("#id_actions", "已联系派出所和乡镇督导员，暂由邻居照看。")
    fits_phone(page)
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-warning")).to_contain_text("请立即向公安机关报告")
    expect(page.locator("body")).to_contain_text("儿童独自居住")
    fits_phone(page)

    # The file shows the visit with its risk and the next visit date, now sooner (high risk).
    page.goto(file_url)
    visits = page.get_by_role("region", name="走访")
    expect(visits).to_contain_text("儿童独自居住")
    next_due = datetime.date.fromisoformat(visits.locator(".next-due").inner_text().strip())
    assert next_due > clock.today()

    # --- 2. The mandatory report is on the supervisor's list...
    sign_in(page, base, "supervisor")
    nav(page, "强制报告")
    expect(page.locator("h1")).to_contain_text("强制报告")
    report = page.locator("#reports .report").filter(has_text=NAME)
    expect(report).to_have_count(1)
    expect(report).to_contain_text("留守儿童独自居住")
    expect(report).to_have_attribute("data-status", "reported")
    expect(report).to_contain_text("已报告，待接报")
    fits_phone(page)
    report.get_by_role("link").first.click()
    expect(page.locator("#situation")).to_have_text("留守儿童独自居住")
    expect(page.locator(".routing[data-kind='police']")).to_contain_text("履坦派出所")
    report_url = page.url
    fits_phone(page)

    # ...and on the police station's list, with the minimum of the child's file, the reporter hidden.
    sign_in(page, base, "police")
    nav(page, "强制报告")
    report = page.locator("#reports .report").filter(has_text=NAME)
    expect(report).to_have_count(1)
    expect(report).to_contain_text("留守儿童独自居住")
    fits_phone(page)
    report.get_by_role("link").first.click()
    assert page.url == report_url
    expect(page.locator("#child-name")).to_have_text(NAME)
    expect(page.locator("#child-name a")).to_have_count(0)  # no link into the child's file
    expect(page.locator("body")).to_contain_text("仅显示处置所需的最少信息")
    expect(page.locator("#situation")).to_have_text("留守儿童独自居住")
    expect(page.locator("#reporter")).to_have_text("保密")
    body = page.locator("main").inner_text()
    for hidden in (tx_users.director.full_name, "director", FATHER, MOTHER, CARER):
        assert hidden not in body, f"the police see {hidden!r}"
    expect(page.locator("#police-ack")).to_be_visible()  # the police can acknowledge it
    fits_phone(page)
    assert page.goto(file_url).status == 404  # the file itself stays closed to them

    # --- 3. The social worker opens a case and drafts a plan.
    sign_in(page, base, "social_worker")
    nav(page, "儿童档案")
    search = page.locator('form[role="search"] input[name="q"]')
    search.fill(NAME)
    search.press("Enter")  # typed before htmx is listening, the live search may not fire: submit it
    page.locator("#results").get_by_role("link", name=NAME).first.click()
    expect(page.locator("h1")).to_contain_text(NAME)
    cases = page.get_by_role("region", name="个案、转介与转移")
    cases.get_by_role("link", name="开案").click()
    expect(page.locator("h1")).to_contain_text("开案")
    page.select_option("#id_source_kind", "visit")
    page.fill("#id_presenting_problem", "走访发现儿童独自居住，祖母住院，需要临时照料和安全保障。")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_contain_text("个案")
    expect(page.locator("#case-status")).to_have_text("接案")
    case_url = page.url
    fits_phone(page)

    assessment = page.locator("#assessment")
    assessment.locator("summary").click()
    for domain, rating in (("safety", "3"), ("health", "1"), ("education", "1"), ("family", "2"),
                           ("emotional", "2")):  # fmt: skip
        assessment.locator(f'select[name="{domain}_rating"]').select_option(rating)
    assessment.locator('textarea[name="summary"]').fill("独自居住，安全风险高；学习正常。")
    assessment.get_by_role("button", name="保存评估").click()
    expect(page.locator("#case-status")).to_have_text("评估")
    expect(page.locator("#assessment")).to_contain_text("严重")

    plan = page.locator("#plan")
    goal_form = plan.locator('form[action$="/goal/"]')
    plan.locator("summary", has_text="添加目标").click()
    goal_form.locator('input[name="text"]').fill("落实有照护能力的临时照护人")
    goal_form.get_by_role("button", name="添加").click()
    expect(page.locator("#case-status")).to_have_text("制定计划")
    expect(page.locator("#plan")).to_contain_text("落实有照护能力的临时照护人")

    plan = page.locator("#plan")
    action_form = plan.locator('form[action$="/action/"]')
    plan.locator("summary", has_text="添加行动").click()
    action_form.locator('select[name="goal"]').select_option(label="落实有照护能力的临时照护人")
    action_form.locator('input[name="text"]').fill("联系父母返乡或委托亲属照护")
    action_form.locator('select[name="owner"]').select_option(label=tx_users.social_worker.full_name)
    due = clock.today() + datetime.timedelta(days=14)
    action_form.locator('input[name="due_on"]').fill(due.isoformat())
    action_form.get_by_role("button", name="添加").click()
    expect(page.locator("#plan .plan-action")).to_contain_text("联系父母返乡或委托亲属照护")

    request_form = page.locator("#plan_request")
    request_form.locator('textarea[name="note"]').fill("请审批临时照护计划。")
    request_form.get_by_role("button", name="提交督导审批").click()
    expect(page.locator("body")).to_contain_text("服务计划已提交督导审批")
    expect(page.locator("#plan-status")).to_contain_text("待审批")
    fits_phone(page)

    # The supervisor approves it from the approval queue.
    sign_in(page, base, "supervisor")
    nav(page, "个案")
    page.get_by_role("navigation", name="个案与转介").get_by_role("link", name="审批", exact=True).click()
    expect(page.locator("h1")).to_contain_text("个案审批")
    waiting = page.locator("#approvals .approval").filter(has_text=NAME)
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text("服务计划")
    expect(waiting).to_contain_text("请审批临时照护计划")
    fits_phone(page)
    waiting.locator('input[name="comment"]').fill("同意，请一周内落实。")
    waiting.get_by_role("button", name="批准").click()
    expect(page.locator(".alert-success")).to_contain_text("已处理审批")
    expect(page.locator("#approvals .approval").filter(has_text=NAME)).to_have_count(0)

    page.goto(case_url)
    expect(page.locator("#plan-status")).to_contain_text("已批准")
    expect(page.locator("#case-status")).to_have_text("提供服务")
    expect(page.locator("#approvals .approval[data-decision='approved']")).to_contain_text(
        "同意，请一周内落实"
    )

    # --- 4. No visit since: time passes the due date and the grace period, the nightly job runs.
    clock.travel(by=datetime.timedelta(days=(next_due - clock.today()).days + alerts.grace_days() + 2))
    visit_statuses_refresh.call()

    sign_in(page, base, "supervisor")
    nav(page, "走访")
    village = page.locator(f'#area-counts tr[data-area="{child.area_id}"]')
    expect(village).to_contain_text(child.area.name)
    overdue = int(village.locator("td.overdue").inner_text().strip())
    escalated = int(village.locator("td.escalated").inner_text().strip())
    assert overdue >= 1 and escalated >= 1, (overdue, escalated)
    fits_phone(page)
    village.get_by_role("link", name=child.area.name).click()
    row = page.locator(f'.worklist-row[data-child="{child.uuid}"]')
    expect(row).to_contain_text(NAME)
    expect(row).to_contain_text(f"逾期（应于 {next_due.isoformat()} 前）")
    fits_phone(page)

    # The escalation also waits in the supervisor's inbox, and leads to the child's file.
    nav(page, "待办")
    escalation = page.locator('#tasks .task[data-kind="visit_escalation"]').filter(has_text=NAME)
    expect(escalation).to_have_count(1)
    expect(escalation).to_contain_text("走访逾期超过宽限期")
    fits_phone(page)
    escalation.get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text(NAME)
    expect(page.get_by_role("region", name="走访")).to_contain_text("已逾期")
