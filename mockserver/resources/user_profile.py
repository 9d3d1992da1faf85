"""User profile (``user-profile``, v3 paths): what a user may see and change in the admin portal."""
from __future__ import annotations

import marshmallow as ma

from .spec import DTO, Bool, Ids, Long, Nest, Ref, Resource, Str, tag


class UserProfilePermissionsDTO(DTO):
    """One permission of the profile."""

    name = Str(required=True)
    access = Str(enum=("EDIT", "VIEW", "NONE", "ENABLED", "DISABLED"))


class ResourceTypesDTO(DTO):
    """Resources of one type in a collection."""

    name = Str(required=True)
    accessLevel = Str(required=True, enum=("SPECIFIC", "ALL", "PROVISIONED_VALUE", "NONE"))
    ids = Ids()


class ResourceCollectionDTO(DTO):
    """A resource collection attached to the profile."""

    name = Str(required=True, max=80, pattern=r"^[a-zA-Z\d\-_\s]+$")
    description = Str(max=255)
    resources = Nest(ResourceTypesDTO, many=True)
    resourceCount = Long()


def _folders():
    return ma.fields.List(ma.fields.Integer(strict=True), allow_none=True)


class UserProfileGranularAccessDTO(DTO):
    """A user profile."""

    name = Str(required=True, max=80, pattern=r"^[a-zA-Z0-9,_\-\s]*$")
    description = Str(max=255)
    profileType = Str(required=True, enum=("ADMINISTRATOR", "ADMINISTRATOR_ONLY", "SUPERVISOR", "PREMIUM_AGENT",
                                           "STANDARD_AGENT", "ANALYZER_ADMINISTRATOR", "ANALYZER_SUPERVISOR",
                                           "ANALYZER_USER"))
    active = Bool(required=True)
    permissionAccessLevel = Str(required=True, enum=("SPECIFIC", "ALL", "PROVISIONED_VALUE", "NONE"))
    resourceAccessLevel = Str(required=True, enum=("SPECIFIC", "ALL", "PROVISIONED_VALUE", "NONE"))
    permissions = Nest(UserProfilePermissionsDTO, many=True)
    editableFolderIds = _folders()
    viewableFolderIds = _folders()
    nonViewableFolderIds = _folders()
    systemDefault = Bool()
    defaultResourceCollectionId = Str()
    resourceCollections = Nest(ResourceCollectionDTO, many=True)


def example(make) -> dict:
    """A minimal valid user profile."""
    return {"name": f"Profile {tag()}", "profileType": "STANDARD_AGENT", "active": True,
            "permissionAccessLevel": "ALL", "resourceAccessLevel": "ALL"}


SPEC = Resource(
    "user-profile", "User Profile", UserProfileGranularAccessDTO, example,
    v1_list=None, paged=("v3/user-profile",), create=("v3/user-profile",),
    items={"v3/user-profile/<id>": "GET PUT DELETE"},
    bulk={"v3/user-profile/bulk": "POST"},
    list_drop=("permissions", "editableFolderIds", "viewableFolderIds", "nonViewableFolderIds",
               "resourceCollections"),
    search=("name", "profileType", "description"), extras=("lookups",),
    refs=(Ref("defaultResourceCollectionId", "resource-collection"),),
)
