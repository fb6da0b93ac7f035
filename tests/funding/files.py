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


DOCX = _zip(
    {
        "[Content_Types].xml": '<?xml version="1.0"?><Types/>',
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
