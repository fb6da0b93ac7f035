"""Files for receipt tests: small real-looking PDFs and pictures (their first bytes are what
the checks read), and files that only pretend to be one by their name."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
NOT_A_RECEIPT = b"MZ\x90\x00 this is a program, not a receipt"


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf_upload(name: str = "receipt.pdf") -> SimpleUploadedFile:
    return upload(name, PDF)


def png_upload(name: str = "receipt.png") -> SimpleUploadedFile:
    return upload(name, PNG, "image/png")


def jpeg_upload(name: str = "receipt.jpg") -> SimpleUploadedFile:
    return upload(name, JPEG, "image/jpeg")


def disguised_upload(name: str = "receipt.pdf") -> SimpleUploadedFile:
    """A program named like a PDF, sent with a PDF's type."""
    return upload(name, NOT_A_RECEIPT)
