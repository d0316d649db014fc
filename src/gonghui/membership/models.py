"""People and their membership history."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from gonghui.core.identifiers import mask_mobile


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class SkillGrade(models.TextChoices):
    JUNIOR = "junior", _("初级工")
    INTERMEDIATE = "intermediate", _("中级工")
    SENIOR = "senior", _("高级工")
    TECHNICIAN = "technician", _("技师")
    SENIOR_TECHNICIAN = "senior_technician", _("高级技师")


class Person(models.Model):
    """A worker known to the platform, member or not.

    The ID number is stored encrypted (``ric_encrypted``), with a keyed hash (``ric_hash``)
    for uniqueness and look-up and its masked form for display. ``union`` is the union that
    keeps the record: where the person is a member, or where they were registered.
    """

    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("管理工会"),
        on_delete=models.PROTECT,
        related_name="persons",
    )
    name = models.CharField(_("姓名"), max_length=50)
    ric_encrypted = models.TextField(_("身份证号（密文）"), editable=False)
    ric_hash = models.CharField(_("身份证号散列"), max_length=64, unique=True, editable=False)
    ric_masked = models.CharField(_("身份证号"), max_length=18, editable=False)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, editable=False)
    birth_date = models.DateField(_("出生日期"), editable=False)
    mobile = models.CharField(_("手机号码"), max_length=16, blank=True)
    employer = models.ForeignKey(
        "organisation.Enterprise",
        verbose_name=_("工作单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employees",
    )
    hukou = models.CharField(_("户籍所在地"), max_length=100, blank=True)
    migrant = models.BooleanField(_("外来务工人员"), default=False)
    skill_grade = models.CharField(
        _("技术等级"), max_length=32, choices=SkillGrade.choices, blank=True
    )
    workplace = models.CharField(
        _("工作单位（填报）"),
        max_length=200,
        blank=True,
        help_text=_("花名册中填写的工作单位名称；能对应到登记企业时另记入“工作单位”"),
    )
    job_title = models.CharField(_("职务"), max_length=50, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    education = models.CharField(_("文化程度"), max_length=20, blank=True)
    political_status = models.CharField(_("政治面貌"), max_length=20, blank=True)
    import_batch = models.ForeignKey(
        "core.ImportBatch",
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="created_persons",
        editable=False,
        # Bookkeeping for undo, written 100,000 rows at a time: the database's per-row
        # foreign-key check would cost more than the whole COPY (docs/decisions/0007).
        db_constraint=False,
    )
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)

    scope_lookup = "union__path"
    #: the roster's descriptive fields, as free text
    DETAILS = ("workplace", "job_title", "ethnicity", "education", "political_status")

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.mobile) if self.mobile else ""


class StartReason(models.TextChoices):
    JOINED = "joined", _("入会")
    TRANSFERRED_IN = "transferred_in", _("转入")


class EndReason(models.TextChoices):
    TRANSFERRED_OUT = "transferred_out", _("转出")
    LEFT = "left", _("退会")
    DECEASED = "deceased", _("去世")


class RetainedReason(models.TextChoices):
    RETIRED = "retired", _("退休")
    UNEMPLOYED = "unemployed", _("失业")


class Membership(models.Model):
    """One stretch of a person's membership in one union: [started_on, ended_on).

    A transfer ends one stretch and starts the next on the same day, linked by ``previous``;
    it is not a new member. A person has at most one open stretch.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="memberships"
    )
    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("所在工会"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    started_on = models.DateField(_("起始日期"))
    start_reason = models.CharField(_("起始原因"), max_length=32, choices=StartReason.choices)
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    end_reason = models.CharField(
        _("终止原因"), max_length=32, choices=EndReason.choices, blank=True
    )
    previous = models.OneToOneField(
        "self",
        verbose_name=_("转出前会籍"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next",
    )
    retained_reason = models.CharField(
        _("保留会籍原因"), max_length=32, choices=RetainedReason.choices, blank=True
    )
    retained_on = models.DateField(_("保留会籍日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    import_batch = models.ForeignKey(
        "core.ImportBatch",
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="created_memberships",
        editable=False,
        db_constraint=False,  # as Person.import_batch
    )

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("会籍")
        verbose_name_plural = _("会籍")
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["union", "started_on"]),
            models.Index(fields=["start_reason", "started_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True),
                name="membership_one_open_per_person",
                violation_error_message=_("该人员已有在会的会籍，请办理转会而不是重复入会。"),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="membership_ends_after_start",
                violation_error_message=_("会籍终止日期不能早于起始日期。"),
            ),
            models.CheckConstraint(
                condition=(Q(ended_on__isnull=True) & Q(end_reason=""))
                | (Q(ended_on__isnull=False) & ~Q(end_reason="")),
                name="membership_end_reason_iff_ended",
                violation_error_message=_("会籍终止时必须注明终止原因。"),
            ),
            models.CheckConstraint(
                condition=(Q(retained_reason="") & Q(retained_on__isnull=True))
                | (~Q(retained_reason="") & Q(retained_on__isnull=False)),
                name="membership_retained_reason_and_date",
                violation_error_message=_("保留会籍须同时填写原因和日期。"),
            ),
            models.CheckConstraint(
                condition=Q(start_reason=StartReason.JOINED, previous__isnull=True)
                | Q(start_reason=StartReason.TRANSFERRED_IN, previous__isnull=False),
                name="membership_transfer_has_previous",
                violation_error_message=_("转入的会籍必须关联转出前的会籍。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.union}"

    def is_open(self) -> bool:
        return self.ended_on is None

    def covers(self, day: dt.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on > day)


class ImportChange(models.Model):
    """What a roster import changed on an existing person, so the import can be undone."""

    batch = models.ForeignKey(
        "core.ImportBatch",
        verbose_name=_("导入批次"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="+"
    )
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("会籍"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    before = models.JSONField(_("导入前"), default=dict)
    after = models.JSONField(_("导入后"), default=dict)

    class Meta:
        verbose_name = _("导入变更")
        verbose_name_plural = _("导入变更")

    def __str__(self) -> str:
        return f"{self.batch_id}: {self.person_id}"


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")
    WITHDRAWN = "withdrawn", _("已撤回")


class MembershipApplication(models.Model):
    """A worker's application to join a union (入会申请), decided by that union's cadre."""

    person = models.ForeignKey(
        Person, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="applications"
    )
    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("申请加入的工会"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    submitted_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    statement = models.CharField(_("申请说明"), max_length=500, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.CharField(_("审核意见"), max_length=300, blank=True)
    membership = models.OneToOneField(
        Membership,
        verbose_name=_("会籍"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
    )

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("入会申请")
        verbose_name_plural = _("入会申请")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="pending"),
                name="application_one_pending_per_person",
                violation_error_message=_("您已有一份待审核的入会申请。"),
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="application_decision_has_time",
                violation_error_message=_("审核结果须有审核时间。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.union}"
