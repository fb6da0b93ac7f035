"""Files for proposal-file tests: a small real-looking PDF, a real .docx (a zip with the parts
Word writes), and files that only pretend to be one by their name."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32
PROGRAM = b"MZ\x90\x00 this is a program, not a document"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _zip(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _content_types(main: str) -> str:
    return (
        '<?xml version="1.0"?><Types><Override PartName="/word/document.xml" '
        f'ContentType="application/vnd.{main}"/></Types>'
    )


DOCX = _zip(
    {
        "[Content_Types].xml": _content_types(
            "openxmlformats-officedocument.wordprocessingml.document.main+xml"
        ),
        "word/document.xml": '<?xml version="1.0"?><w:document/>',
    }
)
# A macro-enabled Word document (.docm): the same parts, another main type.
DOCM = _zip(
    {
        "[Content_Types].xml": _content_types("ms-word.document.macroEnabled.main+xml"),
        "word/document.xml": '<?xml version="1.0"?><w:document/>',
        "word/vbaProject.bin": "macros",
    }
)
# A .docm whose list of types also names a Word document's type (for a part that is not its main
# one): the main part is still macro-enabled.
DOCM_ALSO_NAMING_DOCX = _zip(
    {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types><Override PartName="/word/document.xml" '
            'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/>'
            '<Override PartName="/word/other.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "word/document.xml": '<?xml version="1.0"?><w:document/>',
        "word/vbaProject.bin": "macros",
    }
)
# A .docx's parts and types with Word's macro part slipped in.
DOCX_WITH_MACROS = _zip(
    {
        "[Content_Types].xml": _content_types(
            "openxmlformats-officedocument.wordprocessingml.document.main+xml"
        ),
        "word/document.xml": '<?xml version="1.0"?><w:document/>',
        "word/vbaProject.bin": "macros",
    }
)
# A .docx whose list of types carries a DTD (entities): Word writes none.
DOCX_WITH_DTD = _zip(
    {
        "[Content_Types].xml": '<!DOCTYPE Types [<!ENTITY w "word">]>'
        + _content_types("openxmlformats-officedocument.wordprocessingml.document.main+xml"),
        "word/document.xml": '<?xml version="1.0"?><w:document/>',
    }
)
PLAIN_ZIP = _zip({"notes.txt": "not a Word document"})


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf_upload(name: str = "plan.pdf") -> SimpleUploadedFile:
    return upload(name, PDF)


def docx_upload(name: str = "plan.docx") -> SimpleUploadedFile:
    return upload(name, DOCX, DOCX_TYPE)
