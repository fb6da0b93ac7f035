"""Self-assessment pages: the member's form (rules, draft deleted once sent), thank-you and
results (no comments), the staff's rounds, opening and closing, a round's results with comments,
ids of another partnership (404), "Things to do", and fixed query counts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coprod.models import FormDraft
from coprod.services.drafts import save_draft
from partnerships.enums import PartnershipRole, RoundStatus
from partnerships.models import (
    AssessmentAnswer,
    AssessmentParticipation,
    AssessmentResponse,
    AssessmentRound,
)
from partnerships.services.assessment import answer_round, close_round
from tests.factories.core import make_staff, make_user
from tests.factories.partnerships import (
    CORE_ROLES,
    AssessmentRoundFactory,
    PartnershipFactory,
    add_member,
    make_partnerships_staff,
)
from tests.partnerships.assessment import answered_by, form_data, ratings
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def member_of(partnership, role=PartnershipRole.LEE):
    user = make_user(roles=CORE_ROLES[role])
    add_member(partnership, user.person, role)
    return user


def answer_url(round_):
    return reverse("partnerships_assessment:answer", kwargs={"round_id": round_.pk})


def saved():
    return (
        AssessmentParticipation.objects.count(),
        AssessmentResponse.objects.count(),
        AssessmentAnswer.objects.count(),
    )


def add_response(round_, role=PartnershipRole.LEE, rating=3, comment="A comment"):
    """An anonymous response saved straight into the tables (for counting queries)."""
    response = AssessmentResponse.objects.create(round=round_, role=role)
    AssessmentAnswer.objects.bulk_create(
        AssessmentAnswer(response=response, value=value, rating=rating, comment=comment)
        for value in form_data(3)
    )


def closed_round_with_answers(partnership, title="Spring", n=3, comment="Good meetings"):
    round_ = AssessmentRoundFactory(partnership=partnership, title=title)
    for _ in range(n):
        answered_by(round_, PartnershipRole.LEE, 4, comments={"networks": comment})
    return close_round(round_, by=partnership.lead)


# The member's form ---------------------------------------------------------------------------


def test_form_asks_the_five_questions_on_the_scale_and_says_answers_are_anonymous(client):
    round_ = AssessmentRoundFactory()
    client.force_login(member_of(round_.partnership))

    response = client.get(answer_url(round_))

    text = response.content.decode()
    assert response.status_code == 200
    assert text.count('type="radio"') == 25
    assert "Do people trust each other and share power fairly?" in text
    assert text.count("Do not write your name or anything that could identify you.") == 5
    assert "Your answers are anonymous." in text


def test_sending_answers_saves_them_deletes_the_draft_and_thanks(client):
    round_ = AssessmentRoundFactory()
    user = member_of(round_.partnership)
    save_draft(user, path=answer_url(round_), data={"networks": ["4"]})
    client.force_login(user)

    response = client.post(answer_url(round_), form_data(1, 2, 3, 4, 5, networks="Meet more"))

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "partnerships_assessment:thanks", kwargs={"round_id": round_.pk}
    )
    assert saved() == (1, 1, 5)
    assert AssessmentAnswer.objects.get(value="networks").comment == "Meet more"
    assert not FormDraft.objects.filter(user=user).exists()


def test_sending_with_a_question_unanswered_shows_errors_and_saves_nothing(client):
    round_ = AssessmentRoundFactory()
    client.force_login(member_of(round_.partnership))
    data = form_data(3)
    del data["trust_power"]

    response = client.post(answer_url(round_), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {"trust_power": ["Choose an answer for question 4"]}
    assert "There is a problem" in response.content.decode()
    assert saved() == (0, 0, 0)


def test_sending_a_rating_off_the_scale_shows_an_error_and_saves_nothing(client):
    round_ = AssessmentRoundFactory()
    client.force_login(member_of(round_.partnership))

    response = client.post(answer_url(round_), {**form_data(3), "networks": "9"})

    assert response.context["form"].errors == {
        "networks": ["Choose one of the five answers for question 2"]
    }
    assert saved() == (0, 0, 0)


def test_a_second_visit_after_answering_says_so_and_a_second_send_saves_nothing(client):
    round_ = AssessmentRoundFactory()
    client.force_login(member_of(round_.partnership))
    client.post(answer_url(round_), form_data(3))

    page = client.get(answer_url(round_))
    again = client.post(answer_url(round_), form_data(5))

    assert "You have already answered this round" in page.content.decode()
    assert "You have already answered this round" in again.content.decode()
    assert saved() == (1, 1, 5)
    assert set(AssessmentAnswer.objects.values_list("rating", flat=True)) == {3}


def test_a_draft_left_after_answering_elsewhere_is_deleted_on_the_next_visit(client):
    round_ = AssessmentRoundFactory()
    user = member_of(round_.partnership)
    answer_round(round_, person=user.person, ratings=ratings(3))
    save_draft(user, path=answer_url(round_), data={"networks": ["4"]})
    client.force_login(user)

    response = client.get(answer_url(round_))

    assert "You have already answered this round" in response.content.decode()
    assert not FormDraft.objects.filter(user=user).exists()


def test_a_closed_round_cannot_be_answered(client):
    round_ = AssessmentRoundFactory(status=RoundStatus.CLOSED)
    client.force_login(member_of(round_.partnership))

    response = client.post(answer_url(round_), form_data(3))

    assert "This round has closed" in response.content.decode()
    assert saved() == (0, 0, 0)


def test_a_draft_left_on_a_round_that_has_closed_is_deleted_on_the_next_visit(client):
    round_ = AssessmentRoundFactory()
    user = member_of(round_.partnership)
    save_draft(user, path=answer_url(round_), data={"networks": ["4"]})
    close_round(round_, by=round_.partnership.lead)
    client.force_login(user)

    response = client.get(answer_url(round_))

    assert "This round has closed" in response.content.decode()
    assert not FormDraft.objects.filter(user=user).exists()


def test_a_round_of_another_partnership_is_not_found_for_a_member(client):
    mine = AssessmentRoundFactory()
    theirs = AssessmentRoundFactory()
    client.force_login(member_of(mine.partnership))

    form = client.get(answer_url(theirs))
    sent = client.post(answer_url(theirs), form_data(3))
    results = client.get(
        reverse("partnerships_assessment:results", kwargs={"partnership_id": theirs.partnership_id})
    )

    assert (form.status_code, sent.status_code, results.status_code) == (404, 404, 404)
    assert saved() == (0, 0, 0)


def test_things_to_do_on_the_portal_home_links_to_the_rounds(client):
    round_ = AssessmentRoundFactory()
    client.force_login(member_of(round_.partnership))

    home = client.get(reverse("portal:home")).content.decode()
    waiting = client.get(reverse("partnerships_assessment:to_answer")).content.decode()

    assert "Tell us how your partnership is doing" in home
    assert reverse("partnerships_assessment:to_answer") in home
    assert answer_url(round_) in waiting


def test_to_answer_lists_only_the_visitors_open_unanswered_rounds_and_partnerships(client):
    today = timezone.localdate()
    user = make_user(roles=CORE_ROLES[PartnershipRole.LEE])
    waiting = AssessmentRoundFactory(partnership__title="Waiting", title="Waiting round")
    past = AssessmentRoundFactory(
        partnership__title="Past", title="Past round", closes_on=today - timedelta(days=1)
    )
    done = AssessmentRoundFactory(partnership__title="Done", title="Done round")
    for round_ in (waiting, past, done):
        add_member(round_.partnership, user.person)
    answer_round(done, person=user.person, ratings=ratings(3))
    AssessmentRoundFactory(
        partnership=waiting.partnership, title="Closed round", status=RoundStatus.CLOSED
    )
    AssessmentRoundFactory(partnership__title="Not theirs", title="Not their round")
    left = AssessmentRoundFactory(partnership__title="Left", title="Left round")
    add_member(
        left.partnership, user.person, joined_on=today - timedelta(9), left_on=today - timedelta(1)
    )
    client.force_login(user)

    response = client.get(reverse("partnerships_assessment:to_answer"))

    text = response.content.decode()
    assert [round_.title for round_ in response.context["rounds"]] == ["Waiting round"]
    assert [p.title for p in response.context["partnerships"]] == ["Done", "Past", "Waiting"]
    for other in (
        "Not theirs",
        "Not their round",
        "Left round",
        "Past round",
        "Done round",
        "Closed round",
    ):
        assert other not in text


# Results for members ---------------------------------------------------------------------------


def test_member_results_show_averages_and_trend_but_no_comments(client):
    partnership = PartnershipFactory()
    closed_round_with_answers(partnership, comment="Private words")
    client.force_login(member_of(partnership))

    response = client.get(
        reverse("partnerships_assessment:results", kwargs={"partnership_id": partnership.pk})
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "Private words" not in text
    assert 'role="img"' in text
    assert 'id="trend-table"' in text
    assert "4.0" in text


def test_member_results_page_queries_do_not_grow_with_rounds_and_answers(client):
    partnership = PartnershipFactory()
    client.force_login(member_of(partnership))

    count = assert_queries_do_not_grow(
        client,
        reverse("partnerships_assessment:results", kwargs={"partnership_id": partnership.pk}),
        lambda: closed_round_with_answers(partnership),
    )

    # The login with its person, the partnership (a member's), the rounds, their totals.
    assert count == 4


# Staff -----------------------------------------------------------------------------------------


def staff_round_url(round_):
    return reverse("partnerships_assessment_staff:round", kwargs={"round_id": round_.pk})


def test_staff_open_a_round_and_a_second_one_is_refused_on_the_form(client):
    partnership = PartnershipFactory()
    client.force_login(partnership.lead)
    url = reverse("partnerships_assessment_staff:open", kwargs={"partnership_id": partnership.pk})

    first = client.post(url, {"title": "Spring 2026", "closes_on": ""})
    second = client.post(url, {"title": "Summer 2026", "closes_on": ""})

    round_ = AssessmentRound.objects.get()
    assert first["Location"] == staff_round_url(round_)
    assert second.status_code == 200
    assert second.context["form"].non_field_errors() == [
        "This partnership already has an open round. Close it before opening another."
    ]
    assert round_.title == "Spring 2026"


def test_staff_close_a_round_then_see_results_with_comments_without_roles(client):
    partnership = PartnershipFactory()
    round_ = AssessmentRoundFactory(partnership=partnership)
    for text in ["Listen more", "Pay on time", "Good food"]:
        answered_by(round_, PartnershipRole.RESEARCHER, 2, comments={"what_matters": text})
    client.force_login(partnership.lead)

    before = client.get(staff_round_url(round_)).content.decode()
    client.post(reverse("partnerships_assessment_staff:close", kwargs={"round_id": round_.pk}))
    after = client.get(staff_round_url(round_)).content.decode()

    assert "Listen more" not in before
    assert AssessmentRound.objects.get().status == RoundStatus.CLOSED
    for text in ["Listen more", "Pay on time", "Good food"]:
        assert text in after
    assert "Researcher" in after  # the by-role column: 3 researchers
    assert after.count("Listen more") == 1


def test_staff_round_of_another_partnership_is_not_found_for_its_lead(client):
    lead = make_staff("engagement")
    PartnershipFactory(lead=lead)
    theirs = AssessmentRoundFactory()
    client.force_login(lead)

    page = client.get(staff_round_url(theirs))
    close = client.post(
        reverse("partnerships_assessment_staff:close", kwargs={"round_id": theirs.pk})
    )
    rounds = client.get(
        reverse(
            "partnerships_assessment_staff:rounds", kwargs={"partnership_id": theirs.partnership_id}
        )
    )

    assert (page.status_code, close.status_code, rounds.status_code) == (404, 404, 404)
    assert AssessmentRound.objects.get().status == RoundStatus.OPEN


def test_staff_rounds_page_queries_do_not_grow_with_rounds(client):
    partnership = PartnershipFactory()
    client.force_login(make_partnerships_staff())

    count = assert_queries_do_not_grow(
        client,
        reverse("partnerships_assessment_staff:rounds", kwargs={"partnership_id": partnership.pk}),
        lambda: closed_round_with_answers(partnership),
    )

    # Staff pages' login, MFA check and permissions, then the partnership, its rounds, and the
    # totals of all their answers in one query.
    assert count == 6


def test_staff_round_page_queries_do_not_grow_with_answers(client):
    partnership = PartnershipFactory()
    round_ = closed_round_with_answers(partnership)
    client.force_login(make_partnerships_staff())

    count = assert_queries_do_not_grow(
        client, staff_round_url(round_), lambda: add_response(round_)
    )

    # Staff pages' login, MFA check and permissions, then the round with its partnership, the
    # totals of its answers, and its comments.
    assert count == 6


def test_the_trend_table_has_the_same_numbers_as_the_chart(client):
    partnership = PartnershipFactory()
    for title, numbers in [("Spring", (2, 3, 2, 1, 2)), ("Autumn", (4, 3, 5, 4, 3))]:
        round_ = AssessmentRoundFactory(partnership=partnership, title=title)
        for _ in range(3):
            answered_by(round_, PartnershipRole.LEE, *numbers)
        close_round(round_, by=partnership.lead)
    client.force_login(member_of(partnership))

    html = client.get(
        reverse("partnerships_assessment:results", kwargs={"partnership_id": partnership.pk})
    ).content.decode()

    chart = {
        label: re.findall(r'data-average="([\d.]+)"', points)
        for label, points in re.findall(r'<g data-value="([^"]+)">(.*?)</g>', html, re.S)
    }
    table_html = html.split('id="trend-table"')[1].split("</table>")[0]
    table = {
        label: re.findall(r'numeric">([\d.]+)</td>', cells)
        for label, cells in re.findall(
            r'<th scope="row" class="govuk-table__header">([^<]+)</th>(.*?)</tr>', table_html, re.S
        )
    }
    assert chart == table
    assert chart["Build trust and share power"] == ["1.0", "4.0"]


def test_staff_list_shows_the_partnerships_a_lead_manages_with_their_open_round(client):
    lead = make_staff("engagement")
    mine = PartnershipFactory(lead=lead, title="Mine")
    AssessmentRoundFactory(partnership=mine, title="Spring check-in")
    PartnershipFactory(title="Not mine")
    client.force_login(lead)

    response = client.get(reverse("partnerships_assessment_staff:list"))

    assert [p.title for p in response.context["page"].items] == ["Mine"]
    assert [(p.round_count, p.open_round) for p in response.context["page"].items] == [
        (1, "Spring check-in")
    ]


def test_staff_list_queries_do_not_grow_with_partnerships(client):
    client.force_login(make_partnerships_staff())

    def add_partnership():
        closed_round_with_answers(PartnershipFactory())

    count = assert_queries_do_not_grow(
        client, reverse("partnerships_assessment_staff:list"), add_partnership
    )

    # Staff pages' login, MFA check and permissions, then one page of partnerships with their
    # round counts and open rounds.
    assert count == 4
