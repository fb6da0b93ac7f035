"""Validation of what people type in the library: the search, a proposal, a contributor's
answer about being named, and the staff's decline and edit forms. Saving is the services' job
(partnerships.services.library), which checks again."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from coprod.models import Person
from funding.services.attachments import check_attachment
from partnerships.enums import ResourceKind
from partnerships.models import Partnership, Resource, Tag
from partnerships.services.library import BODY_MAX, MAX_TAGS, TAG_NAME_MAX

SUMMARY_MAX = 1200
TITLE_MAX = 200
YES, NO = "yes", "no"
BODY_TOO_LONG = _(
    "The text must be %(limit_value)s characters or fewer. Add a longer text as a file."
)


def _helper(*fields: Any) -> FormHelper:
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.layout = Layout(*fields)
    return helper


def tag_names(text: str) -> list[str]:
    """Tags typed as a list separated by commas."""
    return [name.strip() for name in text.split(",") if name.strip()]


def _clean_tags(text: str) -> str:
    names = tag_names(text)
    if len(names) > MAX_TAGS:
        raise ValidationError(_("Add up to %(max)s tags.") % {"max": MAX_TAGS})
    if any(len(name) > TAG_NAME_MAX for name in names):
        raise ValidationError(
            _("Each tag must be %(max)s characters or fewer.") % {"max": TAG_NAME_MAX}
        )
    return text


class LibrarySearchForm(forms.Form):
    """The library's search and filters: a GET form, so it works without JavaScript and a search
    can be bookmarked."""

    q = forms.CharField(label=_("Search the library"), max_length=200, required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    kind = forms.ChoiceField(label=_("Kind of resource"), required=False)

    def __init__(self, *args: Any, tags: QuerySet[Tag] | list[Tag], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", _("Any tag")), *((t.slug, t.name) for t in tags)]
        self.fields["kind"].choices = [("", _("Any kind")), *ResourceKind.choices]
        self.helper = _helper(
            Field.text("q"),
            Field.select("tag"),
            Field.select("kind"),
            Button("search", _("Search"), type="submit"),
        )
        self.helper.form_method = "get"
        self.helper.form_tag = True
        self.helper.attrs = {"role": "search"}

    def filters(self) -> dict[str, str]:
        """The search and filters to apply (nothing for anything not valid)."""
        if not self.is_valid():
            return {"query": "", "tag": "", "kind": ""}
        data = self.cleaned_data
        return {"query": data["q"], "tag": data["tag"], "kind": data["kind"]}


class ProposeResourceForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        error_messages={"required": _("Enter a title")},
    )
    kind = forms.ChoiceField(
        label=_("What kind of resource is it?"),
        choices=ResourceKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of resource it is")},
    )
    summary = forms.CharField(
        label=_("Summary"),
        help_text=_("Say in a few short sentences what it is and who it helps."),
        max_length=SUMMARY_MAX,
        widget=forms.Textarea,
        error_messages={"required": _("Enter a short summary")},
    )
    body = forms.CharField(
        label=_("Text (optional if you add a file)"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea,
        error_messages={"max_length": BODY_TOO_LONG},
    )
    file = forms.FileField(
        label=_("File (optional if you write the text)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.docx", "class": "govuk-!-width-full"}
        ),
    )
    tags = forms.CharField(
        label=_("Tags (optional)"),
        help_text=_(
            "Words that help people find it, with commas between them. For example: pay, meetings"
        ),
        required=False,
        max_length=700,
    )
    partnership = forms.ModelChoiceField(
        label=_("Which partnership did it come from? (optional)"),
        queryset=Partnership.objects.none(),
        required=False,
        empty_label=_("Not from a partnership"),
    )
    credit = forms.ChoiceField(
        label=_("Can we show your name on it?"),
        help_text=_("We only ever show the name you use here, never your full name."),
        choices=[(YES, _("Name me as a contributor")), (NO, _("Do not name me"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether we can show your name")},
    )

    def __init__(self, *args: Any, partnerships: QuerySet[Partnership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships
        self.fields["file"].help_text = _("A PDF or a Word (.docx) file, up to %(size)s MB.") % {
            "size": max(1, settings.COPROD_PROPOSAL_FILE_MAX_BYTES // (1024 * 1024))
        }
        self.helper = _helper(
            Field.text("title"),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.textarea("summary", rows=4, max_characters=SUMMARY_MAX),
            Field.textarea("body", rows=10),
            Field("file"),
            Field.text("tags"),
            Field.select("partnership"),
            Field.radios("credit", legend_size=Size.SMALL),
            Button("propose", _("Send it to the team"), type="submit"),
        )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload:
            check_attachment(upload)
        return upload

    def clean_tags(self) -> str:
        return _clean_tags(self.cleaned_data["tags"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        typed = (data.get("body") or "").strip() or data.get("file")
        if "body" not in self.errors and "file" not in self.errors and not typed:
            self.add_error("body", _("Write the text, or add it as a file"))
        return data

    def proposal(self, person: Person) -> dict[str, Any]:
        """The service's arguments (partnerships.services.library.propose_resource)."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "kind": data["kind"],
            "summary": data["summary"],
            "body": data["body"],
            "file": data["file"] or None,
            "tags": tag_names(data["tags"]),
            "partnership": data["partnership"],
            "contributors": [(person, data["credit"] == YES)],
        }


