"""Sign-in accounts and the roles that give them a scope in the union tree."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: a cadre, an evaluator, a leader or a worker."""

    person = models.OneToOneField(
        "membership.Person",
        verbose_name=_("对应人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
        help_text=_("职工账号对应的人员档案"),
    )

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def __str__(self) -> str:
        full = f"{self.last_name}{self.first_name}".strip()  # Chinese order: family name first
        return f"{full}（{self.username}）" if full else self.username


class RoleGrant(models.Model):
    """A role a user holds over one union's subtree."""

    class Role(models.TextChoices):
        FEDERATION_ADMIN = "federation_admin", _("总工会管理员")
        UNION_CADRE = "union_cadre", _("工会干部")
        EVALUATOR = "evaluator", _("测评/审计人员")
        LEADER = "leader", _("领导")
        WORKER = "worker", _("职工")

    BACK_OFFICE_ROLES = frozenset(
        {Role.FEDERATION_ADMIN, Role.UNION_CADRE, Role.EVALUATOR, Role.LEADER}
    )
    WRITE_ROLES = frozenset({Role.FEDERATION_ADMIN, Role.UNION_CADRE})

    user = models.ForeignKey(
        User, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="grants"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("工会组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
    )
    can_reveal_pii = models.BooleanField(
        _("可查看完整身份证号"),
        default=False,
        help_text=_("总工会管理员总是可以；其他角色需单独授权，每次查看都会记录。"),
    )

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "union"],
                name="grant_unique",
                violation_error_message=_("该账号已有此角色授权。"),
            ),
            models.CheckConstraint(
                condition=Q(role="worker") | Q(union__isnull=False),
                name="grant_back_office_role_has_union",
                violation_error_message=_("后台角色必须指定工会组织。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.union or ''}"


class ApiToken(models.Model):
    """A bearer token for the JSON API (a mobile or WeChat client, an integration).

    Only a keyed hash of the token is stored; the token itself is shown once, when made.
    """

    user = models.ForeignKey(
        User, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("用途"), max_length=100)
    key_hash = models.CharField(_("令牌散列"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("令牌前缀"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.user} · {self.name} · {self.prefix}…"


class ClaimAttempt(models.Model):
    """One request for a portal verification code (the claim form), matched or not.

    Every request is kept alike, so the form does the same work and gives the same answer
    whether or not the ID number and mobile belong to someone on record. Only keyed hashes of
    the ID number, the mobile and the client address are stored, never the numbers: they count
    attempts for the hourly limits. When the pair matched, ``person`` is set and the code sent
    by SMS is checked against ``code_hash``; otherwise no code was sent and none will do.
    """

    person = models.ForeignKey(
        "membership.Person",
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    ric_hash = models.CharField(_("身份证号散列"), max_length=64)
    mobile_hash = models.CharField(_("手机号码散列"), max_length=64)
    address_hash = models.CharField(_("访问地址散列"), max_length=64)
    code_hash = models.CharField(_("验证码散列"), max_length=64)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"))
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("认领验证")
        verbose_name_plural = _("认领验证")
        indexes = [
            models.Index(fields=["ric_hash", "created_at"], name="claim_by_ric"),
            models.Index(fields=["mobile_hash", "created_at"], name="claim_by_mobile"),
            models.Index(fields=["address_hash", "created_at"], name="claim_by_address"),
            models.Index(fields=["created_at"], name="claim_by_time"),
        ]

    def __str__(self) -> str:
        return f"{self.pk} · {self.created_at:%Y-%m-%d %H:%M}"
