"""Upload checks for supporting documents: size, extension and the file's real type.

Zip-based files (Office and OpenDocument) are judged from the zip directory first (how many parts,
how large once inflated, how strongly compressed) and only then are parts read, in bounded chunks.
The same checks serve the plan workbook import (``vrhub.workbooks.importer``).
"""

import io
import struct
import zipfile
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from vrhub.core.limits import upload_max_bytes, upload_too_large_message

OOXML = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
OOXML_MAIN_PART = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml", ".pptx": "ppt/presentation.xml"}
ODF = {
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}
SIMPLE = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
TEXT = {".csv": "text/csv", ".txt": "text/plain"}
ALLOWED_EXTENSIONS = sorted(set(OOXML) | set(ODF) | set(SIMPLE) | set(TEXT))

# Limits on a zip-based document, checked from the zip directory before anything is inflated.
MAX_MEMBERS = 2000
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100  # uncompressed : compressed, for any part larger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_CONTENT_TYPES_BYTES = 1024 * 1024  # [Content_Types].xml; a real one is a few KB
READ_CHUNK = 64 * 1024

# Active content: a part whose content type contains one of these words ...
ACTIVE_CONTENT_TYPES = (
    "vbaproject",  # application/vnd.ms-office.vbaProject (VBA macros) and vbaProjectSignature
    "vbadata",  # application/vnd.ms-word.vbaData+xml
    "macroenabled",  # ...sheet.macroEnabled.main+xml, .docm, .pptm, macro-enabled templates and add-ins
    "macrosheet",  # application/vnd.ms-excel.macrosheet+xml, intlmacrosheet (Excel 4.0 macros)
    "keymapcustomizations",  # Word key bindings that run macros
    "activex",  # application/vnd.ms-office.activeX, activeX+xml
    "oleobject",  # application/vnd.openxmlformats-officedocument.oleObject
    "vnd.ms-excel.sheet.binary",  # .xlsb, which can hold macros
    "x-msdownload",
    "x-msdos-program",
)
# ... or whose part name (in any folder, in any case) starts with one of these, or lies in one of these folders.
ACTIVE_PART_NAMES = ("vbaproject", "vbadata", "oleobject")
ACTIVE_FOLDERS = ("activex", "macrosheets")
# Embedded files are refused unless they are ordinary Office documents or pictures (a chart's data is
# an embedded .xlsx); a .bin embedding is an OLE object, which can carry a program.
SAFE_EMBEDDINGS = (".xlsx", ".docx", ".pptx", ".png", ".jpg", ".jpeg", ".gif", ".emf", ".wmf")
ODF_MACRO_FOLDERS = ("basic", "scripts")


class ArchiveRefused(ValueError):
    """A zip container refused before it is inflated; the message names what is wrong and the limit."""


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB"


def _declared_entries(file: BinaryIO) -> int | None:
    """The number of parts the zip's end-of-central-directory record declares, read from the file's
    last 64 KB without parsing the directory; None when it does not say (zip64, or no record)."""
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(max(0, size - (65535 + 22)))
    tail = file.read()
    file.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    entries = struct.unpack("<H", tail[at + 10 : at + 12])[0]
    return None if entries == 0xFFFF else entries


def archive_members(
    file: BinaryIO, *, max_members: int, max_uncompressed: int, max_ratio: int, ratio_floor: int = RATIO_FLOOR
) -> list[zipfile.ZipInfo]:
    """The archive's parts, once its directory shows it is within every limit. Raises ArchiveRefused
    naming the limit, or zipfile.BadZipFile. Nothing is inflated; the sizes checked are the ones the
    directory declares, which also bound what Python's zipfile will ever inflate for each part."""
    declared = _declared_entries(file)
    if declared is not None and declared > max_members:
        raise ArchiveRefused(f"the file holds {declared:,} parts; the limit is {max_members:,}")
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    finally:
        file.seek(0)
    if len(members) > max_members:
        raise ArchiveRefused(f"the file holds {len(members):,} parts; the limit is {max_members:,}")
    total = sum(m.file_size for m in members)
    if total > max_uncompressed:
        raise ArchiveRefused(
            f"the file expands to too much data: {_mb(total)} once opened; the limit is {_mb(max_uncompressed)}"
        )
    for m in members:
        if m.file_size > ratio_floor and m.file_size > max_ratio * max(m.compress_size, 1):
            ratio = m.file_size / max(m.compress_size, 1)
            raise ArchiveRefused(
                f"the part {m.filename} is compressed {ratio:,.0f} to 1 ({m.compress_size:,} bytes expand to "
                f"{_mb(m.file_size)}); the limit is {max_ratio} to 1"
            )
    return members


class BoundedReader(io.RawIOBase):
    """A part of an archive, read in chunks, that stops with ArchiveRefused once more than ``limit``
    bytes have come out (whatever the zip directory said)."""

    def __init__(self, stream: BinaryIO, *, limit: int, name: str):
        super().__init__()
        self.stream, self.limit, self.name, self.count = stream, limit, name, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.stream.read(min(len(buffer), READ_CHUNK))
        self.count += len(data)
        if self.count > self.limit:
            raise ArchiveRefused(f"the part {self.name} is larger than {_mb(self.limit)}, the limit")
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self.stream.close()
        super().close()


