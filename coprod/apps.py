from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoprodConfig(AppConfig):
    name = "coprod"
    label = "coprod"
    verbose_name = _("People, roles and consent")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from coprod import audit, checks  # noqa: F401  (registers audit models and system checks)
