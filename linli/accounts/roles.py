"""What each role may do. Scope (which rows) is separate: see linli.core.querysets.

Permissions are plain strings "<subject>.<action>". Keeping the table in code (not in the
database) makes the matrix reviewable in one place and testable persona by persona.
"""

from linli.accounts.choices import Role

REGISTRY_READ = {"area.view", "resident.view", "resident.view_sensitive", "household.view", "history.view"}
USER_ADMIN = {"user.view", "user.manage"}
#: Visits: every role that works in the field or supervises it; alerts go to secretaries and the street.
VISITS = {"visit.view", "visit.add"}
#: 民情日记: the same field roles keep a diary and read the diaries of their area.
DIARY = {"diary.view", "diary.add"}
VISIT_ALERTS = {"visit.alerts"}
#: 走访统计 (coverage against the 23766 rule): supervisors, community staff and grid workers, over their scope
#: (a grid worker: their own grid, where the targets are theirs).
VISIT_COVERAGE = {"visit.coverage"}
#: Appeals (诉求). Area roles see the appeals in their area; handlers see those of their organisations
#: (linli.appeals.querysets), whatever their role, and act on them by organisation membership.
APPEALS_FIELD = {"appeal.view", "appeal.add", "appeal.reply", "unit.view", "problem.view"}
APPEALS_DISPATCH = {"appeal.dispatch", "appeal.export", "appeal.stats"}
#: Secretaries and the street office: approve extensions, reopen (重办), escalate (督办), set up units.
APPEALS_SUPERVISE = {"appeal.supervise", "unit.manage", "problem.manage"}
#: Volunteers (志愿服务): managers run teams, volunteers and activities of their area (linli/volunteers).
VOLUNTEERS_MANAGE = {"volunteer.view", "volunteer.manage", "activity.view", "activity.manage"}
#: The volunteer role: their own record, the activities of the communities they volunteer in, sign-up and scan.
VOLUNTEERS_SELF = {"volunteer.view_self", "activity.signup"}
#: 爱心银行 (linli.lovebank): community staff record redemptions, report and approve good deeds, keep the
#: catalogue; only secretaries and the street reverse a transaction. A resident reads their own account.
LOVEBANK = {"lovebank.view", "lovebank.add", "lovebank.report", "lovebank.approve", "lovebank.manage"}
LOVEBANK_REVERSE = {"lovebank.reverse"}
#: 微心愿 and 爱心衣物 (linli.wishes): staff record and manage wishes, claimers and donated goods over their
#: area; the volunteer role (志愿者/党员) reads the wish list and claims (see linli.wishes.querysets).
WISHES = {"wish.view", "wish.manage", "donation.view", "donation.manage"}
WISHES_CLAIM = {"wish.view", "wish.claim"}
#: 导出记录: secretaries and the street read who exported personal data (their area's accounts' exports).
EXPORT_LOG = {"export.log"}
#: 民事民议 (linli.deliberation): matters (议题), hearings (meetings, door-to-door asking, building table talks),
#: publicity (公示) and follow-up tasks (民事民办). Field roles raise matters and record hearings over their area;
#: community staff and managers run them. A resident raises a matter from their own page (matter.propose).
DELIBERATION_FIELD = {"matter.view", "matter.add", "hearing.add"}
DELIBERATION_MANAGE = {"matter.manage"}
#: 表决 (linli.votes): one vote per household. Managers and staff open, close and publish votes and enter paper
#: ballots; grid workers take ballots at the door (vote.door); only secretaries and the street read who voted how,
#: and only for a vote declared non-secret (vote.see_ballots). A resident casts their household's vote (vote.cast_self).
VOTES_DOOR = {"vote.view", "vote.door"}
VOTES_MANAGE = {"vote.view", "vote.door", "vote.manage"}
VOTES_BALLOTS = {"vote.see_ballots"}
#: 人民调解 (linli.mediation): case details only for the case's mediators (object level), secretaries and the street
#: (mediation.supervise). Staff receive visitors at the 顺顺吧 and open cases (mediation.receive); field roles
#: refer residents (mediation.refer) and, like every staff role, read anonymous counts (mediation.view).
MEDIATION_FIELD = {"mediation.view", "mediation.refer"}
MEDIATION_RECEIVE = {"mediation.view", "mediation.refer", "mediation.receive"}
MEDIATION_SUPERVISE = {"mediation.supervise"}
#: 通知公告 (linli.notices) over the sending channels (linli.channels): field roles write and send notices to the
#: residents they may reach (a grid worker: their own grid) and mark households told (notice.confirm); community
#: staff and managers also withdraw anyone's notice (notice.manage), register WeChat groups and set quiet hours
#: (channel.manage). A resident reads the notices that reached their household (notice.read_self).
NOTICES_FIELD = {"notice.view", "notice.add", "notice.send", "notice.confirm", "channel.view"}
NOTICES_MANAGE = {"notice.manage", "channel.manage"}
#: 专项工作 (linli.campaigns): grid workers record outcomes for their grid's targets; staff and managers set campaigns
#: up, import departments' lists and export the results.
CAMPAIGNS_FIELD = {"campaign.view", "campaign.record"}
CAMPAIGNS_MANAGE = {"campaign.manage", "campaign.export"}
#: 党建 (linli.party): party membership is personal data. The street's party office and the community secretary read
#: the roster over their area, keep the structure and confirm 双报到 (party.manage), export it masked (party.export).
#: A branch secretary is named on their organisation (PartyOrg.secretary), whatever their role: they read and keep
#: their branch (linli.party.querysets). Other staff see a member badge (the 党员 tag) only.
PARTY = {"party.view", "party.manage", "party.export"}
#: 功能室 (linli.places): every staff role of the community reads the rooms and the timetable and books for
#: residents (booking.add); community staff and managers keep the rooms, approve, cancel and close (booking.manage).
#: Residents and volunteers (team leaders) book rooms of their own community open to them (booking.add_self).
PLACES_FIELD = {"room.view", "booking.view", "booking.add"}
PLACES_MANAGE = {"room.manage", "booking.manage", "booking.export"}
PLACES_SELF = {"booking.add_self"}
#: 四点半学校 (linli.afterschool): children's data (PIPL art. 28, 31). Only the school's staff (named on the school,
#: object level, any role) and the community secretary (afterschool.view/manage/override/export) read the roster;
#: the secretary records an override when a child is released to someone not authorised. The street office and
#: community staff see counts without names (afterschool.figures).
AFTERSCHOOL = {"afterschool.view", "afterschool.manage", "afterschool.override", "afterschool.export"}
AFTERSCHOOL_FIGURES = {"afterschool.figures"}
#: 便民服务 (linli.hall): the service catalogue (办事指南, public), appointments, walk-in tickets and 代办/帮办.
#: Community staff and managers serve at the counters and keep the catalogue (hall.manage); grid workers record
#: 代办 for the residents of their grid (hall.errand); a resident books an appointment for themself (hall.book_self).
HALL_FIELD = {"hall.view", "hall.errand"}
HALL_SERVE = {"hall.serve", "hall.manage", "hall.export"}
HALL_SELF = {"hall.book_self"}
#: 社区证明 (linli.certificates): staff issue numbered certificates from templates; only secretaries and the street
#: void one or change the templates (certificate.manage).
CERTIFICATES_ISSUE = {"certificate.view", "certificate.issue"}
CERTIFICATES_MANAGE = {"certificate.manage"}
#: 帮扶与共建 (linli.support): assistance given to households (帮扶记录), pairings with volunteers and units, and the
#: directory of resident units and organisations (驻区单位, 社会组织, 业委会, 物业, 好商家). Field roles read and
#: record over their area; staff and managers also keep the directory and export.
SUPPORT_FIELD = {"support.view", "support.add", "directory.view"}
SUPPORT_MANAGE = {"support.manage", "support.export", "directory.manage"}
#: 大屏 (linli.bigscreen): community staff and managers set up the service centre's display screens of their
#: community (the street office: the street's too), renew or stop their links, and keep the 好人好事墙 (hide an entry).
BIGSCREEN = {"screen.view", "screen.manage"}
#: 工作报告 (linli.workreports): community staff and secretaries write their community's monthly and yearly report,
#: the street office the street's (and reads its communities'); only secretaries and the street finalise (定稿).
WORKREPORTS = {"workreport.view", "workreport.write"}
WORKREPORTS_FINALISE = {"workreport.finalise"}
REGISTRY_WRITE = {"resident.add", "resident.change", "household.add", "household.change"}
#: Deleting a resident is for entries made in error, by the street office only; people who move out or die
#: are marked 已迁出/已故 by anyone with resident.change (linli.residents.services.mark_resident_left).
REGISTRY_DELETE = {"resident.delete"}

