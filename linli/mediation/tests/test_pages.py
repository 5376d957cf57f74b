"""The pages: what each persona sees of a case, the quick intake, the agreement print, the export."""

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.core.models import ExportRecord
from linli.mediation.models import Case
from linli.mediation.testing import PHONE

pytestmark = pytest.mark.django_db


def get(client, mw, persona, name, *args, **params):
    client.force_login(mw.users[persona])
    return client.get(reverse(name, args=args), params)


def test_the_mediator_reads_the_whole_case(client, mw):
    case = mw.cases["e1"]
    page = get(client, mw, "volunteer", "mediation:case_detail", case.pk).content.decode()
    # the mediator calls the parties: the full number on the case page (lists and the export mask it)
    assert "楼上漏水" in page and "张三" in page and f"tel:{PHONE}" in page


def test_the_receiving_staff_sees_only_number_and_status(client, mw):
    case = mw.cases["e1"]
    page = get(client, mw, "staff", "mediation:case_detail", case.pk).content.decode()
    assert case.number in page and "漏水" in page  # the type's label
    assert "天花板" not in page and "张三" not in page and "王五" not in page and PHONE not in page


def test_the_case_list_shows_accounts_only_of_cases_read_in_full(client, mw):
    page = get(client, mw, "grid_worker_1", "mediation:case_list").content.decode()
    assert mw.cases["e1_ref"].number in page and mw.cases["e1"].number not in page
    assert "争吵" not in page
    page = get(client, mw, "secretary", "mediation:case_list").content.decode()
    assert "天花板" in page and mw.cases["w1"].number not in page


def test_the_case_list_filters_through_its_filterset(client, mw):
    page = get(client, mw, "secretary", "mediation:case_list", case_type="family").content.decode()
    assert mw.cases["e1_ref"].number in page and mw.cases["e1"].number not in page
    page = get(client, mw, "secretary", "mediation:case_list", community="²").content.decode()
    assert "筛选条件有误" in page


def test_quick_intake_on_the_page(client, mw):
    client.force_login(mw.users["staff"])
    response = client.post(
        reverse("mediation:case_add"),
        {
            "community": mw.communities["e1"].pk,
            "case_type": "noise",
            "applicant_name": "钱女士",
            "account": "楼上吵",
            "urgency": "normal",
        },
    )
    assert response.status_code == 302
    case = Case.objects.latest("pk")
    assert case.account == "楼上吵" and case.received_by == mw.users["staff"]
    bad = client.post(
        reverse("mediation:case_add"),
        {"community": mw.communities["e1"].pk, "case_type": "noise", "account": "吵", "urgency": "normal"},
    )
    assert bad.status_code == 200 and "请填写申请人姓名" in bad.content.decode()


def test_intake_from_the_resident_page_fills_the_applicant(client, mw):
    zhang = mw.residents["zhang"]
    page = get(client, mw, "grid_worker_1", "mediation:case_add", resident=zhang.pk).content.decode()
    assert "张三" in page
    page = get(client, mw, "grid_worker_2", "mediation:case_add", resident=zhang.pk).content.decode()
    assert "张三" not in page  # another grid's resident is not filled in


def test_agreement_print_is_the_standard_form(client, mw):
    page = get(client, mw, "secretary", "mediation:agreement_print", mw.cases["e1_settled"].pk).content.decode()
    for words in (
        "人民调解协议书",
        "纠纷主要事实、争议事项",
        "晚上十点后不再跳绳",
        "（签名）",
        "人民调解委员会（盖章）",
    ):
        assert words in page


def test_the_signed_scan_is_served_only_with_the_case(client, mw):
    pk = mw.cases["e1_settled"].pk
    assert get(client, mw, "volunteer", "mediation:agreement_scan_file", pk).status_code == 200
    assert get(client, mw, "staff", "mediation:agreement_scan_file", pk).status_code == 404


def test_case_actions_on_the_page(client, mw):
    client.force_login(mw.users["volunteer"])
    pk = mw.cases["e1"].pk
    client.post(
        reverse("mediation:session_add", args=[pk]), {"held_at": "2026-01-05T15:00", "place": "调解室", "notes": "谈了"}
    )
    client.post(reverse("mediation:case_settle", args=[pk]), {"kind": "oral", "facts": "漏水", "terms": "修好"})
    assert Case.objects.get(pk=pk).status == "settled"
    response = client.post(reverse("mediation:case_fail", args=[pk]), {"referral": "litigation"}, follow=True)
    assert "不能再记录调解" in response.content.decode()


