"""What the public pages of a notice may show (the community board, the short link /n/<code>/, the audio, the
poster): its title and text run through the anonymiser with the community's registry names, every time they are
shown. A notice is written for residents and staff may have put a name or a phone in it ("有事找王阿姨
13800001111"); a public page must not carry it. Nothing about households (who was told, counts per household) is
ever public."""

from __future__ import annotations

from dataclasses import dataclass

from linli.core.anonymise import anonymise
from linli.notices.choices import NoticeStatus
from linli.notices.models import Notice

#: Sentence ends the anonymiser may trim from a line and the public text keeps.
_ENDS = "。！？!?"


def public_text(community_id: int, text: str, names=None) -> str:
    """Text as a public page shows it: anonymised line by line (paragraphs stay), each line keeping its full stop."""
    if names is None:
        from linli.residents.names import CommunityNames

        names = CommunityNames()[community_id]
    lines = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        cleaned = anonymise(line, names)
        end = line.rstrip()[-1]
        if end in _ENDS and not cleaned.endswith(end):
            cleaned += end
        lines.append(cleaned)
    return "\n".join(lines)


@dataclass(frozen=True)
class PublicNotice:
    """A notice as the public sees it."""

    code: str
    title: str
    body: str
    category: str
    category_label: str
    community_name: str
    sent_at: object
    withdrawn: bool
    withdrawn_reason: str

    @property
    def paragraphs(self) -> list[str]:
        return [line for line in self.body.split("\n") if line.strip()]

    @property
    def excerpt(self) -> str:
        text = " ".join(self.body.split())
        return text if len(text) <= 60 else text[:60] + "…"


def public_notice(notice: Notice, names=None) -> PublicNotice:
    """The public fields of a sent or withdrawn notice; a withdrawn one keeps no body (only why it was withdrawn)."""
    if names is None:
        from linli.residents.names import CommunityNames

        names = CommunityNames()[notice.community_id]
    withdrawn = notice.status == NoticeStatus.WITHDRAWN
    return PublicNotice(
        code=notice.code,
        title=public_text(notice.community_id, notice.title, names),
        body="" if withdrawn else public_text(notice.community_id, notice.body, names),
        category=notice.category,
        category_label=notice.get_category_display(),
        community_name=notice.community.name,
        sent_at=notice.sent_at,
        withdrawn=withdrawn,
        withdrawn_reason=public_text(notice.community_id, notice.withdrawn_reason, names) if withdrawn else "",
    )


def is_shown(notice: Notice) -> bool:
    """The notice's text may be on a public page: sent (not a draft, not withdrawn) and marked public."""
    return notice.status == NoticeStatus.SENT and notice.is_public
