"""The JSON API's schemas are named once: django-ninja files every response schema under its class name in the
OpenAPI document, so two apps' classes with one name silently replace each other (the votes app's per-building
turnout once overwrote the areas app's building, and the building list failed its own schema)."""

from linli.api import api


def _models(annotation, found):
    """Every pydantic model and enum reachable from an annotation (list[X], X | None, nested fields)."""
    import enum
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        found.add(annotation)
        return
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, found)
        return
    for arg in get_args(annotation):
        _models(arg, found)


def test_no_two_response_schemas_share_a_name():
    found = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.response_models.values():
                    _models(model, found)
    names = {}
    for model in found:
        names.setdefault(model.__name__, set()).add(f"{model.__module__}.{model.__qualname__}")
    clashes = {name: sorted(paths) for name, paths in names.items() if len(paths) > 1}
    assert not clashes, f"schemas with one name in the OpenAPI document: {clashes}"


def test_no_two_enums_of_the_schema_share_a_name():
    """Choices (TextChoices) in parameters and responses are OpenAPI components named by their class too: the support
    directory's OrgKind once replaced the party's, and the party's organisation list refused what its schema offered."""
    import enum

    found = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.response_models.values(), *getattr(operation, "models", [])]:
                    _models(model, found)
    names = {}
    for kind in found:
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            names.setdefault(kind.__name__, set()).add(f"{kind.__module__}.{kind.__qualname__}")
    assert names, "no enum found: the walk no longer reaches the parameters"
    clashes = {name: sorted(paths) for name, paths in names.items() if len(paths) > 1}
    assert not clashes, f"enums with one name in the OpenAPI document: {clashes}"
