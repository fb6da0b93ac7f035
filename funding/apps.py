from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Funding")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from funding import audit  # noqa: F401  (registrations)
