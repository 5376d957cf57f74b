"""linli.core.api_answers.answer builds the same schema instance (the same JSON) as django-ninja's validation of the
object would, without it; shapes it does not understand are refused when first used, never answered differently."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from ninja import Field, Schema
from pydantic import ConfigDict

from linli.core.api_answers import answer, plan


class Item(Schema):
    name: str
    size: int = Field(alias="get_size")


class Thing(Schema):
    id: int
    title: str
    when: datetime.datetime | None
    label: str = Field(alias="get_label")
    owner: str | None = Field(alias="owner.name")
    parent_id: int | None = Field(None, alias="parent")
    shown: str
    secret: str
    items: list[Item] = Field(alias="children")
    first: Item | None
    tags: list[str]
    note: str = "（无）"

    @staticmethod
    def resolve_shown(obj):
        return obj.title.upper()

    @staticmethod
    def resolve_secret(obj, context):
        return obj.secret if context["request"].full else "***"


def a_thing(**changes):
    children = [SimpleNamespace(name="甲", get_size=lambda: 1), SimpleNamespace(name="乙", get_size=lambda: 2)]
    thing = SimpleNamespace(
        id=7,
        title="楼道灯",
        when=datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC),
        get_label=lambda: "待派单",
        owner=SimpleNamespace(name="王"),
        parent=None,
        secret="13800001111",
        children=children,
        first=children[0],
        tags=["a", "b"],
    )
    for name, value in changes.items():
        setattr(thing, name, value)
    return thing


@pytest.mark.parametrize("full", [True, False])
@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"when": None, "first": None, "children": []},
        {"parent": 3, "note": "有"},
        {"owner": SimpleNamespace(name="")},
    ],
)
def test_it_answers_what_ninja_validates(full, changes):
    context = {"request": SimpleNamespace(full=full), "response_status": 200}
    thing = a_thing(**changes)
    assert answer(Thing, thing, context).model_dump() == Thing.model_validate(thing, context=context).model_dump()
    assert answer(Thing, thing, context).model_dump(by_alias=True) == Thing.model_validate(
        thing, context=context
    ).model_dump(by_alias=True)


def test_a_missing_value_with_a_default_takes_it_and_without_one_is_an_error():
    context = {"request": SimpleNamespace(full=True)}
    thing = a_thing()
    assert answer(Thing, thing, context).note == "（无）"
    del thing.tags
    with pytest.raises(AttributeError, match="Thing.tags"):
        answer(Thing, thing, context)


class WithFactory(Schema):
    names: list[str] = Field(default_factory=list)


class WithDictOfSchemas(Schema):
    by_name: dict[str, Item]


class WithTupleOfSchemas(Schema):
    pair: tuple[Item, Item]


class WithUnionOfSchemas(Schema):
    either: Item | Thing


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str


@pytest.mark.parametrize("schema", [WithFactory, WithDictOfSchemas, WithTupleOfSchemas, WithUnionOfSchemas])
def test_shapes_it_does_not_understand_are_refused_when_first_planned(schema):
    with pytest.raises(TypeError, match=schema.__name__):
        plan(schema)


def test_a_plain_schema_is_planned_once():
    assert plan(Strict) is plan(Strict)
    assert answer(Strict, SimpleNamespace(name="甲")).model_dump() == {"name": "甲"}
