"""Fields a back-office form declares itself are drawn as inputs a cadre can see."""

from __future__ import annotations

from django import forms

from gonghui.core.admin_base import ActionForm
from gonghui.core.widgets import style_plain_widgets


class _Declared(forms.Form):
    ric = forms.CharField(label="身份证号码")
    joined_on = forms.DateField(label="入会日期")
    note = forms.CharField(widget=forms.Textarea)
    kind = forms.ChoiceField(choices=[("a", "甲")])
    agree = forms.BooleanField(required=False)
    token = forms.CharField(widget=forms.HiddenInput)
    mode = forms.ChoiceField(choices=[("a", "甲")], widget=forms.RadioSelect)
    own = forms.CharField(widget=forms.TextInput(attrs={"class": "my-own"}))


def test_declared_fields_get_a_border_and_a_usable_height() -> None:
    form = _Declared()
    style_plain_widgets(form)
    for name in ("ric", "joined_on", "note", "kind"):
        classes = form.fields[name].widget.attrs["class"].split()
        assert "border" in classes, name
        assert "py-2" in classes, name  # the height of Unfold's own inputs
    assert "border" in form.fields["agree"].widget.attrs["class"].split()
    assert 'class="border ' in str(form["ric"])  # the rendered input carries them


def test_hidden_radio_and_already_styled_widgets_are_left_alone() -> None:
    form = _Declared()
    style_plain_widgets(form)
    assert "class" not in form.fields["token"].widget.attrs
    assert "class" not in form.fields["mode"].widget.attrs
    assert form.fields["own"].widget.attrs["class"] == "my-own"


def test_styling_one_form_leaves_the_class_and_other_forms_alone() -> None:
    style_plain_widgets(_Declared())
    assert "class" not in _Declared.base_fields["ric"].widget.attrs


def test_action_forms_are_styled_without_asking() -> None:
    class Transfer(ActionForm):
        on = forms.DateField(label="转出日期")

    form = Transfer(actor=None, obj=None)
    assert "border" in form.fields["on"].widget.attrs["class"].split()


def test_the_back_office_script_carries_its_words_in_the_request_s_language() -> None:
    from urllib.parse import parse_qs, urlsplit

    from django.test import RequestFactory
    from django.utils import translation

    from gonghui.core.widgets import backoffice_script

    request = RequestFactory().get("/admin/")
    with translation.override("zh-hans"):
        chinese = parse_qs(urlsplit(backoffice_script(request)).query)
    with translation.override("en"):
        english = parse_qs(urlsplit(backoffice_script(request)).query)
    assert urlsplit(backoffice_script(request)).path.endswith("core/backoffice.js")
    assert chinese["scroll"] == ["可滚动区域"]
    assert english["scroll"] == ["Scrollable area"]


def test_a_declared_file_field_gets_a_framed_widget() -> None:
    from unfold.widgets import UnfoldAdminFileFieldWidget

    class Upload(forms.Form):
        file = forms.FileField(label="文件")

    form = Upload()
    style_plain_widgets(form)
    assert isinstance(form.fields["file"].widget, UnfoldAdminFileFieldWidget)
    assert form.fields["file"].widget.is_required
    assert 'type="file"' in str(form["file"])
    assert not isinstance(Upload.base_fields["file"].widget, UnfoldAdminFileFieldWidget)
