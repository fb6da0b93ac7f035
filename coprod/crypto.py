"""Symmetric encryption for secrets kept in the database, with a key separate from SECRET_KEY."""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@cache
def _fernet(raw_keys: str) -> MultiFernet:
    keys = [key.strip() for key in raw_keys.split(",") if key.strip()]
    if not keys:
        raise ImproperlyConfigured(
            "COPROD_FIELD_ENCRYPTION_KEY is not set. Generate one with `python -c "
            '"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.'
        )
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "COPROD_FIELD_ENCRYPTION_KEY must be one or more comma-separated Fernet keys."
        ) from error


def fernet() -> MultiFernet:
    """The configured key ring: the first key encrypts, every key decrypts (for rotation)."""
    return _fernet(settings.COPROD_FIELD_ENCRYPTION_KEY)


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "A stored secret cannot be decrypted with COPROD_FIELD_ENCRYPTION_KEY: the key changed "
            "without keeping the old one in the list."
        ) from error
