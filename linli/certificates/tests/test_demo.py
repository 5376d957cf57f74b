"""The demo's 社区证明 (linli.certificates.demo) on the shared demo build: the street's three default templates and
青和居's own, 30 certificates with a gap-free register per year, one voided, one reissued under the next number."""

from collections import defaultdict

from linli.certificates.choices import CertificateStatus
from linli.certificates.models import Certificate, CertificateTemplate


def test_it_issues_thirty_certificates_with_a_gap_free_register_one_void_and_one_reissue(qinghe):
    assert CertificateTemplate.objects.filter(street=qinghe.street, community=None).count() == 3
    assert CertificateTemplate.objects.filter(community=qinghe).count() == 1
    rows = Certificate.objects.filter(community=qinghe)
    assert rows.count() == 31  # 30 and the reissue
    serials = defaultdict(list)
    for year, serial in rows.values_list("year", "serial"):
        serials[year].append(serial)
    assert all(sorted(s) == list(range(1, len(s) + 1)) for s in serials.values())
    assert rows.filter(status=CertificateStatus.VOID).count() == 2
    reissued = rows.get(replaces__isnull=False)
    assert reissued.replaces.status == CertificateStatus.VOID and reissued.purpose == "申请公租房"
    assert reissued.issued_by.username == "shuji"
    assert not rows.filter(pdf="").exists()
    assert rows.first().number.startswith("青和居证〔")
