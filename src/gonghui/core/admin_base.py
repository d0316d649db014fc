"""The one base every ModelAdmin derives from: scope, role permissions, audit, export.

A list, a change page, a lookup by id, a foreign-key choice and an export all start from
``get_queryset``, which goes through :func:`gonghui.core.scope.scope_queryset`; an object
outside the user's scope therefore does not exist for the back office.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Collection, Mapping
from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, router, transaction
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.dataclasses import UnfoldAction

from . import audit, numbers
from .errors import DomainError
from .export import Column, xlsx_bytes, xlsx_response
from .scope import Actor, can_write_anything, is_back_office, path_of, scope_queryset, user_scope
from .widgets import style_plain_widgets


class ServiceRefused(Exception):
    """The service behind a valid form refused the write: the errors to show on the form."""

    def __init__(self, errors: list[tuple[str | None, str]]) -> None:
        super().__init__(errors)
        self.errors = errors


class ServiceForm(forms.ModelForm):  # type: ignore[type-arg]  # for any model
    """A ModelForm whose write goes through a domain service.

    Validation checks the fields only; the service runs once the whole page is valid (the
    form and every inline formset), from ``ScopedModelAdmin.save_model``, inside the admin's
    transaction. If the service refuses (a :class:`DomainError` or a model
    ``ValidationError``), the transaction is rolled back and the page is shown again with the
    refusal next to the field it names: nothing is half-written.
    """

    actor: Actor  # set by ScopedModelAdmin.get_form: the user of the request
    #: errors of a refused first attempt, shown when the page is rendered again
    preset_errors: list[tuple[str | None, str]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_plain_widgets(self)

    def run_service(self) -> models.Model:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for field, message in self.preset_errors:
            self._add(field, message)
        return cleaned

    def run(self) -> models.Model:
        """Call the service; raise :class:`ServiceRefused` with its errors if it refuses."""
        try:
            # A savepoint: a service that fails half-way leaves nothing behind.
            with transaction.atomic():
                made = self.run_service()
        except DomainError as err:
            raise ServiceRefused([(err.field, str(err.message))]) from err
        except ValidationError as err:
            if hasattr(err, "error_dict"):
                errors: list[tuple[str | None, str]] = [
                    (field, str(e.messages[0] if e.messages else e))
                    for field, field_errors in err.error_dict.items()
                    for e in field_errors
                ]
            else:
                errors = [(None, "；".join(err.messages))]
            raise ServiceRefused(errors) from err
        # The admin (and the inline formsets) hold the form's own instance: it becomes the
        # record the service made or changed.
        self.instance.__dict__.update(made.__dict__)
        instance: models.Model = self.instance
        return instance

    def _add(self, field: str | None, message: Any) -> None:
        self.add_error(field if field in self.fields else None, str(message))

    def _post_clean(self) -> None:
        # The service validates (and normalizes) the model itself.
        return None

    def save(self, commit: bool = True) -> Any:
        return self.instance

    def save_m2m(self) -> None:
        return None


def _choices_getter(field: Any) -> Callable[[Any], Any]:
    """A field's display value, as ``get_<field>_display`` gives it, with the labels looked up
    once per language: Django's own method rebuilds the choices on every call, which cost an
    export of a report's 20,000 records seconds."""
    tables: dict[str, dict[Any, str]] = {}

    def display(obj: Any) -> Any:
        language = get_language() or ""
        table = tables.get(language)
        if table is None:
            table = tables[language] = {k: str(v) for k, v in field.flatchoices}
        value = getattr(obj, field.attname)
        try:
            return table.get(value, value)
        except TypeError:  # an unhashable value: as Django shows it
            return getattr(obj, f"get_{field.name}_display")()

    return display


def _display_getter(admin_obj: Any, name: str) -> Callable[[Any], Any]:
    attr = getattr(admin_obj, name, None)
    raw = getattr(attr, "raw", None)
    if raw is not None:  # a column shown formatted: the spreadsheet keeps the number
        return functools.partial(raw, admin_obj)
    if callable(attr):
        return cast(Callable[[Any], Any], attr)
    try:
        field = admin_obj.model._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    if field is not None and getattr(field, "choices", None) and field.concrete:
        return _choices_getter(field)

    def get(obj: Any) -> Any:
        value = getattr(obj, f"get_{name}_display", None)
        if callable(value):
            return value()
        value = getattr(obj, name)
        return value() if callable(value) else value

    return get


def _label(admin_obj: Any, model: type[models.Model], name: str) -> str:
    attr = getattr(admin_obj, name, None)
    if attr is not None and hasattr(attr, "short_description"):
        return str(attr.short_description)
    try:
        return str(getattr(model._meta.get_field(name), "verbose_name", name))
    except Exception:
        return name


