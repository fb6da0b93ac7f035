from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "recruitment"
    verbose_name = _("Recruitment")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from recruitment import audit  # noqa: F401  (registrations)
