"""Where partnership documents and library files are kept: a private volume
(settings.COPROD_PARTNERSHIP_FILES_ROOT), never served, sent only by a view that checks access."""

from coprod.storage import PrivateStorage

partnership_file_storage = PrivateStorage("COPROD_PARTNERSHIP_FILES_ROOT")
