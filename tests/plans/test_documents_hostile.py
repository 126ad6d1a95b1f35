"""Supporting documents that are Office files: macros and embedded programs found by content type and by
part name in any folder and any case; zip bombs judged from the zip directory without inflating."""

import io
import struct
import time
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.workbooks import hostile
from vrhub.plans import documents
from vrhub.plans.documents import ArchiveRefused, BoundedReader, read_member, validate_upload
from vrhub.plans.models import SupportingDocument

DOCX_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>{}</Types>'
)


def docx(extra_types: str = "", parts: dict[str, bytes] | None = None) -> bytes:
    members = {"[Content_Types].xml": DOCX_TYPES.format(extra_types), "word/document.xml": "<w:document/>"}
    return hostile.zip_bytes(members | (parts or {}))


def check(name: str, data: bytes) -> str:
    return validate_upload(SimpleUploadedFile(name, data))


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        check(name, data)
    return caught.value.messages[0]


def test_a_plain_docx_is_accepted():
    assert check("ok.docx", docx()).endswith("wordprocessingml.document")


@pytest.mark.parametrize(
    ("extra_types", "parts", "found"),
    [
        pytest.param(
            '<Override PartName="/word/innocent.dat" ContentType="application/vnd.ms-office.vbaProject"/>',
            {"word/innocent.dat": b"x"},
            "the part word/innocent.dat (application/vnd.ms-office.vbaProject)",
            id="vba-by-content-type-under-another-name",
        ),
        pytest.param(
            '<Default Extension="ocx" ContentType="application/vnd.ms-office.activeX"/>',
            {"word/controls/c1.ocx": b"x"},
            "parts ending .ocx (application/vnd.ms-office.activeX)",
            id="activex-by-default-extension",
        ),
        pytest.param(
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/>',
            {},
            "macroEnabled",
            id="macro-enabled-main-part",
        ),
        pytest.param(
            '<Override PartName="/word/x.xml" ContentType="application/vnd.ms-office.vba&#80;roject"/>',
            {"word/x.xml": b"x"},
            "application/vnd.ms-office.vbaProject",
            id="content-type-spelled-with-a-character-reference",
        ),
        pytest.param(
            "", {"Custom/Deep/VBAPROJECT.BIN": b"x"}, "the part Custom/Deep/VBAPROJECT.BIN", id="vba-any-folder-case"
        ),
        pytest.param("", {"word/vbaData.xml": b"x"}, "the part word/vbaData.xml", id="vba-data"),
        pytest.param(
            "", {"word/ActiveX/activeX1.xml": b"x"}, "the part word/ActiveX/activeX1.xml", id="activex-folder"
        ),
        pytest.param(
            "", {"word/embeddings/oleObject1.bin": b"x"}, "the part word/embeddings/oleObject1.bin", id="ole-object"
        ),
        pytest.param(
            "",
            {"word/EMBEDDINGS/package.exe": b"MZ"},
            "the embedded file word/EMBEDDINGS/package.exe",
            id="embedded-exe",
        ),
        pytest.param(
            "", {"word/embeddings/Book1.xlsm": b"x"}, "the embedded file word/embeddings/Book1.xlsm", id="embedded-xlsm"
        ),
        pytest.param("", {"xl/macrosheets/sheet1.xml": b"x"}, "xl/macrosheets/sheet1.xml", id="excel4-macrosheet"),
    ],
)
def test_active_content_is_refused_naming_what_was_found(extra_types, parts, found):
    message = refusal("evidence.docx", docx(extra_types, parts))
    assert message.startswith("Files containing macros, ActiveX controls or embedded programs cannot be uploaded")
    assert found in message


def test_ordinary_parts_that_merely_end_in_bin_or_embed_a_chart_are_accepted():
    data = docx(
        '<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.printerSettings"/>',
        {
            "word/printerSettings/printerSettings1.bin": b"x",
            "word/embeddings/Microsoft_Excel_Worksheet.xlsx": b"PK",
            "word/media/image1.png": b"\x89PNG",
        },
    )
    assert check("chart.docx", data).endswith("wordprocessingml.document")


