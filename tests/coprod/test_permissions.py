"""Object permissions: staff groups grant model-wide rights; django-guardian per-object grants."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.views.generic import DetailView
from guardian.shortcuts import assign_perm, remove_perm

from coprod.enums import Role, StaffGroup
from coprod.permissions import (
    StaffPermissionMixin,
    has_object_permission,
    may_see_contact_details,
    may_see_legal_name,
)
from coprod.selectors import invitations_for_user
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


class InvitationPage(StaffPermissionMixin, DetailView):
    """A staff class-based view as later apps write them: selector first, then the action."""

    permission_required = ("coprod.view_invitation",)
    object_permission = "coprod.change_invitation"
    template_name = "staff/invitation_detail.html"

    def get_queryset(self):
        return invitations_for_user(self.request.user).filter(invited_by=self.request.user)

    def render_to_response(self, context, **kwargs):
        return HttpResponse(self.object.pk)


def open_page(user, invitation):
    request = RequestFactory().get("/")
    request.user = user
    return InvitationPage.as_view()(request, pk=invitation.pk)


@pytest.mark.django_db
def test_staff_mixin_shows_an_object_to_staff_allowed_to_act_on_it():
    staff = make_staff(StaffGroup.ENGAGEMENT)

    response = open_page(staff, InvitationFactory(invited_by=staff))

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["participant", "funding staff"])
def test_staff_mixin_refuses_users_without_the_model_permission(kind):
    user = make_user(roles=[Role.LEE]) if kind == "participant" else make_staff(StaffGroup.FUNDING)

    with pytest.raises(PermissionDenied):
        open_page(user, InvitationFactory(invited_by=user))


@pytest.mark.django_db
def test_staff_mixin_hides_an_object_the_selector_does_not_return():
    staff = make_staff(StaffGroup.ENGAGEMENT)

    with pytest.raises(Http404):
        open_page(staff, InvitationFactory())


@pytest.mark.django_db
def test_staff_mixin_forbids_an_action_without_permission_unless_granted_on_the_object():
    staff = make_staff(StaffGroup.FINANCE)
    assign_perm("coprod.view_invitation", staff)
    refused, granted = InvitationFactory(invited_by=staff), InvitationFactory(invited_by=staff)
    assign_perm("coprod.change_invitation", staff, granted)
    staff = type(staff).objects.get(pk=staff.pk)

    with pytest.raises(PermissionDenied):
        open_page(staff, refused)
    assert open_page(staff, granted).status_code == 200