def open_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, limit: int) -> BoundedReader:
    """A part as a stream of at most ``limit`` bytes; refused at once if the directory declares more."""
    if info.file_size > limit:
        raise ArchiveRefused(f"the part {info.filename} is {_mb(info.file_size)}; the limit is {_mb(limit)}")
    return BoundedReader(archive.open(info), limit=limit, name=info.filename)


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, limit: int) -> bytes:
    """A part's bytes, read in bounded chunks (never a whole part in one read)."""
    chunks = []
    with open_member(archive, info, limit=limit) as reader:
        while chunk := reader.read(READ_CHUNK):
            chunks.append(chunk)
    return b"".join(chunks)


def safe_xml_parser():
    """An XML parser that expands no entities, loads no DTD and fetches nothing."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def content_types(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> dict[str, str]:
    """Each part's content type from [Content_Types].xml: ``{"/xl/workbook.xml": ...}``, with the
    defaults by extension as ``{"*.bin": ...}``. Raises ArchiveRefused if it is missing, too
    large or damaged."""
    from lxml import etree

    info = next((m for m in members if m.filename.lower() == "[content_types].xml"), None)
    if info is None:
        raise ArchiveRefused("the file has no [Content_Types].xml part")
    data = read_member(archive, info, limit=MAX_CONTENT_TYPES_BYTES)
    try:
        root = etree.fromstring(data, parser=safe_xml_parser())  # noqa: S320 (no entities, DTD or network)
    except etree.XMLSyntaxError as exc:
        raise ArchiveRefused("the file's [Content_Types].xml is damaged") from exc
    if root.getroottree().docinfo.doctype:
        raise ArchiveRefused("the file's [Content_Types].xml declares a DTD, which Office files never do")
    types = {}
    for i, element in enumerate(root):
        if not isinstance(element.tag, str):
            continue
        content_type = element.get("ContentType") or ""
        if element.get("Extension") is not None:
            types["*." + element.get("Extension")] = content_type
        else:
            types[element.get("PartName") or f"(entry {i + 1})"] = content_type
    return types


def active_content(names: list[str], types: dict[str, str]) -> str | None:
    """What in an Office file could run (macros, ActiveX controls, OLE objects, other embedded files),
    named for the person, or None. Looks at every content type and at every part name, in any folder
    and in any case."""
    for part, content_type in sorted(types.items()):
        if any(word in content_type.lower() for word in ACTIVE_CONTENT_TYPES):
            where = f"parts ending .{part[2:]}" if part.startswith("*.") else f"the part {part.lstrip('/')}"
            return f"{where} ({content_type})"
    for name in sorted(names):
        folders, _, base = name.lower().replace("\\", "/").rpartition("/")
        folders = folders.split("/")
        if base.startswith(ACTIVE_PART_NAMES) or any(f in ACTIVE_FOLDERS for f in folders):
            return f"the part {name}"
        if "embeddings" in folders and not base.endswith(SAFE_EMBEDDINGS):
            return f"the embedded file {name}"
    return None


def validate_upload(file: UploadedFile) -> str:
    """Return the content type to store, or raise ValidationError with a message for the person."""
    limit = upload_max_bytes()
    ext = Path(file.name or "").suffix.lower()
    kind = ext.lstrip(".").upper()
    if ext not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            f"The selected file must be one of: {', '.join(e.lstrip('.').upper() for e in ALLOWED_EXTENSIONS)}"
        )
    if file.size is None or file.size == 0:
        raise ValidationError("The selected file is empty")
    if file.size > limit:
        raise ValidationError(upload_too_large_message())
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if ext in SIMPLE:
        content_type, magics = SIMPLE[ext]
        if not head.startswith(magics):
            raise ValidationError(f"The selected file is not a real {kind} file")
        return content_type
    if ext in TEXT:
        sample = file.read(64 * 1024)
        file.seek(0)
        if b"\x00" in sample:
            raise ValidationError("The selected file is not a text file")
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError:
            try:
                sample.decode("cp1252")
            except UnicodeDecodeError as exc:
                raise ValidationError("The selected file is not a text file") from exc
        return TEXT[ext]
    if not head.startswith(b"PK\x03\x04"):
        raise ValidationError(f"The selected file is not a real {kind} file")
    try:
        return _validate_archive(file, ext)
    except ArchiveRefused as exc:
        raise ValidationError(f"The selected file cannot be accepted: {exc}") from exc
    except zipfile.BadZipFile as exc:
        raise ValidationError(f"The selected file is not a real {kind} file") from exc
    finally:
        file.seek(0)


def _validate_archive(file: UploadedFile, ext: str) -> str:
    kind = ext.lstrip(".").upper()
    members = archive_members(
        file, max_members=MAX_MEMBERS, max_uncompressed=MAX_UNCOMPRESSED, max_ratio=MAX_COMPRESSION_RATIO
    )
    names = [m.filename for m in members]
    lowered = {n.lower() for n in names}
    if ext in OOXML:
        if "[content_types].xml" not in lowered or OOXML_MAIN_PART[ext] not in lowered:
            raise ValidationError(f"The selected file is not a real {kind} file")
        with zipfile.ZipFile(file) as archive:
            found = active_content(names, content_types(archive, members))
        if found:
            raise ValidationError(
                f"Files containing macros, ActiveX controls or embedded programs cannot be uploaded: "
                f"this file has {found}"
            )
        return OOXML[ext]
    if "mimetype" not in lowered:
        raise ValidationError(f"The selected file is not a real {kind} file")
    if any(n.split("/")[0] in ODF_MACRO_FOLDERS for n in lowered):
        raise ValidationError("Files containing macros cannot be uploaded")
    return ODF[ext]


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops reading an uploaded file once it passes DOCUMENT_MAX_BYTES, so a huge upload is never
    written to disk; the view then reports the limit (``request.upload_too_large``)."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > upload_max_bytes():
            self.request.upload_too_large = True
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None
