"""The directory of handling units (啥事儿该找谁): edits by street admins, organisations, bindings and routes.

Unit codes are fixed; names, what a unit handles and whether it is active are edited by street
admins (unit.directory), who also edit categories and their deadlines. Secretaries and street
admins (unit.manage) register the organisations of their street and say, per community, which
organisation stands behind each unit (UnitBinding) and which categories go to another unit there
(CategoryRoute). Every change is recorded (linli.core.audit).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404

from linli.accounts.choices import Role
from linli.accounts.models import User
from linli.appeals.choices import Urgency
from linli.appeals.models import Category, CategoryRoute, HandlingUnit, Organisation, UnitBinding
from linli.appeals.querysets import handler_org_ids
from linli.areas import scope
from linli.areas.models import Community, Street
from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.core.params import parse_int
from linli.core.phone import PhoneError, normalize_phone
from linli.core.querysets import require_perm
from linli.core.services import delete_audited, full_clean, save_audited

#: (field, label, minimum, maximum) of a category's deadlines.
DEADLINE_BOUNDS = [
    ("sign_workdays", "签收时限", 1, 10, "个工作日"),
    ("urgent_hours", "紧急件办结时限", 1, 72, "小时"),
    ("expedited_hours", "急办件办结时限", 1, 168, "小时"),
    ("normal_workdays", "一般件办结时限", 1, 60, "个工作日"),
    ("complex_workdays", "复杂件办结时限", 1, 120, "个工作日"),
    ("reply_workdays", "回访时限", 1, 15, "个工作日"),
]

# --- who may see and change what -------------------------------------------------------------------


def communities_for(user, action: str = "view"):
    """Communities whose directory `user` may `action` (unit.<action>); handlers also see those they serve."""
    communities = scope.communities_for(user, f"unit.{action}")
    if action == "view" and user.is_authenticated and user.has_role_perm("unit.view"):
        orgs = handler_org_ids(user)
        if orgs:
            served = Community.objects.filter(
                pk__in=UnitBinding.objects.filter(organisation_id__in=orgs).values("community_id")
            )
            communities = communities | served
    return communities.order_by("code")


def streets_for(user):
    """Streets in which `user` may register organisations (unit.manage)."""
    return scope.streets_for(user, "unit.manage").order_by("code")


def organisations_for(user, action: str = "view"):
    return Organisation.objects.restrict(user, action)


def handler_candidates(user, organisation: Organisation | None = None):
    """Accounts a manager may make handlers: active staff accounts they manage, plus the current handlers."""
    manageable = User.objects.restrict(user, "manage").filter(is_active=True).exclude(role=Role.RESIDENT)
    q = Q(pk__in=manageable.values("pk"))
    if organisation is not None and organisation.pk:
        q |= Q(pk__in=organisation.handlers.values("pk"))
    return User.objects.filter(q).order_by("role", "username")


def _check_directory(actor: Actor) -> None:
    user = actor.account
    if user is not None:
        require_perm(user, "unit.directory")


def _check_community(actor: Actor, community: Community) -> None:
    user = actor.account
    if user is None:
        return
    require_perm(user, "unit.manage")
    if not communities_for(user, "manage").filter(pk=community.pk).exists():
        raise Http404("该社区不在您的管辖范围内。")


def _check_organisation(actor: Actor, organisation: Organisation) -> None:
    user = actor.account
    if user is None:
        return
    require_perm(user, "unit.manage")
    if not streets_for(user).filter(pk=organisation.street_id).exists():
        raise Http404("该承办机构不在您的管辖范围内。")


def _text(value, limit: int) -> str:
    return (value or "").strip()[:limit]


# --- units and categories (street admins) ----------------------------------------------------------


def update_unit(
    unit: HandlingUnit, *, actor: Actor, name: str, handles: str = "", not_handles: str = "", is_active=True
):
    """Rename a unit, say what it handles and what not, retire or restore it. The code never changes."""
    _check_directory(actor)
    name = _text(name, 40)
    if not name:
        raise ValidationError({"name": "请填写单位名称。"})
    if HandlingUnit.objects.exclude(pk=unit.pk).filter(name=name).exists():
        raise ValidationError({"name": f"已有名为“{name}”的承办单位。"})
    unit = HandlingUnit.objects.get(pk=unit.pk)
    unit.name, unit.handles, unit.not_handles = name, _text(handles, 2000), _text(not_handles, 2000)
    unit.is_active = bool(is_active)
    return save_audited(unit, actor)


def _category_fields(category: Category, *, name, unit, default_urgency, deadlines: dict) -> None:
    errors = {}
    name = _text(name, 40)
    if not name:
        errors["name"] = "请填写类别名称。"
    elif Category.objects.exclude(pk=category.pk).filter(name=name).exists():
        errors["name"] = f"已有名为“{name}”的类别。"
    if unit is None:
        errors["unit"] = "请选择默认承办单位。"
    if default_urgency not in Urgency.values:
        errors["default_urgency"] = "请选择默认紧急程度。"
    for field, label, low, high, what in DEADLINE_BOUNDS:
        value = deadlines.get(field, getattr(category, field))
        # Typed text is read by parse_int ('²' is not a number of days); numbers from a form or the CLI as is.
        value = parse_int(value) if isinstance(value, str) else value if isinstance(value, int) else None
        if value is None:
            errors[field] = f"{label}请填写整数。"
            continue
        if not low <= value <= high:
            errors[field] = f"{label}应在{low}到{high}{what}之间。"
            continue
        setattr(category, field, value)
    if not errors and category.urgent_hours > category.expedited_hours:
        errors["urgent_hours"] = "紧急件的办结时限不能长于急办件。"
    if not errors and category.normal_workdays > category.complex_workdays:
        errors["normal_workdays"] = "一般件的办结时限不能长于复杂件。"
    if errors:
        raise ValidationError(errors)
    category.name, category.unit, category.default_urgency = name, unit, default_urgency


def update_category(
    category: Category,
    *,
    actor: Actor,
    name: str,
    unit: HandlingUnit,
    default_urgency: str,
    is_active=True,
    **deadlines,
) -> Category:
    _check_directory(actor)
    category = Category.objects.get(pk=category.pk)
    _category_fields(category, name=name, unit=unit, default_urgency=default_urgency, deadlines=deadlines)
    category.is_active = bool(is_active)
    return save_audited(category, actor)


def create_category(
    *, actor: Actor, code: str, name: str, unit: HandlingUnit, default_urgency: str = Urgency.NORMAL, **deadlines
) -> Category:
    _check_directory(actor)
    code = _text(code, 40).lower()
    if not code:
        raise ValidationError({"code": "请填写类别代码（英文字母、数字、下划线）。"})
    if Category.objects.filter(code=code).exists():
        raise ValidationError({"code": f"代码“{code}”已被使用。"})
    category = Category(code=code)
    _category_fields(category, name=name, unit=unit, default_urgency=default_urgency, deadlines=deadlines)
    try:
        full_clean(category, exclude=["unit"])
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "code" in exc.error_dict:
            raise ValidationError({"code": "代码只能由英文字母、数字、下划线和连字符组成。"}) from exc
        raise
    return save_audited(category, actor)


# --- organisations ---------------------------------------------------------------------------------


@transaction.atomic
def save_organisation(
    organisation: Organisation | None,
    *,
    actor: Actor,
    name: str,
    unit: HandlingUnit,
    street: Street,
    contact_name: str = "",
    phone: str = "",
    address: str = "",
    note: str = "",
    handlers=(),
    is_active=True,
) -> Organisation:
    """Create (organisation None) or edit an organisation of a street in the manager's scope."""
    user = actor.account
    creating = organisation is None or organisation.pk is None
    if creating:
        organisation = Organisation()
        before = None
        old_handlers = set()
    else:
        _check_organisation(actor, organisation)
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = audit.snapshot(organisation)
        old_handlers = set(organisation.handlers.values_list("pk", flat=True))
    if street is None:
        raise ValidationError({"street": "请选择所属街道。"})
    if user is not None:
        require_perm(user, "unit.manage")
        if not streets_for(user).filter(pk=street.pk).exists():
            raise ValidationError({"street": "所选街道不在您的管辖范围内。"})
    if unit is None:
        raise ValidationError({"unit": "请选择单位类型。"})
    name = _text(name, 80)
    if not name:
        raise ValidationError({"name": "请填写机构名称。"})
    if Organisation.objects.exclude(pk=organisation.pk).filter(street=street, name=name).exists():
        raise ValidationError({"name": f"本街道已有名为“{name}”的承办机构。"})
    try:
        phone = normalize_phone(phone)
    except PhoneError as exc:
        raise ValidationError({"phone": str(exc)}) from exc
    if not creating and organisation.street_id != street.pk and organisation.bindings.exists():
        raise ValidationError({"street": "该机构已在社区中承办，不能改到别的街道。请先解除这些社区的设置。"})
    new_handlers = {u.pk for u in handlers}
    if user is not None and not user.is_superuser:
        allowed = set(handler_candidates(user).values_list("pk", flat=True))
        if new_handlers - old_handlers - allowed:
            raise ValidationError({"handlers": "所选承办人账号不在您可管理的账号中。"})
    organisation.name, organisation.unit, organisation.street = name, unit, street
    organisation.contact_name = _text(contact_name, 40)
    organisation.phone = phone
    organisation.address = _text(address, 120)
    organisation.note = _text(note, 2000)
    organisation.is_active = bool(is_active)
    full_clean(organisation)
    organisation.save()
    organisation.handlers.set(list(new_handlers))
    audit.record(
        organisation,
        ChangeAction.CREATE if creating else ChangeAction.UPDATE,
        before,
        audit.snapshot(organisation),
        actor,
    )
    return organisation


