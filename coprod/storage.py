"""Private file storage: files kept outside every folder served to the web, under a random name,
sent only through a view that checks who may see them.

`PrivateStorage("COPROD_PARTNERSHIP_FILES_ROOT")` keeps its files under the folder that setting
names, read when used (so tests can point it at a temporary folder). It has no URL."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


@deconstructible(path="coprod.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    def __init__(self, setting: str) -> None:
        self.setting = setting
        super().__init__()

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(getattr(settings, self.setting))

    @property  # type: ignore[override]
    def location(self) -> str:
        return str(Path(self.base_location).resolve())

    @cached_property
    def base_url(self) -> str:  # type: ignore[override]
        return ""

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no address: a view that checks access sends them.")
