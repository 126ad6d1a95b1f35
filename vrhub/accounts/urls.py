from django.urls import path

from vrhub.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("password/", views.password_change, name="password_change"),
    path("two-factor/", views.otp_verify, name="otp_verify"),
    path("two-factor/set-up/", views.otp_setup, name="otp_setup"),
    path("two-factor/backup-codes/", views.otp_backup_codes, name="otp_backup_codes"),
    path("two-factor/turn-off/", views.otp_remove, name="otp_remove"),
    path("api-tokens/new/", views.token_new, name="token_new"),
    path("api-tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("tokens/", views.vru_tokens, name="vru_tokens"),
    path("sign-ins/", views.sign_ins, name="sign_ins"),
]
