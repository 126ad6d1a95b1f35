from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from vrhub.accounts import services
from vrhub.transparency.models import ApiToken


class SignInForm(AuthenticationForm):
    """Django's sign-in form with GOV.UK error messages."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=16,
        error_messages={"required": "Enter the code", "max_length": "The code must be 16 characters or fewer"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def __init__(self, *args, backup_codes: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        if backup_codes:
            code.label = "Enter the code from your authenticator app"
            code.help_text = "The 6-digit code your app shows now, or one of your backup codes"
        else:
            code.help_text = "The 6-digit code your authenticator app shows now"
            code.widget.attrs["inputmode"] = "numeric"


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What will use the token, for example ‘BI dashboard’",
        error_messages={
            "required": "Enter a token name, for example the system that will use it",
            "max_length": "Token name must be 100 characters or fewer",
        },
    )
    days = forms.TypedChoiceField(
        label="How long should the token work?",
        coerce=int,
        choices=[(d, f"{d} days") for d in ApiToken.DAY_CHOICES],
        initial=ApiToken.DEFAULT_DAYS,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how long the token should work",
            "invalid_choice": "Choose 30, 90 or 365 days",
        },
    )


class GovukPasswordChangeForm(PasswordChangeForm):
    """Django's password change, saved through ``services.user_password_change`` (validated, audited)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        f = self.fields
        f["old_password"].label = "Current password"
        f["old_password"].error_messages["required"] = "Enter your current password"
        f["new_password1"].label = "New password"
        f[
            "new_password1"
        ].help_text = (
            "At least 8 characters. Not a common password, not only numbers, and not like your name or username."
        )
        f["new_password1"].error_messages["required"] = "Enter a new password"
        f["new_password2"].label = "Confirm new password"
        f["new_password2"].error_messages["required"] = "Enter the new password again"
        for name in ("old_password", "new_password1", "new_password2"):
            f[name].widget.attrs.pop("autofocus", None)
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": "Your current password is not right: enter it again",
            "password_mismatch": "The new passwords do not match: enter the same password twice",
        }

    def save(self, commit=True):
        services.user_password_change(user=self.user, new_password=self.cleaned_data["new_password1"])
        return self.user