# --- per community: bindings and routes ------------------------------------------------------------


@transaction.atomic
def bind_unit(
    community: Community, unit: HandlingUnit, organisation: Organisation | None, *, actor: Actor, note: str = ""
) -> UnitBinding | None:
    """Say which organisation handles `unit` in `community`; None removes the setting."""
    _check_community(actor, community)
    binding = UnitBinding.objects.select_for_update().filter(community=community, unit=unit).first()
    if organisation is None:
        if binding is not None:
            delete_audited(binding, actor, note="解除承办机构")
        return None
    if organisation.street_id != community.street_id:
        raise ValidationError({"organisation": "只能选择本街道登记的承办机构。"})
    if organisation.unit_id != unit.pk:
        raise ValidationError({"organisation": f"“{organisation.name}”登记的单位类型不是“{unit.name}”。"})
    if not organisation.is_active:
        raise ValidationError({"organisation": f"“{organisation.name}”已停用，不能承办。"})
    if binding is None:
        binding = UnitBinding(community=community, unit=unit)
    binding.organisation = organisation
    binding.note = _text(note, 200)
    try:
        return save_audited(binding, actor)
    except IntegrityError as exc:  # pragma: no cover - two managers saving at once
        raise ValidationError("该社区的设置刚被别人修改，请刷新后再试。") from exc


