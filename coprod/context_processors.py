from django.conf import settings
from django.http import HttpRequest

from coprod.middleware import TIMED_OUT_KEY


def coprod(request: HttpRequest) -> dict[str, object]:
    timed_out = False
    if hasattr(request, "session") and TIMED_OUT_KEY in request.session:
        timed_out = request.session.pop(TIMED_OUT_KEY)
    return {
        "COPROD_EXIT_URL": settings.COPROD_EXIT_URL,
        "COPROD_SUPPORT_PHONE": settings.COPROD_SUPPORT_PHONE,
        "COPROD_SUPPORT_EMAIL": settings.COPROD_SUPPORT_EMAIL,
        "show_language_switcher": len(settings.LANGUAGES) > 1,
        "session_timed_out": timed_out,
    }
