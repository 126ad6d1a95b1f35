"""Every limit on an uploaded plan workbook, in one place.

A plan has fewer than 200 actions over 8 theme sheets, so a theme sheet uses a few dozen rows and 16
columns, and the whole workbook inflates to well under 1 MB. The limits leave room for ten times a
large plan, people's notes and formatting, and stop anything bigger before it costs time or memory.
"""

from datetime import timedelta

from django.core.exceptions import FieldDoesNotExist

# The archive (checked from the zip directory before anything is inflated).
MAX_MEMBERS = 1_000  # parts in the .xlsx; an exported plan has about 20
MAX_INFLATED_BYTES = 50 * 1024 * 1024  # all parts together, uncompressed
MAX_PART_BYTES = 20 * 1024 * 1024  # any one sheet or the shared strings, uncompressed
MAX_METADATA_PART_BYTES = 5 * 1024 * 1024  # workbook.xml, relationships, styles, content types
MAX_COMPRESSION_RATIO = 100  # uncompressed : compressed, for any part larger than RATIO_FLOOR_BYTES
RATIO_FLOOR_BYTES = 1024 * 1024

# The workbook's structure.
MAX_SHEETS = 100
MAX_SHARED_STRINGS = 200_000
MAX_STYLES = 65_000  # cell formats, fills or number formats (Excel itself stops at 64,000)

# Each sheet, checked while it is read: reading stops at the first thing past a limit.
MAX_ROWS = 2_000
MAX_COLUMNS = 100  # column CV
MAX_CELLS = 100_000  # cell entries in one sheet, empty formatted cells included
MAX_MERGED_RANGES = 1_000
MAX_MERGED_CELLS = 20_000  # all merged ranges of a sheet together
MAX_XML_ELEMENTS = 1_000_000  # everything in one sheet's XML

# Free text: a field's limit is its model field's max_length; a text field without one gets this.
TEXT_FALLBACK_MAX_LENGTH = 10_000

# Previews of an import waiting for the person to confirm them.
PREVIEW_MAX_AGE = timedelta(hours=2)


def text_max_length(name: str, model=None) -> int:
    """The most characters the field ``name`` of ``model`` (a plan action, unless given) may hold."""
    from vrhub.plans.models import PlanAction

    try:
        field = (model or PlanAction)._meta.get_field(name)
    except FieldDoesNotExist:
        return TEXT_FALLBACK_MAX_LENGTH
    return getattr(field, "max_length", None) or TEXT_FALLBACK_MAX_LENGTH