@transaction.atomic
def route_category(
    community: Community, category: Category, unit: HandlingUnit | None, *, actor: Actor
) -> CategoryRoute | None:
    """In `community`, send `category` to `unit`; None (or the directory's default unit) removes the route."""
    _check_community(actor, community)
    route = CategoryRoute.objects.select_for_update().filter(community=community, category=category).first()
    if unit is None or unit.pk == category.unit_id:
        if route is not None:
            delete_audited(route, actor, note="恢复默认承办单位")
        return None
    if not unit.is_active:
        raise ValidationError({"unit": f"“{unit.name}”已停用。"})
    if route is None:
        route = CategoryRoute(community=community, category=category)
    route.unit = unit
    return save_audited(route, actor)


# --- reading the directory of a community ----------------------------------------------------------


def guide_for(community: Community, *, include_inactive: bool = False) -> list[dict]:
    """Each unit with its organisation in `community` and the categories that go to it there."""
    units = list(HandlingUnit.objects.all() if include_inactive else HandlingUnit.objects.filter(is_active=True))
    bindings = {
        b.unit_id: b
        for b in UnitBinding.objects.filter(community=community).select_related("organisation")
        if b.organisation.is_active or include_inactive
    }
    routes = dict(CategoryRoute.objects.filter(community=community).values_list("category_id", "unit_id"))
    by_unit: dict[int, list[Category]] = {u.pk: [] for u in units}
    for category in Category.objects.filter(is_active=True):
        unit_id = routes.get(category.pk, category.unit_id)
        by_unit.setdefault(unit_id, []).append(category)
    rows = []
    for unit in units:
        binding = bindings.get(unit.pk)
        categories = by_unit.get(unit.pk, [])
        words = " ".join([unit.name, unit.handles, unit.not_handles, *(c.name for c in categories)])
        rows.append(
            {
                "unit": unit,
                "binding": binding,
                "organisation": binding.organisation if binding else None,
                "categories": categories,
                "keywords": words,
            }
        )
    return rows


def require_directory_user(user) -> None:
    if not (user.is_authenticated and (user.is_superuser or user.has_role_perm("unit.directory"))):
        raise PermissionDenied("您的角色没有这项权限。")


def handler_organisations_for(user):
    """Organisations whose handlers `user` may set from the account form: those of the streets they manage."""
    if user is None or user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(street__in=streets_for(user))


@transaction.atomic
def set_handler_organisations(account: User, organisations, *, actor: Actor) -> None:
    """承办机构 from the account form: `account` becomes a handler of exactly `organisations` among those the
    actor may manage; memberships in organisations outside the actor's scope are left as they are.

    The caller has checked that the actor may manage `account` (linli.accounts.services.check_manageable).
    Each organisation that gains or loses the account gets its change record, as from the organisation page.
    """
    user = actor.account
    if user is not None:
        require_perm(user, "unit.manage")
    in_scope = set(handler_organisations_for(user).values_list("pk", flat=True))
    wanted = {org.pk for org in organisations}
    if wanted - in_scope:
        raise ValidationError({"organisations": "所选承办机构不在您的管辖范围内。"})
    if wanted and account.role == Role.RESIDENT:
        raise ValidationError({"organisations": "居民账号不能作为承办人。"})
    current = set(account.handled_orgs.filter(pk__in=in_scope).values_list("pk", flat=True))
    for org in Organisation.objects.select_for_update().filter(pk__in=wanted ^ current).order_by("pk"):
        before = audit.snapshot(org)
        if org.pk in wanted:
            org.handlers.add(account)
        else:
            org.handlers.remove(account)
        audit.record(org, ChangeAction.UPDATE, before, audit.snapshot(org), actor)