#: Street administrators and community secretaries hold the same rights; scope tells them apart.
MANAGER = frozenset(
    REGISTRY_READ
    | REGISTRY_WRITE
    # tag.manage: the tags of one's own communities; global tags only a superuser changes (residents.services.save_tag)
    | {"area.manage", "tag.manage", "resident.reveal_id", "resident.reveal_phone", "export.residents"}
    | {"ledger.import", "ledger.manage"}  # manage: retry or cancel anybody's import in scope
    | {"holiday.view"}  # the national holiday table: secretaries read it, only the street edits it
    | VISITS
    | DIARY
    | VISIT_ALERTS
    | VISIT_COVERAGE
    | USER_ADMIN
    | APPEALS_FIELD
    | APPEALS_DISPATCH
    | APPEALS_SUPERVISE
    | VOLUNTEERS_MANAGE
    | LOVEBANK
    | LOVEBANK_REVERSE
    | WISHES
    | EXPORT_LOG
    | DELIBERATION_FIELD
    | DELIBERATION_MANAGE
    | VOTES_MANAGE
    | VOTES_BALLOTS
    | MEDIATION_RECEIVE
    | MEDIATION_SUPERVISE
    | NOTICES_FIELD
    | NOTICES_MANAGE
    | CAMPAIGNS_FIELD
    | CAMPAIGNS_MANAGE
    | PARTY
    | PLACES_FIELD
    | PLACES_MANAGE
    | AFTERSCHOOL_FIGURES
    | HALL_FIELD
    | HALL_SERVE
    | CERTIFICATES_ISSUE
    | CERTIFICATES_MANAGE
    | SUPPORT_FIELD
    | SUPPORT_MANAGE
    | BIGSCREEN
    | WORKREPORTS
    | WORKREPORTS_FINALISE
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    # The directory (unit names, categories and their deadlines) is one for the whole street.
    Role.STREET_ADMIN: MANAGER | {"holiday.manage", "unit.directory"} | REGISTRY_DELETE,
    Role.SECRETARY: MANAGER | AFTERSCHOOL,
    Role.STAFF: frozenset(
        REGISTRY_READ
        | REGISTRY_WRITE
        | VISITS
        | DIARY
        | VISIT_COVERAGE
        | APPEALS_FIELD
        | APPEALS_DISPATCH
        | VOLUNTEERS_MANAGE
        | LOVEBANK
        | WISHES
        | DELIBERATION_FIELD
        | DELIBERATION_MANAGE
        | VOTES_MANAGE
        | MEDIATION_RECEIVE
        | NOTICES_FIELD
        | NOTICES_MANAGE
        | CAMPAIGNS_FIELD
        | CAMPAIGNS_MANAGE
        | PLACES_FIELD
        | PLACES_MANAGE
        | AFTERSCHOOL_FIGURES
        | HALL_FIELD
        | HALL_SERVE
        | CERTIFICATES_ISSUE
        | SUPPORT_FIELD
        | SUPPORT_MANAGE
        | BIGSCREEN
        | WORKREPORTS
        | {"resident.reveal_phone", "export.residents", "ledger.import"}
    ),
    Role.GRID_WORKER: frozenset(
        REGISTRY_READ
        | REGISTRY_WRITE
        | VISITS
        | DIARY
        | VISIT_COVERAGE
        | APPEALS_FIELD
        | DELIBERATION_FIELD
        | VOTES_DOOR
        | MEDIATION_FIELD
        | NOTICES_FIELD
        | CAMPAIGNS_FIELD
        | PLACES_FIELD
        | HALL_FIELD
        | SUPPORT_FIELD
        | {"resident.reveal_phone"}
    ),
    # Department handlers act on appeals sent to their organisation; they do not browse the registry.
    Role.DEPT_HANDLER: frozenset({"appeal.handle", "unit.view"}),
    Role.VOLUNTEER: frozenset(VOLUNTEERS_SELF | WISHES_CLAIM | PLACES_SELF),
    # A resident sees their own record, nothing else.
    Role.RESIDENT: frozenset(
        {
            "resident.view_self",
            "lovebank.view_self",
            "lovebank.report",
            "matter.propose",
            "vote.cast_self",
            "notice.read_self",
            *PLACES_SELF,
            *HALL_SELF,
        }
    ),
}