def test_the_register_export_is_masked_scoped_and_logged(client, mw):
    response = get(client, mw, "volunteer", "mediation:register_export")
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        text = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xml"))
    assert "138****5678" in text and PHONE not in text
    assert mw.cases["e1"].number in text and mw.cases["e1_ref"].number not in text
    record = ExportRecord.objects.get(user=mw.users["volunteer"])
    assert record.kind == "mediation_register" and record.row_count == 2


def test_figures_are_counts_only(client, mw):
    page = get(client, mw, "grid_worker_2", "mediation:figures").content.decode()
    assert "调解成功率" in page and "张三" not in page and "东一调〔" not in page


def test_reception_log_add_and_list(client, mw):
    client.force_login(mw.users["staff"])
    response = client.post(
        reverse("mediation:reception_add"),
        {"community": mw.communities["e1"].pk, "visitor_name": "钱女士", "topic": "心里烦", "handling": "listened"},
    )
    assert response.status_code == 302
    assert "心里烦" in client.get(reverse("mediation:reception_list")).content.decode()


def test_mediator_admin(client, mw):
    client.force_login(mw.users["secretary"])
    response = client.post(
        reverse("mediation:mediator_add"),
        {
            "community": mw.communities["e1"].pk,
            "name": "新调解员",
            "kind": "people",
            "phone": "13911113333",
            "username": "nobody",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("mediation:mediator_list")).content.decode()
    assert "新调解员" in page and "139****3333" in page and "西一调解员" not in page
    bad = client.post(
        reverse("mediation:mediator_add"),
        {"community": mw.communities["e1"].pk, "name": "x", "kind": "people", "phone": "12"},
    )
    assert bad.status_code == 200


def test_resident_panel_context_follows_case_rights(mw):
    from linli.mediation.home import resident_cases

    zhang = mw.residents["zhang"]
    assert {c.pk for c, full in resident_cases(mw.users["secretary"], zhang)["mediation_cases"]} == {
        mw.cases["e1"].pk,
        mw.cases["e1_ref"].pk,
    }
    assert [(c.pk, full) for c, full in resident_cases(mw.users["grid_worker_1"], zhang)["mediation_cases"]] == [
        (mw.cases["e1_ref"].pk, False)
    ]
    assert resident_cases(mw.users["grid_worker_2"], zhang)["mediation_cases"] == []
    assert resident_cases(mw.users["grid_worker_2"], zhang)["mediation_intake"].endswith(f"?resident={zhang.pk}")
    assert resident_cases(mw.users["dept_handler"], zhang) is None


def test_home_block_for_staff(mw):
    from linli.mediation.home import staff_today

    assert staff_today(mw.users["volunteer"])["mediation_today"]["due"] == [mw.follow_ups["e1_settled"]]


def test_api_figures(client, mw):
    client.force_login(mw.users["secretary"])
    data = client.get("/api/mediation/figures").json()
    assert data["total"] == 3 and data["settled"] == 1
    client.force_login(mw.users["dept_handler"])
    assert client.get("/api/mediation/figures").status_code == 403


def test_a_diary_note_turns_into_a_referred_case(client, mw):
    from linli.visits.services import create_note

    note = create_note(actor=mw.actor("grid_worker_1"), text="张三和邻居因漏水吵架", residents=[mw.residents["zhang"]])
    client.force_login(mw.users["grid_worker_1"])
    page = client.get(reverse("visits:diary_detail", args=[note.pk])).content.decode()
    assert reverse("mediation:case_from_note", args=[note.pk]) in page
    response = client.post(reverse("mediation:case_from_note", args=[note.pk]), {"case_type": "leak"})
    case = Case.objects.get(source="diary", source_id=note.pk)
    assert response.status_code == 302 and case.referred_by == mw.users["grid_worker_1"]
    assert case.parties.get().resident == mw.residents["zhang"]
    again = client.post(reverse("mediation:case_from_note", args=[note.pk]), {"case_type": "leak"}, follow=True)
    assert "已经转成调解案件" in again.content.decode()
    client.force_login(mw.users["grid_worker_2"])
    assert client.post(reverse("mediation:case_from_note", args=[note.pk])).status_code == 404


def test_a_matter_turns_into_a_case_through_its_panel(mw):
    from linli.deliberation.models import Matter
    from linli.mediation import services
    from linli.mediation.panels import matter_case

    matter = Matter.objects.create(community=mw.communities["e1"], title="楼道堆物引发争吵")
    assert matter_case(mw.users["dept_handler"], matter) is None
    assert matter_case(mw.users["staff"], matter)["action_url"].endswith(f"/from-matter/{matter.pk}/")
    case = services.case_from_matter(matter, actor=mw.actor("staff"), applicant_name="钱女士")
    assert case.account.startswith("楼道堆物引发争吵")
    assert matter_case(mw.users["staff"], matter)["matter_case"] == case
    assert matter_case(mw.users["grid_worker_2"], matter) == {"matter_case": None, "matter_case_exists": True}


def test_registered_templates_render(mw, rf):
    """The panels' templates (the residents and deliberation pages render them once those branches are in)."""
    from django.template.loader import render_to_string

    from linli.deliberation.models import Matter
    from linli.mediation.home import resident_cases, staff_today
    from linli.mediation.panels import matter_case

    request = rf.get("/")
    request.user = mw.users["secretary"]
    html = render_to_string(
        "mediation/_resident_panel.html", resident_cases(request.user, mw.residents["zhang"]), request
    )
    assert mw.cases["e1"].number in html and "登记调解案件" in html
    html = render_to_string("mediation/_home_today.html", staff_today(mw.users["volunteer"]), request)
    assert "回访到期" in html and mw.cases["e1_settled"].number in html
    matter = Matter.objects.create(community=mw.communities["e1"], title="楼道堆物")
    html = render_to_string("mediation/_matter_panel.html", matter_case(request.user, matter), request)
    assert f"/mediation/from-matter/{matter.pk}/" in html and "婚姻家庭" in html


def test_the_public_board_section_is_anonymous_counts(mw, rf):
    from django.template.loader import render_to_string

    from linli.mediation.figures import public_figures

    today = timezone.localdate()
    assert public_figures(mw.communities["e2"], today) is None
    context = public_figures(mw.communities["e1"], today)
    assert context["mediation_public"]["total"] == 3
    html = render_to_string("mediation/_public_section.html", context)
    assert "人民调解" in html and "东一调〔" not in html and "张三" not in html and "天花板" not in html


def test_an_appeal_of_the_mediation_unit_has_the_button_and_turns_into_a_case(client, mw):
    from linli.appeals.defaults import install_default_directory
    from linli.appeals.models import Category, HandlingUnit
    from linli.appeals.services import create_appeal
    from linli.testing import SYSTEM

    install_default_directory(HandlingUnit, Category)
    appeal = create_appeal(
        actor=SYSTEM, building=mw.buildings["b1"], text="楼上漏水", channel="phone", reporter_name="王阿姨"
    )
    client.force_login(mw.users["staff"])
    button = reverse("mediation:case_from_appeal", args=[appeal.pk])
    assert button not in client.get(reverse("appeals:appeal_detail", args=[appeal.pk])).content.decode()
    appeal.unit = HandlingUnit.objects.get(code="mediation")
    appeal.save()
    assert button in client.get(reverse("appeals:appeal_detail", args=[appeal.pk])).content.decode()
    assert client.post(button).status_code == 302
    case = Case.objects.get(source="appeal", source_id=appeal.pk)
    assert case.received_by == mw.users["staff"] and case.parties.get().name == "王阿姨"


def test_the_case_list_does_not_query_per_row(client, mw, django_assert_max_num_queries):
    from linli.mediation import services

    for n in range(10):
        services.open_case(
            actor=mw.actor("secretary"),
            community=mw.communities["e1"],
            case_type="noise",
            account=f"第{n}件",
            applicant_name="钱",
        )
    client.force_login(mw.users["secretary"])
    with django_assert_max_num_queries(25):
        response = client.get(reverse("mediation:case_list"))
    assert response.content.decode().count("/mediation/") >= 14


def test_the_case_list_links_to_figures_only_for_roles_that_may_open_them(client, mw):
    figures = reverse("mediation:figures")
    # a mediator whose account is a volunteer's reads their cases but not the community's figures (403 there)
    assert figures not in get(client, mw, "volunteer", "mediation:case_list").content.decode()
    assert get(client, mw, "volunteer", "mediation:figures").status_code == 403
    assert figures in get(client, mw, "staff", "mediation:case_list").content.decode()
