"""Object permissions: staff groups grant model-wide rights; django-guardian per-object grants."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.views.generic import DetailView
from guardian.shortcuts import assign_perm, remove_perm

from coprod.enums import Role, StaffGroup
from coprod.models import Notification
from coprod.permissions import (
    ObjectAccessMixin,
    get_object_for_user,
    has_object_permission,
    may_see_contact_details,
    may_see_legal_name,
)
from coprod.selectors import invitations_for_user, visible_to
from tests.factories import InvitationFactory, NotificationFactory, make_staff, make_user


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


class InvitationPage(ObjectAccessMixin, DetailView):
    """A class-based view as later apps write them: selector first, then the action."""

    selector = invitations_for_user
    action = "coprod.change_invitation"
    template_name = "staff/invitation_detail.html"

    def render_to_response(self, context, **kwargs):
        return HttpResponse(self.object.pk)


class StaffOnlyInvitationPage(InvitationPage):
    page_allowed = staticmethod(lambda user: user.is_staff)


def open_page(user, invitation, view=InvitationPage):
    request = RequestFactory().get("/")
    request.user = user
    return view.as_view()(request, pk=invitation.pk)


@pytest.mark.django_db
def test_access_mixin_shows_an_object_to_staff_allowed_to_act_on_it():
    staff = make_staff(StaffGroup.ENGAGEMENT)
    invitation = InvitationFactory()

    response = open_page(staff, invitation)

    assert (response.status_code, response.content) == (200, str(invitation.pk).encode())


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["participant", "funding staff"])
def test_access_mixin_hides_an_object_the_visitor_may_not_see(kind, caplog):
    user = make_user(roles=[Role.LEE]) if kind == "participant" else make_staff(StaffGroup.FUNDING)

    with pytest.raises(Http404):
        open_page(user, InvitationFactory())

    assert [r.getMessage() for r in caplog.records if r.name == "coprod.security"] == [
        f"security event=access outcome=not_found user={user.pk} view=-"
    ]


@pytest.mark.django_db
def test_access_mixin_shows_an_object_granted_to_a_participant_but_forbids_acting_on_it():
    user = make_user(roles=[Role.LEE])
    granted = InvitationFactory()
    assign_perm("coprod.view_invitation", user, granted)

    with pytest.raises(PermissionDenied):
        open_page(user, granted)


@pytest.mark.django_db
def test_access_mixin_lets_a_visitor_act_on_an_object_granted_for_that_action():
    user = make_user(roles=[Role.LEE])
    granted, other = InvitationFactory(), InvitationFactory()
    assign_perm("coprod.view_invitation", user, granted)
    assign_perm("coprod.view_invitation", user, other)
    assign_perm("coprod.change_invitation", user, granted)

    assert open_page(user, granted).status_code == 200
    with pytest.raises(PermissionDenied):
        open_page(user, other)


@pytest.mark.django_db
def test_access_mixin_checks_the_page_before_the_object():
    user = make_user(roles=[Role.LEE])
    granted = InvitationFactory()
    assign_perm("coprod.view_invitation", user, granted)
    assign_perm("coprod.change_invitation", user, granted)

    with pytest.raises(PermissionDenied):
        open_page(user, granted, view=StaffOnlyInvitationPage)


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.django_db
def test_get_object_for_user_is_the_same_door_for_function_views(caplog):
    user = make_user(roles=[Role.LEE])
    granted, hidden = InvitationFactory(), InvitationFactory()
    assign_perm("coprod.view_invitation", user, granted)

    found = get_object_for_user(request_for(user), invitations_for_user, pk=granted.pk)
    with pytest.raises(Http404):
        get_object_for_user(request_for(user), invitations_for_user, pk=hidden.pk)
    with pytest.raises(PermissionDenied):
        get_object_for_user(
            request_for(user),
            invitations_for_user,
            action="coprod.change_invitation",
            pk=granted.pk,
        )

    assert found == granted
    assert [
        r.getMessage().split(" ")[2] for r in caplog.records if r.name == "coprod.security"
    ] == [
        "outcome=not_found",
        "outcome=refused",
    ]


@pytest.mark.django_db
def test_visible_to_lets_owners_see_their_own_rows_only():
    member = make_user(roles=[Role.PWLE])
    own = NotificationFactory(person=member.person)
    NotificationFactory()

    seen = visible_to(member, Notification.objects.all(), owner="person")

    assert list(seen) == [own]


@pytest.mark.django_db
def test_visible_to_gives_staff_of_the_right_group_every_row_and_others_none():
    engagement, finance = make_staff(StaffGroup.ENGAGEMENT), make_staff(StaffGroup.FINANCE)
    rows = [NotificationFactory(), NotificationFactory()]
    everything = Notification.objects.order_by("pk")

    seen_by_engagement = visible_to(
        engagement, everything, staff_permission="coprod.view_notification"
    )
    seen_by_finance = visible_to(finance, everything, staff_permission="coprod.view_notification")

    assert list(seen_by_engagement) == rows
    assert list(seen_by_finance) == []


@pytest.mark.django_db
def test_visible_to_shows_nothing_to_an_inactive_login_even_its_own_rows():
    member = make_user(roles=[Role.PWLE], is_active=False)
    NotificationFactory(person=member.person)

    assert list(visible_to(member, Notification.objects.all(), owner="person")) == []


@pytest.mark.django_db
def test_visible_to_gives_every_row_only_to_staff_not_to_a_participant_with_the_permission():
    member = make_user(roles=[Role.PWLE])
    assign_perm("coprod.view_notification", member)
    NotificationFactory()

    seen = visible_to(
        type(member).objects.get(pk=member.pk),
        Notification.objects.all(),
        staff_permission="coprod.view_notification",
    )

    assert list(seen) == []
