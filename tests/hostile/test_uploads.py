"""Hostile files uploaded as supporting documents, through the page: refused by name, nothing saved.

The depth of the Office checks (every kind of active content, zip bombs) is in
tests/plans/test_documents_hostile.py; these are the cases that cross the form, the view and storage.
"""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.hostile.conftest import assert_saved_nothing, page_text, snapshot, told
from vrhub.plans.models import SupportingDocument

pytestmark = pytest.mark.django_db

CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>{extra}</Types>'
)


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx(extra_types: str = "", **extra_parts: bytes) -> bytes:
    parts = {
        "[Content_Types].xml": CONTENT_TYPES.format(extra=extra_types).encode(),
        "word/document.xml": b"<w:document/>",
    }
    return zipped(parts | {name.replace("__", "/"): data for name, data in extra_parts.items()})


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF"
MACRO = '<Override PartName="/word/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/>'
ALLOWED = "CSV, DOCX, JPEG, JPG, ODS, ODT, PDF, PNG, PPTX, TXT, XLSX"

# fmt: off
# id: (file name, bytes, extra form fields, message)
CASES = {
    "empty-pdf": ("empty.pdf", b"", {}, "The submitted file is empty."),
    "pdf-that-is-a-zip": ("report.pdf", zipped({"a.txt": b"hello"}), {}, "The selected file is not a real PDF file"),
    "pdf-that-is-html": ("report.pdf", b"<html><script>alert(1)</script></html>", {},
                         "The selected file is not a real PDF file"),
    "pdf-magic-late": ("report.pdf", b" %PDF-1.4", {}, "The selected file is not a real PDF file"),
    "exe": ("setup.exe", b"MZ\x90\x00", {}, f"The selected file must be one of: {ALLOWED}"),
    "no-extension": ("README", b"hello", {}, f"The selected file must be one of: {ALLOWED}"),
    "double-extension": ("report.pdf.exe", PDF, {}, f"The selected file must be one of: {ALLOWED}"),
    "nul-before-extension": ("report.pdf\x00.exe", PDF, {}, f"The selected file must be one of: {ALLOWED}"),
    "html": ("page.html", b"<script>alert(1)</script>", {}, f"The selected file must be one of: {ALLOWED}"),
    "svg": ("logo.svg", b"<svg onload='alert(1)'/>", {}, f"The selected file must be one of: {ALLOWED}"),
    "docm": ("macro.docm", docx(MACRO, word__vbaProject_bin=b"\xd0\xcf"), {},
             f"The selected file must be one of: {ALLOWED}"),
    "docx-with-macro-part": ("plan.docx", docx(MACRO, word__vbaProject_bin=b"\xd0\xcf\x11\xe0"), {},
                             "Files containing macros, ActiveX controls or embedded programs cannot be uploaded: "
                             "this file has the part word/vbaProject.bin"),
    "docx-that-is-a-pdf": ("plan.docx", PDF, {}, "The selected file is not a real DOCX file"),
    "docx-without-main-part": ("plan.docx", zipped({"[Content_Types].xml": b"<Types/>"}), {},
                               "The selected file is not a real DOCX file"),
    "xlsx-truncated-zip": ("plan.xlsx", b"PK\x03\x04" + b"\x00" * 40, {}, "The selected file is not a real XLSX file"),
    "odt-without-mimetype": ("plan.odt", zipped({"content.xml": b"<x/>"}), {},
                             "The selected file is not a real ODT file"),
    "odt-with-basic-macro": ("plan.odt", zipped({"mimetype": b"application/vnd.oasis.opendocument.text",
                                                 "Basic/Standard/Module1.xml": b"<x/>"}), {},
                             "Files containing macros cannot be uploaded"),
    "csv-with-nul-bytes": ("data.csv", b"a,b\n1,\x00\n", {}, "The selected file is not a text file"),
    "txt-not-text": ("notes.txt", b"\x81\x8d\x8f\x90\x9d" * 10, {}, "The selected file is not a text file"),
    "png-that-is-a-jpeg": ("logo.png", b"\xff\xd8\xff\xe0" + b"\x00" * 20, {},
                           "The selected file is not a real PNG file"),
    "file-and-link": ("report.pdf", PDF, {"url": "https://example.org/a.pdf"},
                      "Upload a file or give a link, not both"),
    "file-with-long-title": ("report.pdf", PDF, {"title": "t" * 201},
                             "Ensure this value has at most 200 characters (it has 201)."),
}
# fmt: on


