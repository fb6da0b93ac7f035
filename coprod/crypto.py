"""Symmetric encryption for secrets kept in the database, with a key separate from SECRET_KEY."""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@cache
def _keys(raw_keys: str) -> tuple[Fernet, ...]:
    keys = [key.strip() for key in raw_keys.split(",") if key.strip()]
    if not keys:
        raise ImproperlyConfigured(
            "COPROD_FIELD_ENCRYPTION_KEY is not set. Generate one with `python -c "
            '"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.'
        )
    try:
        return tuple(Fernet(key) for key in keys)
    except ValueError as error:
        raise ImproperlyConfigured(
            "COPROD_FIELD_ENCRYPTION_KEY must be one or more comma-separated Fernet keys."
        ) from error


@cache
def _fernet(raw_keys: str) -> MultiFernet:
    return MultiFernet(list(_keys(raw_keys)))


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


def reencrypt(token: str) -> str | None:
    """`token` encrypted again with the first key, or None if it already is (for rotation: see
    the rotate_encryption_key command)."""
    raw = token.encode()
    try:
        _keys(settings.COPROD_FIELD_ENCRYPTION_KEY)[0].decrypt(raw)
    except InvalidToken:
        pass
    else:
        return None
    try:
        return fernet().rotate(raw).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "A stored secret cannot be decrypted with any key in COPROD_FIELD_ENCRYPTION_KEY: "
            "keep the old key in the list until every value has been re-encrypted."
        ) from error
