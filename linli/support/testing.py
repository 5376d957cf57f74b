"""Fixtures on top of the `world` personas (linli.testing) for the scope matrix (tests/scope_world.py)."""


def matrix_objects(world) -> dict:
    return {}
