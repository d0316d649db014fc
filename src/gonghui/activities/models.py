"""Activities, their registrations (places, waitlist, attendance) and service-day consultations."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    SERVICE_DAY = "service_day", _("工会流动服务日")
    SUMMER_CAMP = "summer_camp", _("“小候鸟”暑期夏令营")
    HEALTH_CHECK = "health_check", _("免费体检")
    CANCER_SCREENING = "cancer_screening", _("“两癌”筛查")
    FRIENDSHIP = "friendship", _("交友联谊")
    WOMEN_LECTURE = "women_lecture", _("女职工素质讲堂")
    SPORTS_MEET = "sports_meet", _("职工运动会")
    CULTURAL = "cultural", _("文化活动")
    JOB_FAIR = "job_fair", _("招聘会")
    HR_FAIR = "hr_fair", _("人力资源交流会")
    OTHER = "other", _("其他活动")


class Series(models.TextChoices):
    NONE = "", _("（无）")
    MAYDAY = "mayday", _("“五一”系列庆祝活动")


class Allocation(models.TextChoices):
    FIRST_COME = "first_come", _("先到先得")
    LOTTERY = "lottery", _("报名截止后抽签")


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    CLOSED = "closed", _("已截止报名")
    CANCELLED = "cancelled", _("已取消")


class Activity(models.Model):
    """Anything held on given days with participants, organised by one union.

    ``capacity`` is the number of places (empty: no registration, e.g. a service day counted
    by its consultations). ``taken`` and ``waiting`` count the registrations holding a place
    and those on the waitlist; they change only while the activity row is locked, and the
    database refuses ``taken > capacity``.
    """

    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("主办工会"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    kind = models.CharField(_("活动类别"), max_length=24, choices=ActivityKind.choices)
    series = models.CharField(
        _("系列"), max_length=16, choices=Series.choices, blank=True, default=Series.NONE
    )
    title = models.CharField(_("活动名称"), max_length=120)
    description = models.TextField(_("活动内容"), blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    starts_on = models.DateField(_("开始日期"))
    start_time = models.TimeField(
        _("开始时间"), null=True, blank=True, help_text=_("几点开始，例如 09:00；可不填")
    )
    ends_on = models.DateField(_("结束日期"))
    capacity = models.PositiveIntegerField(
        _("名额"), null=True, blank=True, help_text=_("不填表示不需报名（如流动服务日）")
    )
    allocation = models.CharField(
        _("名额分配方式"), max_length=16, choices=Allocation.choices, default=Allocation.FIRST_COME
    )
    opens_at = models.DateTimeField(_("报名开始时间"), null=True, blank=True)
    closes_at = models.DateTimeField(_("报名截止时间"), null=True, blank=True)
    members_only = models.BooleanField(_("仅限会员"), default=False)
    migrants_only = models.BooleanField(_("仅限外来务工人员"), default=False)
    women_only = models.BooleanField(_("仅限女职工"), default=False)
    hardship_only = models.BooleanField(_("仅限建档困难职工家庭"), default=False)
    hardship_priority = models.BooleanField(
        _("困难职工家庭优先"), default=False, help_text=_("抽签时建档困难职工家庭优先获得名额")
    )
    child_min_age = models.PositiveSmallIntegerField(
        _("子女最小年龄"), null=True, blank=True, help_text=_("填写后由家长为子女报名")
    )
    child_max_age = models.PositiveSmallIntegerField(_("子女最大年龄"), null=True, blank=True)
    jobs_offered = models.PositiveIntegerField(
        _("提供就业岗位数"), null=True, blank=True, help_text=_("招聘会、人力资源交流会填写")
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT
    )
    cancelled_reason = models.CharField(_("取消原因"), max_length=300, blank=True)
    taken = models.PositiveIntegerField(_("已占名额"), default=0, editable=False)
    waiting = models.PositiveIntegerField(_("候补人数"), default=0, editable=False)
    lottery_seed = models.BigIntegerField(_("抽签种子"), null=True, blank=True, editable=False)
    lottery_drawn_at = models.DateTimeField(_("抽签时间"), null=True, blank=True, editable=False)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("复制自"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["status", "starts_on"], name="activity_status_start"),
            models.Index(fields=["kind", "starts_on"], name="activity_kind_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="activity_ends_after_start",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(taken__lte=F("capacity")),
                name="activity_no_overbooking",
                violation_error_message=_("名额已满。"),
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="activity_window_ordered",
                violation_error_message=_("报名截止时间须晚于报名开始时间。"),
            ),
            models.CheckConstraint(
                condition=Q(child_min_age__isnull=True)
                | Q(child_max_age__isnull=True)
                | Q(child_max_age__gte=F("child_min_age")),
                name="activity_child_ages_ordered",
                violation_error_message=_("子女最大年龄不能小于最小年龄。"),
            ),
            models.CheckConstraint(
                condition=~Q(allocation="lottery") | Q(capacity__isnull=False),
                name="activity_lottery_needs_capacity",
                violation_error_message=_("抽签分配须设定名额。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancelled_reason=""),
                name="activity_cancel_has_reason",
                violation_error_message=_("取消活动须填写原因。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%Y-%m-%d} {self.title}"

    @property
    def takes_registrations(self) -> bool:
        return self.capacity is not None

    @property
    def for_children(self) -> bool:
        return self.child_min_age is not None or self.child_max_age is not None

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.taken, 0)


class RegistrationStatus(models.TextChoices):
    APPLIED = "applied", _("待抽签")
    REGISTERED = "registered", _("已报名")
    WAITLISTED = "waitlisted", _("候补")
    ATTENDED = "attended", _("已签到")
    NO_SHOW = "no_show", _("未到场")
    CANCELLED = "cancelled", _("已取消")


#: statuses of a registration that is still in the game (one per person and child)
ACTIVE_STATUSES = ("applied", "registered", "waitlisted", "attended", "no_show")
#: statuses that hold one of the activity's places
PLACE_STATUSES = ("registered", "attended", "no_show")
#: the order in which the waitlist gets free places: an explicit queue place first (``rank``:
#: the draw's, or one a cadre gave), then the hardship priority, then the time of registering
WAITING_ORDER = (F("rank").asc(nulls_last=True), "-priority", "pk")


class Registration(models.Model):
    """A person's place in an activity: applied (lottery), registered, waitlisted, attended,
    no-show or cancelled. For a children's activity the parent registers each child."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="registrations"
    )
    person = models.ForeignKey(
        "membership.Person",
        verbose_name=_("报名人"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    child_name = models.CharField(_("子女姓名"), max_length=50, blank=True)
    child_birth_date = models.DateField(_("子女出生日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=RegistrationStatus.choices)
    priority = models.BooleanField(_("优先"), default=False)
    rank = models.PositiveIntegerField(_("候补/抽签顺序"), null=True, blank=True)
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    attended_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("签到经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope_lookup = "activity__union__path"

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["activity", "-priority", "rank", "id"]
        indexes = [
            models.Index(fields=["activity", "status"], name="registration_activity_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person", "child_name"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="registration_once_per_person",
                violation_error_message=_("已报名该活动，不能重复报名。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="attended") | Q(attended_at__isnull=False),
                name="registration_attended_has_time",
                violation_error_message=_("签到须有签到时间。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="registration_cancelled_has_time",
                violation_error_message=_("取消须有取消时间。"),
            ),
            models.CheckConstraint(
                condition=Q(child_name="") | Q(child_birth_date__isnull=False),
                name="registration_child_has_birth_date",
                violation_error_message=_("请填写子女出生日期。"),
            ),
        ]

    def __str__(self) -> str:
        who = f"{self.person}（{self.child_name}）" if self.child_name else str(self.person)
        return f"{who} — {self.activity.title}"

    @property
    def holds_place(self) -> bool:
        return self.status in PLACE_STATUSES


class ConsultationTopic(models.TextChoices):
    WAGES = "wages", _("工资报酬")
    CONTRACT = "contract", _("劳动合同")
    SOCIAL_INSURANCE = "social_insurance", _("社会保险")
    INJURY = "injury", _("工伤")
    LEGAL = "legal", _("法律咨询")
    EMPLOYMENT = "employment", _("就业创业")
    MEMBERSHIP = "membership", _("入会与会员服务")
    ASSISTANCE = "assistance", _("帮扶救助")
    OTHER = "other", _("其他")


class Consultation(models.Model):
    """Consultations received at a service day, counted by topic (one row per topic)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="consultations"
    )
    topic = models.CharField(_("咨询类别"), max_length=24, choices=ConsultationTopic.choices)
    count = models.PositiveIntegerField(_("咨询人次"))

    scope_lookup = "activity__union__path"

    class Meta:
        verbose_name = _("咨询登记")
        verbose_name_plural = _("咨询登记")
        ordering = ["activity", "topic"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "topic"],
                name="consultation_one_row_per_topic",
                violation_error_message=_("该活动已登记此类咨询，请修改原记录。"),
            ),
            models.CheckConstraint(
                condition=Q(count__gt=0),
                name="consultation_count_positive",
                violation_error_message=_("咨询人次须大于 0。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity.title} {self.get_topic_display()} {self.count}"
