"""Sessions: read from the cache, written through to a table that knows whose each one is
(coprod.sessions); the signed-in login comes with its person in one query, and a staff member's
permissions in one more (coprod.auth_backends);
a form page asks for a draft only when the session knows there is one (coprod.doors)."""

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from coprod.auth_backends import ModelBackend
from coprod.enums import Role
from coprod.models import FormDraft, LoginSession, User
from coprod.services.drafts import save_draft
from coprod.sessions import SessionStore, end_sessions_of
from tests.caches import clear_own_cache
from tests.factories.core import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.post("/accounts/login/", {"login": user.email, "password": TEST_PASSWORD})
    assert client.get("/portal/").status_code == 200
    return client


def test_a_session_records_whose_it_is():
    member = make_user(roles=[Role.PWLE])

    client = signed_in(member)

    session = LoginSession.objects.get(session_key=client.session.session_key)
    assert session.user_id == member.pk


def test_ending_a_logins_sessions_signs_it_out_everywhere_and_nobody_else():
    member, other = make_user(roles=[Role.PWLE]), make_user(roles=[Role.PWLE])
    phone, laptop, bystander = signed_in(member), signed_in(member), signed_in(other)
    keys = [phone.session.session_key, laptop.session.session_key]
    assert None not in [cache.get(SessionStore.cache_key_prefix + key) for key in keys]

    ended = end_sessions_of(member.pk)

    assert ended == 2
    assert not LoginSession.objects.filter(session_key__in=keys).exists()
    assert [cache.get(SessionStore.cache_key_prefix + key) for key in keys] == [None, None]
    assert phone.get("/portal/").status_code == 302
    assert laptop.get("/portal/").status_code == 302
    assert bystander.get("/portal/").status_code == 200


def test_a_session_is_read_from_the_cache_and_survives_losing_it():
    client = signed_in(make_user(roles=[Role.PWLE]))

    with CaptureQueriesContext(connection) as from_cache:
        client.get("/portal/")
    clear_own_cache()
    with CaptureQueriesContext(connection) as after_flush:
        response = client.get("/portal/")

    session_reads = [q for q in from_cache if "coprod_loginsession" in q["sql"]]
    assert (session_reads, response.status_code) == ([], 200)
    assert any("coprod_loginsession" in q["sql"] for q in after_flush)


def test_the_login_and_its_person_come_in_one_query():
    client = signed_in(make_user(roles=[Role.PWLE]))

    with CaptureQueriesContext(connection) as queries:
        client.get("/healthz/")

    reads = [q["sql"] for q in queries if "coprod_user" in q["sql"]]
    assert len(reads) == 1
    assert "coprod_person" in reads[0]
    assert not any("coprod_person" in q["sql"] and "coprod_user" not in q["sql"] for q in queries)


def test_a_deactivated_login_is_signed_out_at_its_next_request():
    member = make_user(roles=[Role.PWLE])
    client = signed_in(member)

    User.objects.filter(pk=member.pk).update(is_active=False)

    assert client.get("/portal/").status_code == 302


def test_a_form_page_does_not_look_for_drafts_the_session_knows_are_not_there():
    client = signed_in(make_user(roles=[Role.PWLE]))

    with CaptureQueriesContext(connection) as queries:
        client.get("/portal/profile/")

    assert not any("coprod_formdraft" in q["sql"] for q in queries)


def test_a_draft_waiting_at_sign_in_is_shown_once():
    member = make_user(roles=[Role.PWLE])
    FormDraft.objects.create(
        user=member, path="/portal/profile/", data={"chosen_name": ["Typed Before"]}
    )
    client = signed_in(member)

    first = client.get("/portal/profile/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/portal/profile/").content.decode()

    assert 'value="Typed Before"' in first
    assert 'value="Typed Before"' not in second
    assert not FormDraft.objects.exists()
    # Once taken, the session forgets it: the next visit does not look again.
    assert [q["sql"] for q in queries if "coprod_formdraft" in q["sql"]] == []


def test_permissions_come_in_one_query_and_match_djangos_answer():
    member = make_user(roles=[Role.PWLE])
    group = Group.objects.create(name="Readers")
    group.permissions.add(Permission.objects.get(codename="view_person"))
    member.groups.add(group)
    member.user_permissions.add(Permission.objects.get(codename="view_invitation"))
    fresh = User.objects.get(pk=member.pk)

    with CaptureQueriesContext(connection) as queries:
        ours = ModelBackend().get_all_permissions(fresh)
    djangos = DjangoModelBackend().get_all_permissions(User.objects.get(pk=member.pk))

    assert ours == djangos == {"coprod.view_person", "coprod.view_invitation"}
    assert len(queries) == 1
    fresh.is_active = False
    assert ModelBackend().get_all_permissions(fresh) == set()


def test_a_superuser_has_every_permission():
    admin = make_user(roles=[Role.PWLE])
    admin.is_superuser = True

    assert len(ModelBackend().get_all_permissions(admin)) == Permission.objects.count()


def test_a_session_saved_from_async_code_records_whose_it_is_too():
    member = make_user(roles=[Role.PWLE])
    store = SessionStore()
    store[SESSION_KEY] = str(member.pk)

    async_to_sync(store.asave)()

    assert LoginSession.objects.get(session_key=store.session_key).user_id == member.pk


def test_a_permission_on_an_object_is_left_to_the_object_backend_as_django_does():
    member = make_user(roles=[Role.PWLE])
    member.user_permissions.add(Permission.objects.get(codename="view_person"))
    fresh = User.objects.get(pk=member.pk)

    ours = ModelBackend().get_all_permissions(fresh, obj=member.person)
    djangos = DjangoModelBackend().get_all_permissions(fresh, obj=member.person)

    assert ours == djangos == set()


def test_an_inactive_superuser_has_no_permission_as_django_says():
    admin = make_user(roles=[Role.PWLE])
    User.objects.filter(pk=admin.pk).update(is_superuser=True, is_active=False)

    ours = ModelBackend().get_all_permissions(User.objects.get(pk=admin.pk))
    djangos = DjangoModelBackend().get_all_permissions(User.objects.get(pk=admin.pk))

    assert ours == djangos == set()


def test_a_session_cached_again_while_erasure_commits_is_removed_once_it_has(
    django_capture_on_commit_callbacks,
):
    member = make_user(roles=[Role.PWLE])
    key = signed_in(member).session.session_key
    cache_key = SessionStore.cache_key_prefix + key

    with django_capture_on_commit_callbacks(execute=True):
        end_sessions_of(member.pk)
        # A request racing the transaction read the row it could still see and cached it.
        cache.set(cache_key, {"_auth_user_id": str(member.pk)})

    assert cache.get(cache_key) is None


def test_a_draft_saved_on_another_device_is_offered_on_one_still_signed_in():
    member = make_user(roles=[Role.PWLE])
    laptop = signed_in(member)
    laptop.get("/portal/profile/")  # the laptop's session knows of no draft

    save_draft(member, path="/portal/profile/", data={"chosen_name": ["Typed On The Phone"]})
    page = laptop.get("/portal/profile/").content.decode()

    assert 'value="Typed On The Phone"' in page
    assert not FormDraft.objects.exists()
