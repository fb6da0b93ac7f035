"""Input validation for the portal and staff pages. Forms validate; services save."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import SetPasswordField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from coprod.enums import ContactChannel, MessageDetail, Role, SafeTime
from coprod.models import Person, SafeContactPreferences, User
from coprod.selectors import people_without_login
from coprod.services.people import PROFILE_FIELDS, ensure_email_is_free

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _helper(submit_label: str, *fields: Any) -> FormHelper:
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    if fields:
        helper.layout = Layout(*fields, Submit("submit", submit_label))
    else:
        helper.add_input(Submit("submit", submit_label))
    return helper


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = list(PROFILE_FIELDS)
        labels = {
            "chosen_name": _("Display name"),
            "pronouns": _("Pronouns (optional)"),
            "preferred_language": _("Which language do you prefer? (optional)"),
            "needs_interpreter": _("I would like an interpreter"),
            "access_needs": _("Access and support needs (optional)"),
        }
        help_texts = {
            "chosen_name": _(
                "This is the name other people see, for example on a panel. It does not have to "
                "be your real name."
            ),
            "pronouns": _("For example, she/her, he/him or they/them."),
            "access_needs": _(
                "Tell us anything that helps you take part, for example large print, breaks, "
                "or a quiet room. Only our engagement team can see this."
            ),
        }
        widgets = {"access_needs": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chosen_name"].required = True
        self.fields["chosen_name"].error_messages["required"] = _("Enter a display name")
        self.helper = _helper(
            _("Save my profile"),
            Field.text("chosen_name", field_width=20),
            Field.text("pronouns", field_width=10),
            Field.text("preferred_language", field_width=20),
            Field.checkbox("needs_interpreter"),
            Field.textarea("access_needs", rows=4),
        )

    def clean_chosen_name(self) -> str:
        name = self.cleaned_data["chosen_name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter a display name"))
        if name.lower().startswith("member "):
            raise forms.ValidationError(
                _(
                    "Choose a name that does not start with “Member”, so it is not mixed up with "
                    "the names we make up"
                )
            )
        return name


class SafeContactForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label=_("How can we contact you safely?"),
        help_text=_("Choose all that are safe for you."),
        choices=ContactChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    safe_times = forms.MultipleChoiceField(
        label=_("When is it safe to contact you? (optional)"),
        help_text=_("If you choose nothing, any time is fine."),
        choices=SafeTime.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    voicemail_ok = forms.ChoiceField(
        label=_("Can we leave a voicemail if you do not answer the phone?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select yes if we can leave a voicemail")},
    )
    message_detail = forms.ChoiceField(
        label=_("How much can our messages say?"),
        help_text=_(
            "If someone else might read your messages, choose the first option. Our messages "
            "will then not say who we are or what they are about."
        ),
        choices=MessageDetail.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how much our messages can say")},
    )
    person_initiates_only = forms.ChoiceField(
        label=_("Should we wait for you to contact us first?"),
        help_text=_("If you choose yes, we will not contact you. You can read messages here."),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select yes if we should wait for you to contact us")},
    )
    safety_notes = forms.CharField(
        label=_("Is there anything else we should know to keep you safe? (optional)"),
        help_text=_("Only our engagement team can see this."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, prefs: SafeContactPreferences, **kwargs: Any) -> None:
        self.prefs = prefs
        kwargs.setdefault(
            "initial",
            {
                "channels": prefs.channels,
                "safe_times": prefs.safe_times,
                "voicemail_ok": "yes" if prefs.voicemail_ok else "no",
                "message_detail": prefs.message_detail,
                "person_initiates_only": "yes" if prefs.person_initiates_only else "no",
                "safety_notes": prefs.safety_notes,
            },
        )
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _("Save and confirm"),
            Field.checkboxes("channels", legend_size=Size.SMALL),
            Field.checkboxes("safe_times", legend_size=Size.SMALL),
            Field.radios("voicemail_ok", legend_size=Size.SMALL, inline=True),
            Field.radios("message_detail", legend_size=Size.SMALL),
            Field.radios("person_initiates_only", legend_size=Size.SMALL, inline=True),
            Field.textarea("safety_notes", rows=3),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        channels = data.get("channels") or []
        if not channels and data.get("person_initiates_only") == "no":
            self.add_error(
                "channels",
                _("Choose at least one safe way to contact you, or tell us to wait for you"),
            )
        if ContactChannel.SUPPORT_WORKER in channels and self.prefs.support_worker_id is None:
            self.add_error(
                "channels",
                _(
                    "We do not have a support worker for you yet. Choose another way, or ask us to "
                    "add your support worker"
                ),
            )
        return data

    def changes(self) -> dict[str, Any]:
        """The answers, as coprod.services.contact.update_safe_contact takes them (its
        EDITABLE_FIELDS)."""
        data = self.cleaned_data
        return {
            "channels": data["channels"],
            "safe_times": data["safe_times"],
            "voicemail_ok": data["voicemail_ok"] == "yes",
            "message_detail": data["message_detail"],
            "person_initiates_only": data["person_initiates_only"] == "yes",
            "safety_notes": data["safety_notes"].strip(),
        }


class ConsentAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Do you agree?"),
        choices=[("yes", _("Yes, I agree")), ("no", _("No, I do not agree"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select yes if you agree, or no if you do not")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save my answer"), Field.radios("answer", legend_size=Size.MEDIUM))


class InvolvementForm(forms.Form):
    """Pause or resume: the question depends on the current status."""

    confirm = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select yes or no")},
    )

    def __init__(self, *args: Any, paused: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = (
            _("Do you want to start taking part again?")
            if paused
            else _("Do you want to pause your involvement?")
        )
        self.helper = _helper(
            _("Continue"), Field.radios("confirm", legend_size=Size.MEDIUM, inline=True)
        )


class AcceptInvitationForm(forms.Form):
    password1 = SetPasswordField(label=_("Create a password"))
    password2 = forms.CharField(label=_("Type the password again"), widget=forms.PasswordInput)

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        self.email = email
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = _(
            "Use at least 12 characters. A few words you will remember works well."
        )
        self.fields["password1"].error_messages["required"] = _("Create a password")
        self.fields["password2"].error_messages["required"] = _("Type the password again")
        self.helper = _helper(
            _("Create my account"), Field.text("password1"), Field.text("password2")
        )

    def clean_password1(self) -> str:
        password = self.cleaned_data["password1"]
        password_validation.validate_password(password, User(email=self.email))
        return password

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("password1")
            and data.get("password2")
            and data["password1"] != data["password2"]
        ):
            self.add_error("password2", _("The two passwords do not match"))
        return data


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("They will sign in with this address."),
        error_messages={
            "required": _("Enter their email address"),
            "invalid": _("Enter an email address in the right format, like name@example.org"),
        },
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the role they are invited for")},
    )
    person = forms.ModelChoiceField(
        label=_("Someone we already know (optional)"),
        help_text=_("For example a person who was referred to us. Leave empty for someone new."),
        queryset=Person.objects.none(),
        required=False,
    )
    chosen_name = forms.CharField(
        label=_("Display name for someone new (optional)"),
        help_text=_("They can change it. Leave it empty to give them a neutral name."),
        max_length=80,
        required=False,
    )
    send_email = forms.ChoiceField(
        label=_("How will they get the link?"),
        choices=[
            ("yes", _("Send it by email now")),
            ("no", _("I will give them the link myself (email is not safe for them)")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how they will get the link")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_without_login().order_by("shown_name")
        self.fields["person"].label_from_instance = lambda person: person.display_name
        self.helper = _helper(
            _("Create the invitation"),
            Field.text("email", field_width=20),
            Field.radios("role", legend_size=Size.SMALL),
            Fieldset(Field.select("person"), Field.text("chosen_name", field_width=20)),
            Field.radios("send_email", legend_size=Size.SMALL),
        )

    def clean_email(self) -> str:
        return ensure_email_is_free(self.cleaned_data["email"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("person") and data.get("chosen_name"):
            self.add_error(
                "chosen_name",
                _("Leave the display name empty when you choose someone we already know"),
            )
        return data


class NewInvitationLinkForm(forms.Form):
    send_email = forms.ChoiceField(
        label=_("How will they get the new link?"),
        choices=[("yes", _("Send it by email now")), ("no", _("I will give them the link myself"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how they will get the link")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _("Make a new link"), Field.radios("send_email", legend_size=Size.SMALL)
        )


class HandleMessageForm(forms.Form):
    note = forms.CharField(
        label=_("How did you contact them?"),
        help_text=_("For example: phoned on a safe number and read the message to them."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say how you contacted them")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Mark as handled"), Field.textarea("note", rows=3))


class LeaveForm(forms.Form):
    """The first question of "Stop taking part": keep the information, or delete it."""

    choice = forms.ChoiceField(
        label=_("What would you like to do?"),
        choices=[
            ("withdraw", _("Stop taking part. You can keep your account and your information.")),
            (
                "erase",
                _("Stop taking part and delete everything we hold about you."),
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what you would like to do")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Continue"), Field.radios("choice", legend_size=Size.MEDIUM))


class LeaveConfirmForm(forms.Form):
    """The second question: are you sure? The choice travels in a hidden field."""

    choice = forms.ChoiceField(
        choices=[("withdraw", "withdraw"), ("erase", "erase")], widget=forms.HiddenInput
    )
    confirm = forms.ChoiceField(
        label=_("Are you sure?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select yes if you are sure")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _("Continue"),
            Field("choice"),
            Field.radios("confirm", legend_size=Size.MEDIUM, inline=True),
        )


class EraseForm(forms.Form):
    """Staff carry out a request to delete a person's information."""

    reason = forms.CharField(
        label=_("Why are you deleting this information?"),
        help_text=_(
            "For example: the person asked in the portal on this date. Do not write a name or "
            "contact details."
        ),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why you are deleting this information")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone"),
        error_messages={"required": _("Confirm that you understand this cannot be undone")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        helper = FormHelper()
        helper.label_size = Size.SMALL
        helper.layout = Layout(
            Field.textarea("reason", rows=3),
            Field.checkbox("confirm"),
            Submit("submit", _("Delete their information"), css_class="govuk-button--warning"),
        )
        self.helper = helper
