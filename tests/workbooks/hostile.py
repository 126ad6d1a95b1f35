"""Hostile workbooks and archives, built byte by byte so that each is tiny on disk.

Shared by the tests and by ``benchmarks/bench_workbook.py --hostile``.
"""

import io
import re
import zipfile

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
SML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
SHEET_CT = f"{SML}.worksheet+xml"
WORKBOOK_CT = f"{SML}.sheet.main+xml"


def zip_bytes(members: dict[str, bytes | str], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def minimal_xlsx(
    sheets: dict[str, str],
    *,
    extra: dict[str, bytes | str] | None = None,
    types: str = "",
    shared_strings: str | None = None,
    styles: str | None = None,
    workbook_pr: str = "",
) -> bytes:
    """A workbook with only the parts Excel needs: ``sheets`` maps a sheet name to its <sheetData>...
    (and anything after it, such as <mergeCells>) as raw XML; ``shared_strings`` and ``styles`` are
    the inside of <sst> and <styleSheet>, as Excel writes them."""
    rels = ""
    if shared_strings is not None:
        types += f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SML}.sharedStrings+xml"/>'
        rels += f'<Relationship Id="rIdS" Target="sharedStrings.xml" Type="{REL_NS}/sharedStrings"/>'
    if styles is not None:
        types += f'<Override PartName="/xl/styles.xml" ContentType="{SML}.styles+xml"/>'
        rels += f'<Relationship Id="rIdT" Target="/xl/styles.xml" Type="{REL_NS}/styles"/>'

    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{SHEET_CT}"/>'
        for i in range(1, len(sheets) + 1)
    )
    members: dict[str, bytes | str] = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{WORKBOOK_CT}"/>{overrides}{types}</Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
            '<Relationship Id="rId1" Target="xl/workbook.xml" '
            f'Type="{REL_NS}/officeDocument"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" xmlns:r="{REL_NS}">{workbook_pr}<sheets>'
            + "".join(f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(sheets, start=1))
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
            + "".join(
                f'<Relationship Id="rId{i}" Target="worksheets/sheet{i}.xml" Type="{REL_NS}/worksheet"/>'
                for i in range(1, len(sheets) + 1)
            )
            + rels
            + "</Relationships>"
        ),
    }
    if shared_strings is not None:
        members["xl/sharedStrings.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}">{shared_strings}</sst>'
        )
    if styles is not None:
        members["xl/styles.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS}">{styles}</styleSheet>'
        )

    for i, body in enumerate(sheets.values(), start=1):
        members[f"xl/worksheets/sheet{i}.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}" xmlns:r="{REL_NS}">{body}</worksheet>'
        )
    members.update(extra or {})
    return zip_bytes(members)


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


GOVERNANCE_HEADER = '<row r="1">' + inline("A1", "Action") + inline("B1", "Status") + "</row>"


def tiny_far_cell_xlsx() -> bytes:
    """A few hundred bytes that claim a cell at row 1,048,576 of a theme sheet."""
    return minimal_xlsx(
        {
            "Governance": '<dimension ref="A1:B1048576"/><sheetData>'
            + GOVERNANCE_HEADER
            + '<row r="1048576">'
            + inline("A1048576", "far away")
            + "</row></sheetData>"
        }
    )


def tiny_deep_merge_xlsx() -> bytes:
    """A tiny workbook whose one merged range is 20,000 rows deep."""
    return minimal_xlsx(
        {
            "Governance": "<sheetData>"
            + GOVERNANCE_HEADER
            + '<row r="2">'
            + inline("A2", "Merged")
            + "</row></sheetData>"
            + '<mergeCells count="1"><mergeCell ref="A2:A20001"/></mergeCells>'
        }
    )


def _rewrite_sheet(data: bytes, sheet_title: str, rewrite) -> bytes:
    """Apply ``rewrite`` to the XML of one named sheet of a real workbook, keeping every other part."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(rf'<sheet[^>]*name="{re.escape(sheet_title)}"[^>]*r:id="(rId\d+)"', workbook)[1]
        target = re.search(rf'<Relationship[^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or re.search(
            rf'<Relationship[^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels
        )
        path = target[1].lstrip("/")
        path = path if path.startswith("xl/") else f"xl/{path}"
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members[path] = rewrite(members[path].decode()).encode()
    return zip_bytes(members)


def with_far_cell(data: bytes, sheet_title: str = "1 Governance", text: str = "stray") -> bytes:
    """A real exported workbook plus one cell at row 1,048,576 (column N, Progress to date)."""

    def rewrite(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:P1048576"/>', xml)
        return xml.replace("</sheetData>", f'<row r="1048576">{inline("N1048576", text)}</row></sheetData>')

    return _rewrite_sheet(data, sheet_title, rewrite)


def with_deep_merge(data: bytes, sheet_title: str = "1 Governance", ref: str = "N2:N20001") -> bytes:
    """A real exported workbook whose Progress column is merged 20,000 rows deep."""

    def rewrite(xml: str) -> str:
        merge = f'<mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'
        return xml.replace("</sheetData>", "</sheetData>" + merge, 1)

    return _rewrite_sheet(data, sheet_title, rewrite)


def inflating_xlsx(inflated_bytes: int = 95 * 1024 * 1024) -> bytes:
    """About 97 KB on disk, ``inflated_bytes`` once inflated: a valid .xlsx whose
    [Content_Types].xml is padded with whitespace (the part that used to be read whole)."""
    base = minimal_xlsx({"Sheet1": "<sheetData/>"})
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    types = members["[Content_Types].xml"]
    members["[Content_Types].xml"] = types.replace(b"</Types>", b" " * (inflated_bytes - len(types)) + b"</Types>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()
