"""Issuing, voiding and reissuing: numbers per community and year without gaps, a void keeps its number, a reissue
takes the next one; refusals change nothing and take no number."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from linli.certificates import services
from linli.certificates.choices import CertificateStatus
from linli.certificates.models import Certificate, CertificateTemplate
from linli.certificates.numbering import number_text, series, short_name
from linli.certificates.testing import certificate_templates, make_template
from linli.core.audit import actor_of
from linli.core.models import ChangeRecord, DocumentCounter
from linli.core.numbering import last_number
from linli.residents.choices import ResidentStatus
from linli.residents.models import RevealRecord

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def cw(world):
    world.templates = certificate_templates(world)
    return world


def issue(cw, persona="staff", resident="zhang", template="east", **kw):
    kw.setdefault("purpose", "办理入学手续")
    return services.issue(cw.templates[template], cw.residents[resident], actor=actor_of(cw.users[persona]), **kw)


def test_the_number_carries_the_communitys_short_name_and_the_year():
    class C:
        name = "青和居社区"

    assert short_name(C) == "青和居"
    assert number_text(C, 2026, 7) == "青和居证〔2026〕0007号"


def test_it_numbers_a_communitys_certificates_from_one_each_year_and_apart_from_other_communities(cw):
    first, second = issue(cw), issue(cw, resident="li")
    other = issue(cw, persona="street_admin", resident="zhao")  # 东二社区: its own register
    assert (first.serial, second.serial, other.serial) == (1, 2, 1)
    assert first.number == f"东一证〔{YEAR}〕0001号"
    assert other.number == f"东二证〔{YEAR}〕0001号"
    assert last_number(series(cw.communities["e1"]), YEAR) == 2
    assert first.valid_until == timezone.localdate() + datetime.timedelta(days=90)


def test_it_fills_the_wording_with_the_residents_registry_data_and_masks_the_id_for_staff(cw):
    c = issue(cw)
    zhang = cw.residents["zhang"]
    assert "张三" in c.text and "男" in c.text and "东一社区" in c.text
    assert zhang.id_masked in c.text
    assert zhang.reveal_id_number() not in c.text
    assert not RevealRecord.objects.exists()


def test_a_manager_prints_the_full_id_where_the_template_allows_it_and_the_reveal_is_recorded(cw):
    c = issue(cw, persona="secretary")
    assert cw.residents["zhang"].reveal_id_number() in c.text
    reveal = RevealRecord.objects.get()
    assert reveal.user == cw.users["secretary"] and reveal.reason == "开具居住证明"


def test_a_refused_issue_changes_nothing_and_takes_no_number(cw):
    with pytest.raises(ValidationError) as exc:
        issue(cw, template="e1")  # 困难情况证明 without its 核实说明
    assert "核实" in str(exc.value)
    with pytest.raises(ValidationError):
        issue(cw, purpose="  ")
    assert not Certificate.objects.exists()
    assert issue(cw, template="e1", note="3月2日入户核实，查看了病历。").serial == 1


@pytest.mark.parametrize("status", [ResidentStatus.MOVED_OUT, ResidentStatus.DECEASED])
def test_it_refuses_residents_who_moved_out_or_died(cw, status):
    zhang = cw.residents["zhang"]
    zhang.status = status
    zhang.left_on = datetime.date(2026, 3, 1)
    zhang.save()
    with pytest.raises(ValidationError) as exc:
        issue(cw)
    assert "不能开具证明" in str(exc.value) and "2026-03-01" in str(exc.value)
    assert not Certificate.objects.exists()


def test_only_issuers_and_only_in_their_scope(cw):
    with pytest.raises(PermissionDenied):
        issue(cw, persona="grid_worker_1")
    with pytest.raises(Http404):
        issue(cw, resident="zhao")  # 东二社区: outside 东一's staff
    with pytest.raises(ValidationError) as exc:
        issue(cw, persona="street_admin", template="w1")  # 西街's template for a resident of 东街
    assert "不适用" in str(exc.value)


def test_void_keeps_the_number_in_the_register_and_the_next_issue_takes_the_next_one(cw):
    first = issue(cw)
    with pytest.raises(PermissionDenied):
        services.void(first, actor=actor_of(cw.users["staff"]), reason="信息有误")
    voided = services.void(first, actor=actor_of(cw.users["secretary"]), reason="信息有误")
    assert voided.status == CertificateStatus.VOID and voided.voided_by == cw.users["secretary"]
    with pytest.raises(ValidationError):
        services.void(first, actor=actor_of(cw.users["secretary"]), reason="再作废一次")
    assert issue(cw, resident="li").serial == 2
    assert list(Certificate.objects.order_by("serial").values_list("serial", "status")) == [
        (1, CertificateStatus.VOID),
        (2, CertificateStatus.VALID),
    ]


def test_reissue_voids_the_old_one_and_issues_the_next_number_linked_to_it(cw):
    old = issue(cw)
    issue(cw, resident="li")
    new = services.reissue(old, actor=actor_of(cw.users["secretary"]), reason="用途写错", purpose="申请公租房")
    old.refresh_from_db()
    assert old.status == CertificateStatus.VOID and old.void_reason == "重开：用途写错"
    assert new.serial == 3 and new.replaces == old and old.replaced_by == new
    assert new.resident == old.resident and new.purpose == "申请公租房"


def test_a_reissue_that_cannot_issue_leaves_the_old_certificate_valid(cw):
    old = issue(cw)
    zhang = cw.residents["zhang"]
    zhang.status = ResidentStatus.DECEASED
    zhang.save()
    with pytest.raises(ValidationError):
        services.reissue(old, actor=actor_of(cw.users["secretary"]), reason="遗失")
    old.refresh_from_db()
    assert old.status == CertificateStatus.VALID
    assert DocumentCounter.objects.get().last == 1


def test_every_change_leaves_a_change_record(cw):
    c = issue(cw)
    services.void(c, actor=actor_of(cw.users["secretary"]), reason="信息有误")
    actions = list(
        ChangeRecord.objects.filter(object_id=c.pk, object_repr=c.number).order_by("id").values_list("action", "note")
    )
    assert [a for a, _ in actions] == ["create", "update"] and actions[1][1] == "作废"


def test_a_wording_cannot_reach_files_or_break_the_template(cw):
    with pytest.raises(ValidationError) as exc:
        make_template(cw.streets["east"], body="{% if name %}没有结束")
    assert "模板写法有误" in str(exc.value)
    for tag in ('{% include "base.html" %}', "{% load static %}", '{% extends "base.html" %}', "{% debug %}"):
        with pytest.raises(ValidationError) as exc:
            make_template(cw.streets["east"], cw.communities["e1"], body=tag + "{{ name }}")
        assert "不能使用" in str(exc.value)
    # A wording saved before the rule (or written to the database by hand) is refused when issuing, not a 500.
    template = cw.templates["e1"]
    CertificateTemplate.objects.filter(pk=template.pk).update(body='{% include "base.html" %}')
    template.refresh_from_db()
    with pytest.raises(ValidationError):
        services.issue(template, cw.residents["zhang"], actor=actor_of(cw.users["staff"]), purpose="x", note="y")
    assert not Certificate.objects.exists()


def test_templates_are_kept_by_their_community_and_street_defaults_by_the_street(cw):

    secretary = cw.users["secretary"]
    assert set(CertificateTemplate.objects.restrict(secretary).values_list("title", flat=True)) == {
        "居住证明",
        "困难情况证明",
    }
    assert list(CertificateTemplate.objects.restrict(secretary, "manage")) == [cw.templates["e1"]]
    street_default = cw.templates["east"]
    street_default.title = "改过的居住证明"
    with pytest.raises(Http404):
        services.save_template(street_default, actor=actor_of(secretary))
    services.save_template(street_default, actor=actor_of(cw.users["street_admin"]))
    assert not CertificateTemplate.objects.restrict(cw.users["grid_worker_1"]).exists()
