from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from vrhub.accounts.selectors import user_must_verify


class VerifiedAdminSite(admin.AdminSite):
    """The admin requires staff who need a second factor to have given it in this session.

    People sign in through vrhub's own sign-in page (throttled, audited, GOV.UK styled), not the
    admin's: the admin's sign-in page sends them there.
    """

    def has_permission(self, request) -> bool:
        user = request.user
        if not super().has_permission(request):
            return False
        return not user_must_verify(user=user) or user.is_verified()

    def login(self, request, extra_context=None):
        index = reverse("admin:index")
        if not request.user.is_authenticated:
            return redirect_to_login(request.GET.get("next") or index, settings.LOGIN_URL)
        if self.has_permission(request):
            return redirect(index)
        if request.user.is_staff and not request.user.is_verified():
            return redirect_to_login(index, reverse("accounts:otp_verify"))
        raise PermissionDenied("Only vrhub's administrators can use the admin.")
