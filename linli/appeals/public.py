"""结果公开: what the public may read about an appeal, and nothing more.

Public text comes only from fields staff write knowing they are public: the appeal's `public_summary`
(公开摘要, what the matter was) and `public_reply` (公开答复, what was done). Never the internal texts
(办理情况, 向居民的说明, 回访内容): those are written for colleagues and the reporter.

Every public text still goes through the anonymiser (linli.core.anonymise), a second line of defence, with the
names of the community's resident registry (linli.residents.names.CommunityNames) and of the reporter.
"""

from __future__ import annotations

from collections.abc import Iterable

from linli.core.anonymise import Names, anonymise
from linli.residents.names import CommunityNames


def appeal_names(appeal, registry: CommunityNames) -> Names:
    """The names to remove from `appeal`'s public texts: its community's registry and its reporter."""
    extra = [appeal.reporter_name]
    if appeal.reporter_id:
        extra.append(appeal.reporter.name)
    return registry[appeal.community_id] | extra


def neutral_summary(category_name: str | None, outcome_label: str) -> str:
    name = (category_name or "其他").removesuffix("问题")
    return f"{name}问题（{outcome_label}）"


def public_line(appeal, names: Iterable[str] | Names) -> str:
    """The one line the public page shows for `appeal` (its public summary, or a neutral line)."""
    fallback = neutral_summary(appeal.category.name if appeal.category_id else None, appeal.get_outcome_display())
    if not isinstance(names, Names):
        extra = [appeal.reporter_name] + ([appeal.reporter.name] if appeal.reporter_id else [])
        names = Names([*names, *extra])
    line = anonymise(appeal.public_summary or fallback, names)
    return line or anonymise(fallback, names) or "诉求已办结"


def public_reply(appeal, names: Iterable[str] | Names) -> str:
    """The appeal's 公开答复 as the public may read it ("" when staff wrote none)."""
    if not appeal.public_reply:
        return ""
    return anonymise(appeal.public_reply, names if isinstance(names, Names) else Names(names))


def suggest_public_reply(appeal, names: Iterable[str] | Names) -> str:
    """A starting point for the 公开答复 field: the handler's public reply if any, else the anonymised account
    of what was done. Staff read and edit it before it is saved; nothing is published from it unread."""
    if appeal.public_reply:
        return appeal.public_reply
    source = appeal.explanation or appeal.resolution
    return anonymise(source, names)[:PUBLIC_REPLY_LIMIT] if source else ""


#: 公开答复's longest length (Open311 status_notes show it in full)
PUBLIC_REPLY_LIMIT = 300
