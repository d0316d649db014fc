"""Portal forms: sign in with a mobile number, claim a person record."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from gonghui.core.identifiers import IdentifierError, normalize_mobile


class MobileLoginForm(AuthenticationForm):
    """A worker signs in with the mobile number, written any usual way, and a password. A
    wrong pair is told in the words of the form's own fields (not Django's "username")."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("手机号码或密码不正确。"),
    }

    def clean_username(self) -> str:
        raw = self.cleaned_data.get("username", "")
        try:
            return normalize_mobile(raw)
        except IdentifierError:
            return raw  # accounts that are not mobile numbers sign in by name


class ClaimStartForm(forms.Form):
    ric = forms.CharField(label=_("身份证号码"), max_length=40)
    mobile = forms.CharField(label=_("手机号码"), max_length=30)


class ClaimFinishForm(forms.Form):
    code = forms.CharField(label=_("短信验证码"), max_length=6, min_length=6)
    password1 = forms.CharField(label=_("设置密码"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("再次输入密码"), widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data


class ApplyForm(forms.Form):
    union = forms.CharField(
        label=_("申请加入的工会"),
        max_length=100,
        help_text=_("填写工会的组织代码或全称（可向单位工会询问）"),
    )
    statement = forms.CharField(
        label=_("申请说明"), max_length=500, required=False, widget=forms.Textarea
    )


class ChildForm(forms.Form):
    """The child a parent registers for a children's activity (a summer camp)."""

    child_name = forms.CharField(label=_("子女姓名"), max_length=50)
    child_birth_date = forms.DateField(
        label=_("子女出生日期"),
        help_text=_("例如 2008-05-01"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