@pytest.mark.parametrize(("name", "content", "extra", "message"), list(CASES.values()), ids=list(CASES))
def test_hostile_upload_is_refused_by_name_and_saves_nothing(client, world, name, content, extra, message):
    client.force_login(world["users"]["editor"])
    url = reverse("plans:documents", args=[world["plan"].pk, world["action"].pk])
    before = snapshot()
    response = client.post(url, {"title": "Strategy", "file": SimpleUploadedFile(name, content)} | extra)
    assert response.status_code == 200
    assert message in told(response)
    assert_saved_nothing(before)


def test_an_upload_over_the_limit_names_the_limit_and_saves_nothing(client, world, settings):
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    client.force_login(world["users"]["editor"])
    url = reverse("plans:documents", args=[world["plan"].pk, world["action"].pk])
    before = snapshot()
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (3 * 1024 * 1024))
    response = client.post(url, {"title": "Strategy", "file": big})
    assert response.status_code == 200
    assert "The selected file must be smaller than 1 MB" in told(response)
    assert_saved_nothing(before)


def test_a_viewer_cannot_upload(client, world):
    client.force_login(world["users"]["viewer"])
    url = reverse("plans:documents", args=[world["plan"].pk, world["action"].pk])
    before = snapshot()
    response = client.post(url, {"title": "Strategy", "file": SimpleUploadedFile("a.pdf", PDF)})
    assert response.status_code == 403
    assert "You cannot do that" in page_text(response)
    assert_saved_nothing(before)


# Hostile names on a good file are not refused: the file is kept under a safe name inside the plan's
# folder. id: (name sent, name kept)
NAMES = {
    "dot-dot-slash": ("../../../etc/passwd.pdf", "passwd.pdf"),
    "dot-dot-backslash": ("..\\..\\boot.pdf", "boot.pdf"),
    "nul-in-name": ("re\x00port.pdf", "report.pdf"),
    "300-ascii-chars": ("a" * 296 + ".pdf", "a" * 196 + ".pdf"),  # cut to 200 bytes: room for a suffix
    "250-two-byte-chars": ("é" * 250 + ".pdf", "é" * 98 + ".pdf"),  # 500 bytes: cut to fit the file system
    "250-three-byte-chars": ("€" * 250 + ".pdf", "€" * 65 + ".pdf"),
    "windows-device-name": ("CON.pdf", "CON.pdf"),
}


@pytest.mark.parametrize(("sent", "kept"), list(NAMES.values()), ids=list(NAMES))
def test_a_hostile_file_name_is_kept_safely_inside_the_plan_folder(client, world, sent, kept):
    client.force_login(world["users"]["editor"])
    url = reverse("plans:documents", args=[world["plan"].pk, world["action"].pk])
    response = client.post(url, {"title": "Strategy", "file": SimpleUploadedFile(sent, PDF)})
    assert response.status_code == 302
    doc = SupportingDocument.objects.exclude(pk=world["doc"].pk).get(action=world["action"])
    stored = Path(doc.file.path).resolve()
    folder = (Path(settings.MEDIA_ROOT) / "documents" / f"plan-{world['plan'].pk}").resolve()
    assert stored.parent == folder
    assert len(stored.name.encode()) <= 255
    assert doc.original_name == kept
    assert stored.read_bytes() == PDF
    doc.file.delete(save=False)


def test_a_name_longer_than_djangos_multipart_header_limit_is_a_bad_request(client, world):
    """1,000 bytes of name overflow the part header (Django's limit, 1,024 bytes): 400, nothing saved."""
    client.force_login(world["users"]["editor"])
    url = reverse("plans:documents", args=[world["plan"].pk, world["action"].pk])
    before = snapshot()
    response = client.post(url, {"title": "Strategy", "file": SimpleUploadedFile("😀" * 250 + ".pdf", PDF)})
    assert response.status_code == 400
    assert "Bad Request (400)" in page_text(response)
    assert_saved_nothing(before)