def money_display(
    description: Any, *, ordering: str | None = None
) -> Callable[[Callable[[Any, Any], Any]], Callable[[Any, Any], str]]:
    """A list column of an amount in yuan computed by an admin method: shown as an office
    writes it (``13,051,150.00``, :func:`core.numbers.yuan`), exported as the number."""

    def wrap(method: Callable[[Any, Any], Any]) -> Callable[[Any, Any], str]:
        @functools.wraps(method)
        def shown(self: Any, obj: Any) -> str:
            return numbers.yuan(method(self, obj))

        shown.short_description = description  # type: ignore[attr-defined]
        shown.admin_order_field = ordering  # type: ignore[attr-defined]
        shown.raw = method  # type: ignore[attr-defined]
        return shown

    return wrap


def _is_money_field(model: type[models.Model], name: str) -> bool:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return isinstance(field, models.DecimalField) and field.decimal_places == 2


class ScopedModelAdmin(ModelAdmin):  # type: ignore[misc]  # untyped third-party base
    """Scoped, role-aware, audited ModelAdmin with an Excel export action."""

    list_per_page = 50
    actions = ["export_xlsx"]
    #: columns of the Excel export (names of fields or admin methods); defaults to list_display
    export_fields: tuple[str, ...] | None = None
    #: plain edits are allowed; models whose writes go through services set this to False
    plain_edit = True
    warn_unsaved_form = True
    # No record has a public page: "view on site" would lead back to the record's own page.
    view_on_site = False
    #: the one-object actions (``actions_detail``, ``actions_submit_line``) each state of a
    #: record offers, keyed by :meth:`state_of` (decision 0017). An action named under no
    #: state is offered in every state (a view, a print); one named under some states is
    #: offered only in those, and its page refuses in the others.
    actions_by_state: Mapping[str, Collection[str]] = {}
    #: the field :meth:`state_of` reads by default
    state_field: str = "status"
    #: for a record that ends (a date or time set when it is ended, dissolved, revoked,
    #: voided), that field: its states are then ``"open"`` and ``"ended"``
    end_field: str | None = None

    # --- actions by state (decision 0017) -------------------------------------------------
    def state_of(self, obj: Any) -> str:
        """The record's state as ``actions_by_state`` names it: by default its
        ``state_field``; an admin whose states depend on dates (a past activity) overrides it."""
        if self.end_field is not None:
            return "ended" if getattr(obj, self.end_field) is not None else "open"
        return str(getattr(obj, self.state_field))

    def state_bound_actions(self) -> frozenset[str]:
        return frozenset(name for names in self.actions_by_state.values() for name in names)

    def action_allowed(self, name: str, obj: Any) -> bool:
        """Whether ``obj`` offers the one-object action ``name`` in its present state."""
        if name not in self.state_bound_actions():
            return True
        return name in self.actions_by_state.get(self.state_of(obj), ())

    def allowed_actions(self, obj: Any) -> list[str]:
        """The names of the one-object actions ``obj`` offers now, in the page's order."""
        names = [
            *self._extract_action_names(self.actions_detail),
            *self._extract_action_names(self.actions_submit_line),
        ]
        return [name for name in names if self.action_allowed(name, obj)]

    def _stated_object(self, request: HttpRequest, object_id: Any) -> Any:
        # The page asks for its actions more than once: read the record once per request.
        cache: dict[tuple[str, str], Any] = request.__dict__.setdefault("_stated_objects", {})
        key = (self.opts.label_lower, str(object_id))
        if key not in cache:
            cache[key] = self.get_object(request, str(object_id))
        return cache[key]

    def _short_name(self, action: UnfoldAction) -> str:
        name: str = action.action_name
        return name.removeprefix(f"{self.opts.app_label}_{self.opts.model_name}_")

    def _by_state(
        self, request: HttpRequest, object_id: Any, actions: list[UnfoldAction]
    ) -> list[UnfoldAction]:
        if not self.actions_by_state or object_id is None:
            return actions
        obj = self._stated_object(request, object_id)
        if obj is None:
            return actions
        return [a for a in actions if self.action_allowed(self._short_name(a), obj)]

    def get_actions_detail(self, request: HttpRequest, object_id: Any) -> list[UnfoldAction]:
        actions = super().get_actions_detail(request, object_id)
        return self._by_state(request, object_id, actions)

    def get_actions_submit_line(self, request: HttpRequest, object_id: Any) -> list[UnfoldAction]:
        actions = super().get_actions_submit_line(request, object_id)
        return self._by_state(request, object_id, actions)

    def get_unfold_action(self, action: str) -> UnfoldAction:
        """A detail action bound to states refuses, on its own page, a record whose state does
        not offer it (an old link, a second tab): the page returns to the record with why."""
        unfold_action: UnfoldAction = super().get_unfold_action(action)
        if action not in self.state_bound_actions() or action not in self._extract_action_names(
            self.actions_detail
        ):
            return unfold_action
        method = unfold_action.method

        @functools.wraps(method)
        def guarded(request: HttpRequest, object_id: str, *args: Any, **kwargs: Any) -> Any:
            obj = self._stated_object(request, object_id)
            if obj is not None and not self.action_allowed(action, obj):
                messages.error(
                    request,
                    str(_("“%(record)s”当前的状态不能“%(action)s”。"))
                    % {"record": obj, "action": unfold_action.description},
                )
                info = (self.opts.app_label, self.opts.model_name)
                return HttpResponseRedirect(
                    reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk])
                )
            return method(request, object_id, *args, **kwargs)

        return dataclasses.replace(unfold_action, method=guarded)

    # --- figures in lists -----------------------------------------------------------------
    #: the sums shown under the list, of what is filtered (scoped, every page, not only the
    #: one shown): amount field names, or ``(label, aggregate)`` pairs
    list_totals: tuple[str | tuple[Any, Any], ...] = ()
    list_after_template = "core/list_totals.html"

    def get_list_display(self, request: HttpRequest) -> Any:
        """Amount fields (two decimal places) are shown as an office writes them."""
        names = super().get_list_display(request)
        return [
            self._money_column(n) if isinstance(n, str) and _is_money_field(self.model, n) else n
            for n in names
        ]

    def _money_column(self, name: str) -> Callable[[Any], str]:
        columns: dict[str, Callable[[Any], str]] = self.__dict__.setdefault("_money_columns", {})
        if name not in columns:
            field = self.model._meta.get_field(name)

            def shown(obj: Any) -> str:
                return numbers.yuan(getattr(obj, name))

            shown.short_description = field.verbose_name  # type: ignore[attr-defined]
            shown.admin_order_field = name  # type: ignore[attr-defined]
            shown.__name__ = name
            columns[name] = shown
        return columns[name]

    def list_totals_of(self, queryset: models.QuerySet[Any]) -> list[tuple[str, str]]:
        """``list_totals`` summed over ``queryset``: (label, the sum as an office writes it)."""
        aggregates: dict[str, Any] = {}
        labels: dict[str, str] = {}
        for i, spec in enumerate(self.list_totals):
            key = f"total_{i}"
            if isinstance(spec, str):
                labels[key] = str(self.model._meta.get_field(spec).verbose_name)
                aggregates[key] = Sum(spec)
            else:
                labels[key], aggregates[key] = str(spec[0]), spec[1]
        sums = queryset.order_by().aggregate(**aggregates)
        return [(labels[key], numbers.yuan(sums[key] or 0)) for key in aggregates]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response: HttpResponse = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if self.list_totals and context and "cl" in context:
            context["list_totals"] = self.list_totals_of(context["cl"].queryset)
            context["list_totals_count"] = numbers.count(context["cl"].result_count)
        return response

    # --- scope -----------------------------------------------------------------------
    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return scope_queryset(request.user, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.remote_field.model
        if getattr(related, "scope_lookup", None) and "queryset" not in kwargs:
            kwargs["queryset"] = scope_queryset(
                request.user, related._default_manager.all(), mode="write"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # --- permissions by role ------------------------------------------------------------
    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_back_office(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not is_back_office(request.user):
            return False
        return obj is None or user_scope(request.user).covers(path_of(obj))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return can_write_anything(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not can_write_anything(request.user):
            return False
        return obj is None or user_scope(request.user).covers(path_of(obj), mode="write")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Records are ended, dissolved or reversed, never deleted: history must stay whole.
        return False

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if issubclass(form, ServiceForm):
            preset = getattr(request, "_service_errors", [])
            form = type(form.__name__, (form,), {"actor": request.user, "preset_errors": preset})
        return form

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            response: HttpResponse = super().changeform_view(
                request, object_id, form_url, extra_context
            )
            return response
        using = router.db_for_write(self.model)
        try:
            with transaction.atomic(using=using):
                first: HttpResponse = self._changeform_view(
                    request, object_id, form_url, extra_context
                )
                return first
        except ServiceRefused as refused:
            # Everything the page wrote is rolled back; show it again with the refusal.
            request._service_errors = refused.errors  # type: ignore[attr-defined]
            with transaction.atomic(using=using):
                again: HttpResponse = self._changeform_view(
                    request, object_id, form_url, extra_context
                )
                return again

    # --- audit of plain edits -------------------------------------------------------------
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if isinstance(form, ServiceForm):
            form.run()  # the service saves and audits it; a refusal re-renders the page
            return
        if not self.plain_edit:
            raise PermissionDenied
        before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        changes = audit.diff(before, obj)
        if changes or not change:
            audit.record(
                actor=request.user,
                obj=obj,
                action=f"{obj._meta.model_name}.{'update' if change else 'create'}",
                message=str(_("修改") if change else _("新建")),
                changes=changes,
            )

    def log_addition(self, *args: Any, **kwargs: Any) -> None:  # audit.record replaces LogEntry
        return None

    def log_change(self, *args: Any, **kwargs: Any) -> None:
        return None

    def log_deletion(self, *args: Any, **kwargs: Any) -> None:
        return None

    def log_deletions(self, *args: Any, **kwargs: Any) -> None:
        return None

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)
        if obj is None:
            return cast(
                HttpResponse,
                self._get_obj_does_not_exist_redirect(request, self.opts, object_id),
            )
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("“%s”的变更历史") % obj,
            "subtitle": None,
            "entries": audit.history_for(obj)[:500],
            "module_name": str(self.opts.verbose_name_plural),
            "object": obj,
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "core/audit_history.html", context)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if isinstance(form, ServiceForm):
            for formset in formsets:
                self.save_formset(request, form, formset, change=change)
            return
        super().save_related(request, form, formsets, change)

    # --- pages that run one service on one object (transfer, dissolve, ...) ------------
    def service_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        *,
        form_class: type[forms.Form],
        title: Any,
        run: Callable[[Any, dict[str, Any]], Any],
        success: Any,
        form_kwargs: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """Show ``form_class`` for one object and, when valid, call ``run(obj, data)``.

        A :class:`DomainError` becomes a form error (on its field if the form has it);
        success returns to the object's page with ``success`` as the message.
        """
        obj = self.get_object(request, object_id)
        if obj is None:
            return cast(
                HttpResponse,
                self._get_obj_does_not_exist_redirect(request, self.opts, object_id),
            )
        if not ScopedModelAdmin.has_change_permission(self, request, obj):
            raise PermissionDenied
        kwargs = {"actor": request.user, "obj": obj, **(form_kwargs or {})}
        form = form_class(request.POST or None, **kwargs)
        if request.method == "POST" and form.is_valid():
            try:
                run(obj, form.cleaned_data)
            except DomainError as err:
                form.add_error(err.field if err.field in form.fields else None, str(err.message))
            else:
                messages.success(request, str(success))
                info = (self.opts.app_label, self.opts.model_name)
                return HttpResponseRedirect(
                    reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": str(obj),
            "form": form,
            "object": obj,
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "original": obj,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "core/service_form.html", context)

    # --- export -----------------------------------------------------------------------
    def export_columns(self) -> list[Column]:
        names = self.export_fields or tuple(
            n for n in self.list_display if isinstance(n, str) and n != "__str__"
        )
        return [(_label(self, self.model, n), _display_getter(self, n)) for n in names]

    @admin.action(description=_("导出所选为 Excel"))
    def export_xlsx(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> HttpResponse:
        # ``queryset`` comes from get_queryset (scoped) filtered by the user's selection.
        content = xlsx_bytes(
            str(self.opts.verbose_name_plural), self.export_columns(), queryset.iterator(2000)
        )
        return xlsx_response(str(self.opts.verbose_name_plural), content)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("查看事由"),
        max_length=200,
        help_text=_("将与您的账号一起记入个人信息查看记录。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_plain_widgets(self)


def action_with_reason(
    model_admin: ScopedModelAdmin,
    request: HttpRequest,
    queryset: models.QuerySet[Any],
    *,
    title: Any,
    explanation: Any,
    run: Callable[[str], HttpResponse],
) -> HttpResponse:
    """For a list action that reveals personal data: first a page asking the reason (with the
    selection carried over, as Django's own delete confirmation does), then ``run(reason)``.
    A refusal (``DomainError``) is shown on that page; nothing is revealed."""
    form = ReasonForm(request.POST if "reason" in request.POST else None)
    if form.is_bound and form.is_valid():
        try:
            return run(form.cleaned_data["reason"])
        except DomainError as err:
            form.add_error("reason" if err.field == "reason" else None, str(err.message))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "explanation": explanation,
        "form": form,
        "opts": model_admin.opts,
        "action": request.POST.get("action", ""),
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across", "0"),
        "count": queryset.count(),
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "core/action_reason.html", context)


class ActionForm(forms.Form):
    """A form for one service call on one object (see ``service_form_view``)."""

    def __init__(self, data: Any = None, *, actor: Actor, obj: Any, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.actor = actor
        self.obj = obj
        style_plain_widgets(self)


class ReadOnlyInline(TabularInline):  # type: ignore[misc]  # untyped third-party base
    """A read-only list of related records on a scoped object's page.

    The parent page is already scoped; the inline shows what belongs to that object, to any
    back-office role (Django's per-model permissions are not used here: roles are).
    """

    extra = 0
    can_delete = False
    show_change_link = False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_back_office(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
