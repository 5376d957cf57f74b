"""The pages: the register and its logged export, issuing from a resident's page, the PDF behind a permission
check, void and reissue buttons, templates with a preview, and the public check page that tells validity only."""

import io
import zipfile

import pytest
from django.urls import reverse

from linli.certificates import services
from linli.certificates.models import Certificate, CertificateTemplate
from linli.certificates.testing import certificate_templates
from linli.core.audit import actor_of
from linli.core.models import ExportRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(world):
    world.templates = certificate_templates(world)
    staff = actor_of(world.users["staff"])
    world.certs = [
        services.issue(world.templates["east"], world.residents[r], actor=staff, purpose="入学")
        for r in ("zhang", "li")
    ]
    return world


def test_the_register_lists_a_years_numbers_in_order_with_voids_in_place(cw, client):
    services.void(cw.certs[0], actor=actor_of(cw.users["secretary"]), reason="信息有误")
    client.force_login(cw.users["staff"])
    page = client.get(reverse("certificates:certificate_list")).content.decode()
    assert 'data-list-total="2"' in page
    assert page.index(cw.certs[0].number) < page.index(cw.certs[1].number)
    assert "信息有误" in page
    page = client.get(reverse("certificates:certificate_list"), {"status": "void"}).content.decode()
    assert 'data-list-total="1"' in page


def test_the_register_export_is_an_xlsx_and_is_logged(cw, client):
    client.force_login(cw.users["staff"])
    response = client.get(reverse("certificates:certificate_export"), {"status": "valid"})
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        text = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xml"))
    assert cw.certs[0].number in text and "张三" in text
    record = ExportRecord.objects.get()
    assert record.kind == "cert_register" and record.row_count == 2 and record.filters["status"] == "valid"


def test_issuing_from_the_resident_page(cw, client):
    client.force_login(cw.users["staff"])
    zhang = cw.residents["zhang"]
    page = client.get(reverse("residents:resident_detail", args=[zhang.pk])).content.decode()
    assert f"{reverse('certificates:certificate_issue')}?resident={zhang.pk}" in page
    assert cw.certs[0].number in page
    form = client.get(reverse("certificates:certificate_issue"), {"resident": zhang.pk}).content.decode()
    assert "困难情况证明" in form and "西街居住证明" not in form
    response = client.post(
        reverse("certificates:certificate_issue"),
        {"resident": zhang.pk, "template": cw.templates["e1"].pk, "purpose": "申请临时救助", "note": "入户核实"},
    )
    new = Certificate.objects.get(serial=3)
    assert response.status_code == 302 and response["Location"] == reverse(
        "certificates:certificate_detail", args=[new.pk]
    )


def test_the_issue_form_finds_residents_by_name_in_scope_only(cw, client):
    client.force_login(cw.users["staff"])
    page = client.get(reverse("certificates:certificate_issue"), {"q": "张"}).content.decode()
    assert f"?resident={cw.residents['zhang'].pk}" in page
    page = client.get(reverse("certificates:certificate_issue"), {"q": "赵"}).content.decode()
    assert "赵六" not in page
    assert (
        client.get(reverse("certificates:certificate_issue"), {"resident": cw.residents["zhao"].pk}).status_code == 404
    )


