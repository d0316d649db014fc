"""Accounts and role grants."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit, sms
from gonghui.core.errors import DomainError
from gonghui.core.locks import advisory_xact_lock
from gonghui.core.pii import lookup_hash
from gonghui.core.scope import forget_scope

from .models import ApiToken, ClaimAttempt, RoleGrant, User


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str | None,
    name: str = "",
    role: str | None = None,
    union: Any = None,
    can_reveal_pii: bool = False,
    person: Any = None,
) -> User:
    """Create an account, optionally with one role over one union's subtree.

    Back-office roles get ``is_staff`` so Django's own checks agree with the grant.
    """
    # Chinese names are not split into given and family names: the whole name is kept.
    user = User(username=username, first_name=name, person=person)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.is_staff = role in RoleGrant.BACK_OFFICE_ROLES
    user.full_clean(exclude=["password"])
    user.save()
    if role:
        grant_role(actor=actor, user=user, role=role, union=union, can_reveal_pii=can_reveal_pii)
    return user


@transaction.atomic
def grant_role(
    *, actor: Any, user: User, role: str, union: Any, can_reveal_pii: bool = False
) -> RoleGrant:
    grant = RoleGrant(user=user, role=role, union=union, can_reveal_pii=can_reveal_pii)
    grant.full_clean()
    grant.save()
    forget_scope(user)
    audit.record(
        actor=actor,
        obj=grant,
        action="grant.create",
        message=_("授予“%(role)s”角色") % {"role": grant.get_role_display()},
    )
    return grant


TOKEN_DAYS = 90


@transaction.atomic
def api_token_create(*, actor: Any, user: User, name: str, days: int = TOKEN_DAYS) -> str:
    """Make a bearer token for ``user`` and return it (the only time it is seen)."""
    token = secrets.token_urlsafe(32)
    made = ApiToken.objects.create(
        user=user,
        name=name[:100],
        key_hash=lookup_hash(token),
        prefix=token[:8],
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit.record(
        actor=actor, obj=made, action="api_token.create", message=_("创建接口令牌“%s”") % name
    )
    return token


def api_token_user(token: str) -> User | None:
    """The active user a live token belongs to (and note its use), else None."""
    now = timezone.now()
    found = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=lookup_hash(token), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if found is None or not found.user.is_active:
        return None
    ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user


CODE_MINUTES = 10
MAX_ATTEMPTS = 5
MAX_CODES_PER_HOUR = 3  # per ID number and per mobile number; per address: settings
KEEP_ATTEMPTS = timedelta(days=1)


def portal_claim_start(*, ric: str, mobile: str, address: str) -> ClaimAttempt:
    """Record a request for a verification code and, when the ID number and mobile match a
    person on record who has no portal account yet, send the code by SMS after commit.

    The answer, the work and the limits are the same whether or not the pair matches, so the
    form reveals nothing about who is on record: every request looks the pair up once and
    stores one attempt (keyed hashes of the ID number, the mobile and the client ``address``,
    never the numbers), and is refused once its ID number or its mobile had
    ``MAX_CODES_PER_HOUR`` attempts in the past hour, or its address
    ``settings.PORTAL_CLAIMS_PER_ADDRESS_HOUR``, matched or not. Refusals are not counted.
    Returns the attempt, whose id ``portal_claim_finish`` takes."""
    from gonghui.core.identifiers import IdentifierError, normalize_mobile, normalize_ric
    from gonghui.membership.models import Person

    try:
        ric = normalize_ric(ric)
    except IdentifierError as err:
        raise DomainError("invalid_ric", err.message, field="ric") from err
    try:
        mobile = normalize_mobile(mobile)
    except IdentifierError as err:
        raise DomainError("invalid_mobile", err.message, field="mobile") from err
    ric_hash, mobile_hash, address_hash = (lookup_hash(v) for v in (ric, mobile, address))
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        # Concurrent requests would all pass the count below: they take turns (claims are
        # rare and this transaction is short).
        advisory_xact_lock("accounts.portal_claim_start")
        ClaimAttempt.objects.filter(created_at__lt=now - KEEP_ATTEMPTS).delete()
        recent = ClaimAttempt.objects.filter(
            Q(ric_hash=ric_hash) | Q(mobile_hash=mobile_hash) | Q(address_hash=address_hash),
            created_at__gt=now - timedelta(hours=1),
        ).aggregate(
            ric=Count("pk", filter=Q(ric_hash=ric_hash)),
            mobile=Count("pk", filter=Q(mobile_hash=mobile_hash)),
            address=Count("pk", filter=Q(address_hash=address_hash)),
        )
        if (
            recent["ric"] >= MAX_CODES_PER_HOUR
            or recent["mobile"] >= MAX_CODES_PER_HOUR
            or recent["address"] >= settings.PORTAL_CLAIMS_PER_ADDRESS_HOUR
        ):
            raise DomainError("too_many_codes", _("验证码发送过于频繁，请一小时后再试。"))
        person_id = (
            Person.objects.filter(ric_hash=ric_hash, mobile=mobile, user__isnull=True)
            .values_list("pk", flat=True)
            .first()
        )
        attempt = ClaimAttempt.objects.create(
            person_id=person_id,
            ric_hash=ric_hash,
            mobile_hash=mobile_hash,
            address_hash=address_hash,
            code_hash=lookup_hash(f"{mobile}:{code}"),
            expires_at=now + timedelta(minutes=CODE_MINUTES),
        )
        if person_id is not None:
            text = _("【工会】您的验证码是 %(code)s，%(m)d 分钟内有效。") % {
                "code": code,
                "m": CODE_MINUTES,
            }
            transaction.on_commit(lambda: sms.send(mobile, str(text)))
    return attempt


def portal_claim_finish(*, attempt_id: int, code: str, password: str) -> User:
    """Check the code and make the worker's portal account (user name: the mobile number).

    Five wrong codes end the attempt; a used or expired code is refused, and so is any code
    for an attempt that matched no one (none was sent), or whose person's mobile on record
    changed since."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    refused = DomainError("bad_code", _("验证码不正确或已失效，请重新获取。"), field="code")
    with transaction.atomic():
        a = (
            ClaimAttempt.objects.select_for_update(of=("self",))
            .select_related("person")
            .filter(pk=attempt_id)
            .first()
        )
        if a is None or a.used_at or a.expires_at < timezone.now() or a.attempts >= MAX_ATTEMPTS:
            raise refused
        mobile = a.person.mobile if a.person else ""
        wrong = a.person is None or lookup_hash(f"{mobile}:{code.strip()}") != a.code_hash
        if wrong:
            a.attempts += 1
            a.save(update_fields=["attempts"])
    if wrong:
        raise refused
    person = a.person
    assert person is not None  # noqa: S101 - a right code was sent to someone
    try:
        validate_password(password, user=User(username=mobile, first_name=person.name))
    except ValidationError as err:
        raise DomainError("weak_password", "；".join(err.messages), field="password") from err
    with transaction.atomic():
        a = ClaimAttempt.objects.select_for_update().get(pk=a.pk)
        if a.used_at or User.objects.filter(username=mobile).exists():
            raise refused
        user = user_create(
            actor=None,
            username=mobile,
            password=password,
            name=person.name,
            role=RoleGrant.Role.WORKER,
            person=person,
        )
        a.used_at = timezone.now()
        a.save(update_fields=["used_at"])
    return user
