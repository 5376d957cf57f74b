"""Objects of the residents app the scope matrix (tests/test_scope_matrix.py) names beyond the core world."""

from linli.residents.models import Tag
from linli.residents.services import save_tag
from linli.testing import SYSTEM


def matrix_objects(world) -> dict:
    """A global tag and one own tag each for 东一社区 and 西一社区; the residents' home sections by name; a 家人帮忙
    link in which the persona `resident` (陈奶奶) helps 张三 (agreed), and one of 西一社区."""
    from linli.residents.choices import FamilyLinkStatus
    from linli.residents.models import FamilyLink

    def own(key, name):
        return save_tag(Tag(code=f"{key}_own", name=name, community=world.communities[key]), SYSTEM)

    return {
        "tags": {
            "living_alone": Tag.objects.get(code="living_alone"),
            "e1_own": own("e1", "东一重点关注"),
            "w1_own": own("w1", "西一重点关注"),
        },
        "self_sections": {"notices": "notices.mine", "appeals": "tracking.my_appeals", "unknown": "nope"},
        "family_links": {
            key: FamilyLink.objects.create(
                helper=world.residents[helper], elder=world.residents[elder], relation="child", status=status
            )
            for key, helper, elder, status in (
                ("own", "chen", "zhang", FamilyLinkStatus.AGREED),
                ("asked", "chen", "li", FamilyLinkStatus.ASKED),
                ("w1", "sun", "zhao", FamilyLinkStatus.AGREED),
            )
        },
    }
