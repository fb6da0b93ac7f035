"""Our faster radios and checkboxes (templates/gds/layout/, coprod_forms.choice_items) show the same
state as crispy-forms-gds's own: what is selected, hints and dividers, errors tied to the field.
(These tests pass against the pack's templates too: they pin what the two have in common.)"""

import re

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field
from django import forms
from django.template import engines

pytestmark = pytest.mark.django_db


class PickForm(forms.Form):
    colours = forms.MultipleChoiceField(
        label="Colours",
        choices=[("red", "Red"), ("green", "Green"), ("blue", "Blue")],
        widget=forms.CheckboxSelectMultiple,
    )
    size = forms.ChoiceField(
        label="Size",
        help_text="Pick one.",
        choices=[
            Choice("s", "Small", hint="Fits a phone."),
            Choice("m", "Medium", divider="or"),
            Choice(10, "Ten"),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.checkboxes("colours"), Field.radios("size"))


def render(form: forms.Form) -> str:
    return (
        engines["django"]
        .from_string("{% load crispy_forms_tags %}{% crispy form %}")
        .render({"form": form})
    )


def checked(html: str) -> list[str]:
    return re.findall(r'value="([^"]*)"\s*checked="checked"', html)


def test_initial_choices_are_checked_and_nothing_else():
    html = render(PickForm(initial={"colours": ["red", "blue"], "size": "m"}))

    assert checked(html) == ["red", "blue", "m"]


def test_posted_choices_are_checked_including_numbers_compared_as_text():
    html = render(PickForm(data={"colours": ["green"], "size": "10"}))

    assert checked(html) == ["green", "10"]


def test_nothing_is_checked_without_a_value():
    assert checked(render(PickForm())) == []


def test_a_choice_hint_is_shown_and_described_and_a_divider_is_shown():
    html = render(PickForm())

    assert 'aria-describedby="id_size_1_hint"' in html
    hint = r'id="id_size_1_hint" class="govuk-hint govuk-radios__hint">\s*Fits a phone'
    assert re.search(hint, html)
    assert re.search(r'<div class="govuk-radios__divider">\s*or\s*</div>', html)
    assert html.count("govuk-radios__hint") == 1  # on the first choice only


def test_errors_and_help_are_tied_to_the_fieldset():
    html = render(PickForm(data={"colours": ["purple"]}))

    assert re.search(r'aria-describedby="id_size_hint id_size_1_error"', html)
    assert re.search(r'id="id_size_hint" class="govuk-hint">\s*Pick one.', html)
    assert re.search(r'id="id_colours_1_error" class="govuk-error-message">', html)
    assert html.count("govuk-error-message") == 2