def test_a_content_types_part_with_a_dtd_is_refused():
    data = hostile.zip_bytes(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><!DOCTYPE Types [<!ENTITY x "y">]><Types>&x;</Types>',
            "word/document.xml": "<w:document/>",
        }
    )
    assert refusal("dtd.docx", data) == (
        "The selected file cannot be accepted: the file's [Content_Types].xml declares a DTD, "
        "which Office files never do"
    )


def test_a_97_kb_file_inflating_to_95_mb_is_refused_from_the_directory_without_inflating():
    data = hostile.inflating_xlsx()
    assert len(data) < 100 * 1024
    tracemalloc.start()
    start = time.perf_counter()
    try:
        message = refusal("evidence.xlsx", data)
    finally:
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
        tracemalloc.stop()
    assert message.startswith("The selected file cannot be accepted: the part [Content_Types].xml is compressed 1,0")
    assert message.endswith("expand to 95.0 MB); the limit is 100 to 1")
    assert elapsed < 2 and peak < 5, "the old check inflated the whole 95 MB part in memory"


def test_a_file_declaring_more_than_the_total_limit_is_refused():
    data = docx(parts={"word/big.xml": b"\0" * (101 * 1024 * 1024)})
    assert refusal("big.docx", data) == (
        "The selected file cannot be accepted: the file expands to too much data: 101.0 MB once opened; "
        "the limit is 100.0 MB"
    )


def test_too_many_parts_are_refused_before_the_directory_is_parsed():
    data = docx(parts={f"word/media/i{i}.png": b"" for i in range(documents.MAX_MEMBERS)})
    assert (
        refusal("many.docx", data)
        == "The selected file cannot be accepted: the file holds 2,002 parts; the limit is 2,000"
    )
    # A file whose end record claims an absurd number of parts (it has 2) is refused from that record
    # alone, before the directory is parsed.
    small = docx()
    at = small.rfind(b"PK\x05\x06")
    forged = small[: at + 8] + struct.pack("<HH", 65000, 65000) + small[at + 12 :]
    assert refusal("forged.docx", forged) == (
        "The selected file cannot be accepted: the file holds 65,000 parts; the limit is 2,000"
    )


def test_content_types_over_their_limit_are_refused_and_read_in_chunks(monkeypatch):
    monkeypatch.setattr(documents, "MAX_CONTENT_TYPES_BYTES", 1000)
    data = docx("".join(f'<Default Extension="e{i}" ContentType="a/b"/>' for i in range(100)))
    assert refusal("types.docx", data).startswith(
        "The selected file cannot be accepted: the part [Content_Types].xml is"
    )


def test_a_member_is_never_read_past_its_limit_whatever_the_directory_says():
    reader = BoundedReader(io.BytesIO(b"x" * 10_000), limit=4_000, name="word/document.xml")
    with pytest.raises(ArchiveRefused, match="the part word/document.xml is larger than 0.0 MB, the limit"):
        reader.read()
    with zipfile.ZipFile(io.BytesIO(docx())) as archive:
        info = archive.getinfo("word/document.xml")
        assert read_member(archive, info, limit=100) == b"<w:document/>"
        with pytest.raises(ArchiveRefused, match="is 0.0 MB; the limit is 0.0 MB"):
            read_member(archive, info, limit=5)


def test_opendocument_macros_are_found_in_any_case():
    data = hostile.zip_bytes({"mimetype": "application/vnd.oasis.opendocument.text", "BASIC/Standard/Module1.xml": "x"})
    assert refusal("macro.odt", data) == "Files containing macros cannot be uploaded"


@pytest.mark.django_db
def test_a_refused_document_is_not_saved(client, plan, editor):
    client.force_login(editor)
    action = plan.actions.first()
    response = client.post(
        reverse("plans:documents", args=[plan.pk, action.pk]),
        {"title": "Evidence", "file": SimpleUploadedFile("evidence.xlsx", hostile.inflating_xlsx())},
    )
    assert response.status_code == 200
    assert "compressed 1,0" in response.content.decode()
    assert not SupportingDocument.objects.exists()
