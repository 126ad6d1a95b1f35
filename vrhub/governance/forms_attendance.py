"""Forms of the attendance sheet and its import. They only shape what people type: every rule (members in
office, item numbers, substitutes' names, the version check) is the services' (``governance.services``)."""

from django import forms

from vrhub.core.limits import size_text, upload_max_bytes, upload_too_large_message
from vrhub.governance.catalogue import Attendance
from vrhub.governance.selectors.attendance import SheetRow, field_name
from vrhub.governance.services.attendance import Entry

NOT_RECORDED = "Not recorded"


class AttendanceForm(forms.Form):
    """One row of fields per member in office: attendance, substitute's name, item after which they left."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, sheet: list[SheetRow], items: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        lefts = [("", "Stayed throughout")] + [(str(n), f"After item {n}") for n in items]
        for row in sheet:
            pk, record = row.member.pk, row.record
            self.fields[field_name("attendance", pk)] = forms.ChoiceField(
                label=f"How {row.member.name} took part",
                choices=[("", NOT_RECORDED), *Attendance.choices],
                required=False,
                initial=record.attendance if record else "",
                error_messages={"invalid_choice": f"Choose how {row.member.name} took part from the list"},
            )
            self.fields[field_name("substitute", pk)] = forms.CharField(
                label=f"Substitute for {row.member.name}",
                required=False,
                max_length=150,
                initial=record.substitute_name if record else "",
            )
            self.fields[field_name("left", pk)] = forms.TypedChoiceField(
                label=f"Item after which {row.member.name} left",
                choices=lefts,
                coerce=int,
                empty_value=None,
                required=False,
                initial=str(record.left_after_item) if record and record.left_after_item else "",
                error_messages={
                    "invalid_choice": f"Choose the item after which {row.member.name} left from the meeting's items"
                },
            )

    def rows(self):
        """(sheet row, attendance field, substitute field, left field) for the template."""
        for row in self.sheet:
            pk = row.member.pk
            yield (
                row,
                self[field_name("attendance", pk)],
                self[field_name("substitute", pk)],
                self[field_name("left", pk)],
            )

    def entries(self) -> list[Entry]:
        data = self.cleaned_data
        return [
            Entry(
                member=row.member.pk,
                attendance=data.get(field_name("attendance", row.member.pk)) or "",
                substitute_name=data.get(field_name("substitute", row.member.pk)) or "",
                left_after_item=data.get(field_name("left", row.member.pk)),
            )
            for row in self.sheet
        ]


class AttendanceImportForm(forms.Form):
    file = forms.FileField(
        label="Upload the attendance list",
        error_messages={"required": "Select the attendance file to upload", "empty": "The selected file is empty"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"A CSV file or an Excel workbook (.xlsx), up to {size_text(upload_max_bytes())}, with the columns "
            "name and attendance (present, remote, apologies or absent), and optionally left_after_item."
        )

    def refuse_too_large(self) -> None:
        """The upload handler stopped reading at the size limit: the limit is the file's only error."""
        self.full_clean()
        self.cleaned_data.pop("file", None)
        self._errors["file"] = self.error_class([upload_too_large_message()])
