"""People, their logins, and their roles."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date
from functools import cached_property

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coprod.enums import PersonStatus, Role, RoleGrantSource
from coprod.fields import EncryptedTextField


def london_today() -> date:
    """Today in London (TIME_ZONE): role dates are inclusive calendar dates there."""
    return timezone.localdate()


def new_generated_name() -> str:
    """A neutral name shown until a person chooses their own, e.g. "Member 4821"."""
    for digits in (4, 4, 4, 5, 6, 8):
        candidate = f"Member {secrets.randbelow(9 * 10 ** (digits - 1)) + 10 ** (digits - 1)}"
        if not Person.objects.filter(generated_name=candidate).exists():
            return candidate
    return f"Member {secrets.token_hex(6)}"


class PersonQuerySet(models.QuerySet):
    def holding(self, role: Role | str, *, on: date | None = None) -> PersonQuerySet:
        """People who hold `role` on the given day (default: today in London). One subquery."""
        return self.filter(
            Exists(RoleGrant.objects.current(on=on).filter(person=OuterRef("pk"), role=role))
        )

    def with_display_name(self) -> PersonQuerySet:
        """Annotate `shown_name` so lists can sort by the name everyone sees."""
        return self.annotate(
            shown_name=Coalesce(NullIf("chosen_name", models.Value("")), "generated_name")
        )

    def support_workers(self, *, on: date | None = None) -> PersonQuerySet:
        """Who may be someone's support worker on `on` (default today): an active person with a
        current practitioner role. The one rule for choosing a worker (the model's validation,
        the admin's choices) and for routing a message through one."""
        return self.holding(Role.PRACTITIONER, on=on).available_for_selection()

    def available_for_selection(self) -> PersonQuerySet:
        """People who may be offered work: paused or withdrawn people are hidden from every list."""
        return self.filter(status=PersonStatus.ACTIVE)


class Person(models.Model):
    """A person the centre works with. Separate from a login: one person has at most one login."""

    chosen_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_("The name other people see. It can be a made-up name."),
    )
    generated_name = models.CharField(max_length=40, editable=False, unique=True)
    # Restricted (finance): only where payment needs it.
    legal_name = EncryptedTextField(_("legal name"), blank=True)
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=60, blank=True)
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    # Restricted (engagement): access and support needs, contact details.
    access_needs = EncryptedTextField(_("access and support needs"), blank=True)
    contact_email = EncryptedTextField(
        _("contact email"),
        blank=True,
        help_text=_("Where to write to, if not the email they sign in with."),
    )
    phone = EncryptedTextField(_("phone"), blank=True)
    postal_address = EncryptedTextField(_("postal address"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when everything personal about them was deleted (coprod.services.rights.erase_person):
    # what is left is a pseudonymous reference kept for records that must stay (payments).
    erased_at = models.DateTimeField(
        _("information deleted on"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    RESTRICTED_FINANCE_FIELDS = ("legal_name",)
    RESTRICTED_ENGAGEMENT_FIELDS = ("access_needs", "contact_email", "phone", "postal_address")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["generated_name"]
        permissions = [
            ("view_legal_name", _("Can see legal names and payment details")),
            ("view_contact_details", _("Can see contact, access and safe-contact details")),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.chosen_name or self.generated_name

    @property
    def login(self) -> User | None:
        try:
            return self.user
        except User.DoesNotExist:
            return None

    @cached_property
    def current_roles(self) -> frozenset[str]:
        """Roles held today; one query, then cached on this instance (so once per request)."""
        return frozenset(
            RoleGrant.objects.current().filter(person=self).values_list("role", flat=True)
        )

    def holds_role(self, role: Role | str) -> bool:
        return role in self.current_roles


class RoleGrantQuerySet(models.QuerySet):
    def current(self, *, on: date | None = None) -> RoleGrantQuerySet:
        day = on or london_today()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


class RoleGrant(models.Model):
    """A person holds a role from `starts_on` to `ends_on`, both inclusive (open-ended if empty)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    source = models.CharField(
        max_length=20, choices=RoleGrantSource.choices, default=RoleGrantSource.GRANTED
    )
    granted_by = models.ForeignKey(
        "coprod.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when nobody granted it (a researcher who signed up)."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["person", "role", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="role_grant_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["role", "starts_on", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.starts_on} – {self.ends_on or '…'})"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True
    # How a login made without a person gets one (`manage.py createsuperuser`): the one door for
    # new people, coprod.services.people.create_person, set at start-up (coprod.apps), so that
    # this layer does not import services.
    new_person: Callable[[], Person] | None = None

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        if "person" not in extra:
            if UserManager.new_person is None:
                raise ImproperlyConfigured("UserManager.new_person is set when Django starts.")
            extra["person"] = UserManager.new_person()
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A login. Email is the identifier. Every user belongs to exactly one Person."""

    email = models.EmailField(_("email address"), unique=True)
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="user")
    is_staff = models.BooleanField(
        _("staff"), default=False, help_text=_("Centre staff: can use the admin and staff pages.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.person.display_name if self.person_id else self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
