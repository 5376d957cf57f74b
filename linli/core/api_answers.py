"""An API answer built from a model instance without django-ninja's per-attribute validation.

django-ninja answers an endpoint by validating what it returned against the response schema, through its
`DjangoGetter`: every field is one `__getattr__` that looks for a resolver, reads the attribute, checks whether the
value is a manager, a queryset, a callable or a file, then pydantic validates it. For an appeal's detail (47 fields and
its timeline) that is ~70 such reads, about a tenth of a create's CPU (docs/benchmarks.md, API create). The values
are the database's own, already of the schema's types, so `answer()` reads them once, the same way, and builds the
schema's instance with `model_construct` (no validation); ninja then serialises that instance as it is, without
validating it again (`Operation._result_to_response`). The answer is the same JSON: tested equal to ninja's own for
every schema it is used with (linli/core/tests/test_api_answers.py and the apps' API tests).

Supported: a field with a `resolve_<name>` resolver (static, with or without `context`), a plain or dotted attribute
(its alias), a callable attribute (called, e.g. `get_status_display`), a related manager or queryset (listed), a
nested schema, a list of schemas or an optional schema. Anything else makes `plan()` raise at once, so a schema this
does not understand fails in its first test instead of answering differently.
"""

from __future__ import annotations

import types
import typing
from operator import attrgetter

from django.db.models import Manager, QuerySet
from django.db.models.fields.files import FieldFile
from ninja import Schema
from pydantic_core import PydanticUndefined

_PLANS: dict[type, tuple] = {}
_MISSING = object()


def answer(schema: type[Schema], obj, context: dict | None = None) -> Schema:
    """`schema` for `obj`, as ninja's validation of `obj` would build it. `context` is what resolvers taking one read
    (ninja passes {"request": request, "response_status": status})."""
    values = {}
    for name, read, nested, default in plan(schema):
        value = read(obj, context)
        if value is _MISSING:
            if default is _MISSING:
                raise AttributeError(f"{type(obj).__name__} has no value for {schema.__name__}.{name}")
            value = default
        elif nested is not None and value is not None:
            schema_of, many = nested
            value = [answer(schema_of, item, context) for item in value] if many else answer(schema_of, value, context)
        values[name] = value
    return schema.model_construct(**values)


def plan(schema: type[Schema]) -> tuple:
    """How to read each field of `schema`: (name, read(obj, context), nested (schema, many) or None, default)."""
    found = _PLANS.get(schema)
    if found is None:
        found = _PLANS[schema] = tuple(_field_plan(schema, name, field) for name, field in schema.model_fields.items())
    return found


def _field_plan(schema, name, field):
    if field.default_factory is not None:
        raise TypeError(f"{schema.__name__}.{name}: a default_factory is not supported by api_answers")
    default = _MISSING if field.default is PydanticUndefined else field.default
    resolver = schema._ninja_resolvers.get(name)
    if resolver is not None:
        func, takes_context = resolver._func, resolver._takes_context
        if not resolver._static:
            raise TypeError(f"{schema.__name__}.resolve_{name}: only static resolvers are supported by api_answers")
        read = (lambda obj, context: func(obj, context=context)) if takes_context else (lambda obj, context: func(obj))
    else:
        read = _attribute(field.alias or name)
    return name, read, _nested(schema, name, field.annotation), default


def _attribute(path: str):
    getter = attrgetter(path)

    def read(obj, context):
        try:
            value = getter(obj)
        except AttributeError:
            return _MISSING
        if isinstance(value, Manager):
            return list(value.all())
        if isinstance(value, QuerySet):
            return list(value)
        if callable(value):
            return value()
        if isinstance(value, FieldFile):
            return value.url if value else None
        return value

    return read


def _nested(schema, name, annotation):
    """(schema, many) for a field holding schemas, None for a plain value; TypeError for shapes not supported."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        found = [_nested(schema, name, a) for a in inner]
        if any(found):
            if len(inner) != 1:
                raise TypeError(f"{schema.__name__}.{name}: a union of schemas is not supported by api_answers")
            return found[0]
        return None
    if origin is typing.Annotated:
        return _nested(schema, name, args[0])
    if origin in (list, tuple, set, frozenset):
        if args and isinstance(args[0], type) and issubclass(args[0], Schema):
            if origin is not list:
                raise TypeError(f"{schema.__name__}.{name}: only a list of schemas is supported by api_answers")
            return args[0], True
        if any(_holds_schema(a) for a in args):
            raise TypeError(f"{schema.__name__}.{name}: nested containers of schemas are not supported")
        return None
    if origin is dict:
        if any(_holds_schema(a) for a in args):
            raise TypeError(f"{schema.__name__}.{name}: a dict of schemas is not supported by api_answers")
        return None
    if isinstance(annotation, type) and issubclass(annotation, Schema):
        return annotation, False
    return None


def _holds_schema(annotation) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, Schema):
        return True
    return any(_holds_schema(a) for a in typing.get_args(annotation))
