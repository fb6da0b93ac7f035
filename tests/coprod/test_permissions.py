"""Object permissions: staff groups grant model-wide rights; django-guardian per-object grants."""

import pytest
from django.conf import settings
from guardian.shortcuts import assign_perm, remove_perm

from coprod.enums import Role, StaffGroup
from coprod.permissions import has_object_permission, may_see_contact_details, may_see_legal_name
from tests.factories import InvitationFactory, make_staff, make_user


@pytest.mark.django_db
def test_object_permission_granted_through_guardian_covers_only_that_object():
    user = make_user(roles=[Role.LEE])
    granted, other = InvitationFactory(), InvitationFactory()

    assign_perm("coprod.view_invitation", user, granted)

    assert has_object_permission(user, "coprod.view_invitation", granted) is True
    assert has_object_permission(user, "coprod.view_invitation", other) is False


@pytest.mark.django_db
def test_object_permission_removed_through_guardian_takes_effect_at_once():
    user = make_user(roles=[Role.LEE])
    invitation = InvitationFactory()
    assign_perm("coprod.view_invitation", user, invitation)

    remove_perm("coprod.view_invitation", user, invitation)

    fresh = type(user).objects.get(pk=user.pk)  # permission caches live on the instance
    assert has_object_permission(fresh, "coprod.view_invitation", invitation) is False


@pytest.mark.django_db
def test_object_permission_from_staff_group_covers_every_object():
    staff = make_staff(StaffGroup.ENGAGEMENT)

    assert has_object_permission(staff, "coprod.view_invitation", InvitationFactory()) is True


@pytest.mark.django_db
def test_object_permission_refused_for_inactive_user_even_with_a_grant():
    user = make_user(roles=[Role.LEE], is_active=False)
    invitation = InvitationFactory()
    assign_perm("coprod.view_invitation", user, invitation)

    assert has_object_permission(user, "coprod.view_invitation", invitation) is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("group", "legal_name", "contact"),
    [
        (StaffGroup.FINANCE, True, False),
        (StaffGroup.ENGAGEMENT, False, True),
        (StaffGroup.FUNDING, False, False),
        (StaffGroup.PARTNERSHIPS, False, False),
    ],
)
def test_restricted_fields_visible_only_to_their_group(group, legal_name, contact):
    staff = make_staff(group)

    assert (may_see_legal_name(staff), may_see_contact_details(staff)) == (legal_name, contact)


@pytest.mark.django_db
def test_restricted_fields_not_visible_to_participants_even_with_a_direct_permission():
    user = make_user(roles=[Role.PRACTITIONER])
    assign_perm("coprod.view_contact_details", user)

    assert may_see_contact_details(user) is False


def test_guardian_has_no_anonymous_user_row():
    assert settings.ANONYMOUS_USER_NAME is None
    assert "guardian.backends.ObjectPermissionBackend" in settings.AUTHENTICATION_BACKENDS
