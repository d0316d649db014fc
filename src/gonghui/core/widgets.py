"""The back office's look for the fields a form declares itself.

Unfold draws a model field with its own widgets (a border, a usable height), but a field a
form declares (``ric = forms.CharField(...)``) keeps Django's bare widget: an input without a
border, 20 px tall, that a cadre cannot see. Every back-office form base calls
:func:`style_plain_widgets`, so no form has to remember it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.forms.widgets import Input
from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.translation import gettext
from unfold.widgets import (
    BASE_INPUT_CLASSES,
    CHECKBOX_CLASSES,
    DATETIME_CLASSES,
    INPUT_CLASSES,
    TEXTAREA_CLASSES,
    UnfoldAdminFileFieldWidget,
)

# A native <select> keeps its own arrow (Unfold's select template draws one; a bare widget
# does not), so no ``appearance-none`` here.
SELECT_CLASSES: list[str] = [*BASE_INPUT_CLASSES, "max-w-2xl", "pr-8"]
CHECKBOX: list[str] = list(CHECKBOX_CLASSES)
TEXTAREA: list[str] = list(TEXTAREA_CLASSES)
DATETIME: list[str] = list(DATETIME_CLASSES)
INPUT: list[str] = list(INPUT_CLASSES)


def _classes_for(widget: forms.Widget) -> list[str] | None:
    if isinstance(widget, forms.RadioSelect | forms.FileInput | forms.MultiWidget):
        return None  # drawn by their own templates (and CheckboxSelectMultiple is a RadioSelect)
    if isinstance(widget, forms.CheckboxInput):
        return CHECKBOX
    if isinstance(widget, forms.Textarea):
        return TEXTAREA
    if isinstance(widget, forms.Select):
        return SELECT_CLASSES
    if isinstance(widget, forms.DateInput | forms.DateTimeInput | forms.TimeInput):
        return DATETIME
    if isinstance(widget, Input):
        return INPUT
    return None


def style_plain_widgets(form: forms.BaseForm) -> None:
    """Give each visible field of ``form`` that has no classes of its own the back office's
    input classes (a file field, Unfold's framed file widget). Widgets are the form
    instance's own copies, so this changes one form only; a widget that already has classes
    (Unfold's, select2's) is left as it is."""
    for field in form.fields.values():
        widget = field.widget
        if type(widget) in (forms.FileInput, forms.ClearableFileInput):
            # A bare file input is a browser's "Choose File" text with no frame: Unfold's
            # draws a box with the chosen file's name.
            framed = UnfoldAdminFileFieldWidget(attrs=dict(widget.attrs))
            framed.is_required = widget.is_required
            field.widget = framed
            continue
        if widget.is_hidden or widget.attrs.get("class"):
            continue
        classes = _classes_for(widget)
        if classes is not None:
            widget.attrs["class"] = " ".join(classes)


def backoffice_script(request: HttpRequest) -> str:
    """The address of ``core/backoffice.js`` (Unfold's ``SCRIPTS``), carrying the words it
    gives third-party widgets in the request's language: a static file cannot translate."""
    return (
        static("core/backoffice.js")
        + "?"
        + urlencode({"scroll": gettext("可滚动区域"), "clear": gettext("清除所选")})
    )
