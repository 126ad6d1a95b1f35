from django import forms

from vrhub.transparency.services import WITHDRAW_REASON_MAX


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why are you withdrawing these plans from publication?",
        help_text="This is recorded in the audit trail with your name. It is not shown to the public.",
        max_length=WITHDRAW_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Say why the plans are being withdrawn from publication",
            "max_length": f"The reason must be {WITHDRAW_REASON_MAX} characters or fewer",
        },
    )
