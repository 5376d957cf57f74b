"""What the API schemas of several apps share: the community a row belongs to, and phones shown in full or masked.

A schema field that only passes an attribute through is declared with an alias (`Field(alias="grid_id")`,
`Field(alias="household.address")`: django-ninja follows dotted names), not with a `resolve_<field>` method.
A resolver is for what is computed.

The field types keep their place in each schema (a mixin's fields would come first in every answer); the mixin
adds only resolvers, so a schema that declares `phone` decides where it stands and how it is described.
"""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Schema

from linli.accounts.api_auth import full_personal_data

#: The role permission that shows a full phone number (the pages ask the same one).
REVEAL_PHONE = "resident.reveal_phone"

#: A row's community, as its id (a row of one community: a resident, an appeal, an activity, an account ...).
CommunityId = Annotated[int, Field(alias="community_id", description="社区id")]

#: The name of a row's community.
CommunityName = Annotated[str, Field(alias="community.name")]


def shows_full_phone(context) -> bool:
    """Whether this API call sees full phone numbers: a role that may reveal them, through a login session or a
    token made with 完整电话和敏感标签 (full_personal_data). Otherwise numbers are masked (139****5678)."""
    request = context["request"]
    return request.auth_user.has_role_perm(REVEAL_PHONE) and full_personal_data(request)


class PhoneSchema(Schema):
    """Mixin for a schema with a `phone` field: the row's `phone` in full where `shows_full_phone`, else its
    `phone_masked`. The schema declares `phone` itself (its place and its description)."""

    @staticmethod
    def resolve_phone(obj, context):
        return obj.phone if shows_full_phone(context) else obj.phone_masked
