"""Organisational life (三会一课, 民主评议) as other party pages show it: the part of a branch's page about its
meetings and the compliance line of the 党建 home block. Filled in by the organisational-life part."""

from __future__ import annotations


def org_life(org, user) -> dict:
    """Context for party/_org_life.html on an organisation's page."""
    return {}


def home_compliance(user, orgs) -> dict:
    """Context for party/_home_compliance.html in the 党建 home block (`orgs`: the branches the block covers)."""
    return {}
