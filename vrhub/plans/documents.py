"""Upload checks for supporting documents: size, extension and the file's real type."""

import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

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
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_MEMBERS = 2000


def validate_upload(file: UploadedFile) -> str:
    """Return the content type to store, or raise ValidationError with a message for the person."""
    limit = settings.DOCUMENT_MAX_BYTES
    ext = Path(file.name or "").suffix.lower()
    if ext not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            f"The selected file must be one of: {', '.join(e.lstrip('.').upper() for e in ALLOWED_EXTENSIONS)}"
        )
    if file.size is None or file.size == 0:
        raise ValidationError("The selected file is empty")
    if file.size > limit:
        raise ValidationError(f"The selected file must be smaller than {limit // (1024 * 1024)} MB")
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if ext in SIMPLE:
        content_type, magics = SIMPLE[ext]
        if not head.startswith(magics):
            raise ValidationError(f"The selected file is not a real {ext.lstrip('.').upper()} file")
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
        raise ValidationError(f"The selected file is not a real {ext.lstrip('.').upper()} file")
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            total = sum(m.file_size for m in members)
    except zipfile.BadZipFile as exc:
        raise ValidationError(f"The selected file is not a real {ext.lstrip('.').upper()} file") from exc
    finally:
        file.seek(0)
    if len(members) > MAX_MEMBERS or total > MAX_UNCOMPRESSED:
        raise ValidationError("The selected file expands to too much data to be accepted")
    lowered = {n.lower() for n in names}
    if ext in OOXML:
        if "[Content_Types].xml" not in names or OOXML_MAIN_PART[ext] not in lowered:
            raise ValidationError(f"The selected file is not a real {ext.lstrip('.').upper()} file")
        with zipfile.ZipFile(file) as archive:
            content_types = archive.read("[Content_Types].xml")[:200_000].lower()
        file.seek(0)
        if any(n.endswith("vbaproject.bin") for n in lowered) or b"macroenabled" in content_types:
            raise ValidationError("Files containing macros cannot be uploaded")
        if any("/embeddings/" in n and n.endswith(".bin") for n in lowered):
            raise ValidationError("Files with embedded programs or objects cannot be uploaded")
        return OOXML[ext]
    if "mimetype" not in names:
        raise ValidationError(f"The selected file is not a real {ext.lstrip('.').upper()} file")
    if any(n.startswith(("basic/", "scripts/")) for n in lowered):
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
        if self.received > settings.DOCUMENT_MAX_BYTES:
            self.request.upload_too_large = True
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None