#: Roles that act on their own rows (volunteers, residents) or their organisation's (handlers): no area is assigned
#: to them, so an account of these roles without an assignment is not missing anything.
UNASSIGNED_ROLES = frozenset({Role.VOLUNTEER, Role.RESIDENT, Role.DEPT_HANDLER})


def role_has_perm(role: str, perm: str) -> bool:
    return perm in ROLE_PERMISSIONS.get(role, frozenset())


#: Which roles a manager of each role may give out: nobody grants more than they hold.
GRANTABLE_ROLES: dict[str, tuple[str, ...]] = {
    Role.STREET_ADMIN: tuple(Role.values),
    Role.SECRETARY: (Role.SECRETARY, Role.STAFF, Role.GRID_WORKER, Role.DEPT_HANDLER, Role.VOLUNTEER, Role.RESIDENT),
}


#: Roles that use the JSON API (exports to other systems, the street's own tools): only they see 接口令牌 in the
#: menu. Field roles, handlers, volunteers and residents work in the pages; a token they already hold can still be
#: revoked at /accounts/tokens/.
API_ROLES = frozenset({Role.STREET_ADMIN, Role.SECRETARY, Role.STAFF})

#: Each role's daily pages (URL names), first in the menu and as plain links, in this order.
DAILY_PAGES: dict[str, tuple[str, ...]] = {
    Role.STREET_ADMIN: ("appeals:appeal_list", "residents:resident_list"),
    Role.SECRETARY: ("appeals:appeal_list", "visits:alert_list", "residents:resident_list"),
    Role.STAFF: ("appeals:appeal_list", "residents:resident_list"),
    Role.GRID_WORKER: ("visits:worklist", "residents:resident_list", "appeals:appeal_add"),
    Role.DEPT_HANDLER: ("appeals:appeal_list",),
    Role.VOLUNTEER: ("volunteers:activity_list", "volunteers:my_record"),
    Role.RESIDENT: ("residents:my_record", "lovebank:my_account"),
}