class CreditForm(forms.Form):
    credit = forms.ChoiceField(
        label=_("Can we show your name on this resource?"),
        help_text=_(
            "We only ever show the name you use here, never your full name. You can change "
            "your mind later."
        ),
        choices=[(YES, _("Name me as a contributor")), (NO, _("Do not name me"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether we can show your name")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("credit", legend_size=Size.MEDIUM, legend_tag="h1"),
            Button("save", _("Save my answer"), type="submit"),
        )

    @property
    def credited(self) -> bool:
        return self.cleaned_data["credit"] == YES


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why will it not be published?"),
        help_text=_("The person who proposed it is told this, in these words."),
        widget=forms.Textarea,
        error_messages={"required": _("Say why it will not be published")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("reason", rows=4),
            Button.warning("decline", _("Do not publish it"), type="submit"),
        )


class EditResourceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    kind = forms.ChoiceField(
        label=_("Kind of resource"), choices=ResourceKind.choices, widget=forms.RadioSelect
    )
    summary = forms.CharField(label=_("Summary"), max_length=SUMMARY_MAX, widget=forms.Textarea)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea,
        error_messages={"max_length": BODY_TOO_LONG},
    )
    tags = forms.CharField(
        label=_("Tags"), help_text=_("With commas between them."), required=False, max_length=700
    )
    add_contributors = forms.ModelMultipleChoiceField(
        label=_("Add contributors from the partnership"),
        help_text=_(
            "Each person is asked in the portal whether they may be named. They are named only "
            "if they agree."
        ),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, resource: Resource, candidates: QuerySet[Person], **kwargs: Any
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "title": resource.title,
                "kind": resource.kind,
                "summary": resource.summary,
                "body": resource.body,
                "tags": ", ".join(tag.name for tag in resource.tags.all()),
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["add_contributors"].queryset = candidates
        self.fields["add_contributors"].label_from_instance = lambda person: person.display_name
        self.has_file = bool(resource.file)
        fields = [
            Field.text("title"),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.textarea("summary", rows=4),
            Field.textarea("body", rows=10),
            Field.text("tags"),
        ]
        if candidates.exists():
            fields.append(Field.checkboxes("add_contributors", legend_size=Size.SMALL))
        else:
            del self.fields["add_contributors"]
        self.helper = _helper(*fields, Button("save", _("Save changes"), type="submit"))

    def clean_tags(self) -> str:
        return _clean_tags(self.cleaned_data["tags"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "body" not in self.errors and not self.has_file and not data.get("body", "").strip():
            self.add_error("body", _("Write the text: this resource has no file"))
        return data

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "kind": data["kind"],
            "summary": data["summary"],
            "body": data["body"],
            "tags": tag_names(data["tags"]),
            "add_contributors": list(data.get("add_contributors") or []),
        }