def test_the_pdf_is_served_only_to_readers_of_the_certificate(cw, client):
    url = reverse("certificates:certificate_pdf", args=[cw.certs[0].pk])
    client.force_login(cw.users["staff"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Cache-Control"] == "no-store"
    client.force_login(cw.users["grid_worker_1"])
    assert client.get(url).status_code == 403
    client.force_login(cw.users["nobody"])
    assert client.get(url).status_code == 404
    assert not cw.certs[0].pdf.url.startswith("/certificates/")  # the media URL is not how it is reached


def test_secretary_voids_and_reissues_from_the_page_staff_only_see_it(cw, client):
    c = cw.certs[0]
    client.force_login(cw.users["staff"])
    page = client.get(reverse("certificates:certificate_detail", args=[c.pk])).content.decode()
    assert "作废并重开" not in page
    assert client.post(reverse("certificates:certificate_void", args=[c.pk]), {"reason": "x"}).status_code == 403
    client.force_login(cw.users["secretary"])
    response = client.post(
        reverse("certificates:certificate_reissue", args=[c.pk]), {"reason": "遗失", "purpose": "申请公租房"}
    )
    new = Certificate.objects.get(replaces=c)
    assert response["Location"] == reverse("certificates:certificate_detail", args=[new.pk])
    page = client.get(reverse("certificates:certificate_detail", args=[c.pk])).content.decode()
    assert "已作废" in page and new.number in page


def test_the_public_check_tells_validity_and_date_only(cw, client):
    c = cw.certs[0]
    url = reverse("certificates:check")
    page = client.get(url, {"number": c.number, "code": c.check_code.lower()}).content.decode()
    assert "有效" in page and c.number in page and "张三" not in page and c.resident.id_masked not in page
    page = client.get(url, {"number": c.number, "code": "AAAAAAAA"}).content.decode()
    assert "没有找到" in page and "居住证明" not in page
    services.void(c, actor=actor_of(cw.users["secretary"]), reason="遗失")
    assert "已作废" in client.get(url, {"number": c.number, "code": c.check_code}).content.decode()


def test_templates_preview_and_save_for_managers(cw, client):
    client.force_login(cw.users["secretary"])
    page = client.get(reverse("certificates:template_list")).content.decode()
    assert "困难情况证明" in page and "全街道通用" in page and "西街" not in page
    assert client.get(reverse("certificates:template_edit", args=[cw.templates["east"].pk])).status_code == 404
    data = {
        "community": cw.communities["e1"].pk,
        "kind": "other",
        "title": "志愿服务证明",
        "body": "兹证明{{ name }}参加志愿服务。",
        "valid_days": 0,
        "is_active": "on",
    }
    preview = client.post(reverse("certificates:template_add"), data | {"preview": "1"}).content.decode()
    assert "兹证明张三参加志愿服务。" in preview  # the sample resident
    assert not CertificateTemplate.objects.filter(title="志愿服务证明").exists()
    assert client.post(reverse("certificates:template_add"), data).status_code == 302
    assert CertificateTemplate.objects.get(title="志愿服务证明").street == cw.streets["east"]
    broken = client.post(reverse("certificates:template_add"), data | {"body": "{% for %}"})
    assert broken.status_code == 400 and "模板写法有误" in broken.content.decode()
    client.force_login(cw.users["staff"])
    assert client.get(reverse("certificates:template_add")).status_code == 403


@pytest.mark.parametrize("odd", ["²", "9" * 30, "'<x>" + "二" * 300])
def test_odd_values_are_no_server_error(cw, client, odd):
    client.raise_request_exception = False
    client.force_login(cw.users["street_admin"])
    params = {k: odd for k in ("year", "community", "template", "kind", "status", "since", "until", "q", "page")}
    for name in ("certificate_list", "certificate_export", "certificate_issue", "check"):
        assert (
            client.get(
                reverse(f"certificates:{name}"), params | {"resident": odd, "number": odd, "code": odd}
            ).status_code
            < 500
        )
    issue = reverse("certificates:certificate_issue")
    zhang = cw.residents["zhang"].pk
    assert client.post(issue, {"resident": zhang, "template": odd, "purpose": odd, "note": odd}).status_code < 500
    assert (
        client.post(reverse("certificates:certificate_void", args=[cw.certs[0].pk]), {"reason": odd}).status_code < 500
    )


def test_two_communities_of_the_same_short_name_share_a_number_text_but_not_a_check_code(cw, client):
    from linli.areas.models import Community

    twin = Community.objects.create(street=cw.streets["west"], code="w-e1", name="东一居委会")
    c = cw.certs[0]
    assert services.check_code(twin.pk, c.number) != c.check_code
    page = client.get(reverse("certificates:check"), {"number": c.number, "code": c.check_code}).content.decode()
    assert "有效" in page
