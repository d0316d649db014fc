"""The back office: one AdminSite, Unfold-themed, that only back-office roles enter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, user_has_device
from django_otp.forms import OTPAuthenticationFormMixin
from unfold.forms import AuthenticationForm
from unfold.sites import UnfoldAdminSite

from .backoffice import pages
from .scope import is_back_office
from .widgets import style_plain_widgets


class BackOfficeLoginForm(OTPAuthenticationFormMixin, AuthenticationForm):  # type: ignore[misc]  # untyped third-party base
    """Password sign-in; a user who has bound an authenticator app must also give its code."""

    otp_device = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_token = forms.CharField(
        label=_("动态验证码"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("已绑定身份验证器的账号须填写"),
    )
    otp_challenge = forms.CharField(required=False, widget=forms.HiddenInput)

    otp_error_messages = dict(
        OTPAuthenticationFormMixin.otp_error_messages,
        token_required=_("该账号已启用双重验证，请输入身份验证器上的6位动态验证码。"),
        invalid_token=_("动态验证码不正确，请重新输入。"),
        device_required=_("该账号未绑定可用的身份验证器，请联系系统管理员。"),
        n_failed_attempts=_("动态验证码连续错误 %(failure_count)d 次，请稍后再试。"),
        verification_not_allowed=_("暂时无法验证动态验证码，请稍后再试。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_plain_widgets(self)  # the authenticator code field is the form's own

    def confirm_login_allowed(self, user: Any) -> None:
        if not user.is_active or not is_back_office(user):
            raise ValidationError(
                _("该账号没有后台管理权限。职工请从“网上职工之家”登录。"), code="no_back_office"
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user):
            if not cleaned.get("otp_device"):
                # The page has no device picker: the token is checked against the user's own
                # confirmed authenticator (django-otp >= 1.7 no longer guesses one).
                device = next(iter(devices_for_user(user)), None)
                cleaned["otp_device"] = device.persistent_id if device else ""
            self.clean_otp(user)
        out: dict[str, Any] = cleaned
        return out


class GonghuiAdminSite(UnfoldAdminSite):  # type: ignore[misc]  # untyped third-party base
    site_header = _("工会工作平台")
    site_title = _("工会工作平台")
    index_title = _("工作台")
    login_form = BackOfficeLoginForm

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        response: HttpResponse = super().login(request, extra_context)
        if request.method == "POST" and response.status_code == 302:
            # Signed in: the back office's idle timeout, even where this browser's session was
            # the same account's long portal session (a worker since given a back-office role).
            request.session.set_expiry(None)
        return response

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        if not (user.is_active and is_back_office(user)):
            return False
        # Two-factor is optional, but once bound it is required for every session.
        # OTPMiddleware gives the request's user ``is_verified``.
        verified = getattr(user, "is_verified", lambda: False)
        return not user_has_device(user) or bool(verified())

    def extra_urls(self) -> list[URLPattern]:
        """The pages the apps registered (``core.backoffice.register_page``)."""
        return [path(p.route, self.admin_view(p.view), name=p.name) for p in pages()]
