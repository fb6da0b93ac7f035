from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoprodConfig(AppConfig):
    name = "coprod"
    label = "coprod"
    verbose_name = _("People, roles and consent")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from coprod import audit, checks, doors, security_events  # noqa: F401  (registrations)
        from coprod.middleware import record_sign_in_time
        from coprod.models.people import UserManager
        from coprod.services.people import create_person

        user_logged_in.connect(record_sign_in_time, dispatch_uid="coprod_sign_in_time")
        user_logged_in.connect(doors.remember_draft_paths, dispatch_uid="coprod_draft_paths")
        # A person's roles kept in a session for its navigation are read again when they change.
        from django.db.models.signals import post_delete, post_save

        from coprod.models import RoleGrant
        from coprod.services.roles import note_roles_changed

        for signal in (post_save, post_delete):
            signal.connect(note_roles_changed, sender=RoleGrant, dispatch_uid="coprod_roles_marker")
        # A login made without a person (createsuperuser) gets one through the one door.
        UserManager.new_person = create_person
        # Every installed app's contributions (coprod.doors), read once at start-up.
        doors.load_declarations()
        # Translations load at start-up, without the empty catalogues gettext chains behind them.
        from coprod.i18n import drop_empty_fallbacks

        drop_empty_fallbacks()
