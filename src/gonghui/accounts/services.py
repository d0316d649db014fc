"""Accounts and role grants."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit
from gonghui.core.errors import DomainError
from gonghui.core.scope import forget_scope

from .models import RoleGrant, User


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
    import secrets
    from datetime import timedelta

    from django.utils import timezone

    from gonghui.core.pii import lookup_hash

    from .models import ApiToken

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
    from django.utils import timezone

    from gonghui.core.pii import lookup_hash

    from .models import ApiToken

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
MAX_CODES_PER_HOUR = 3


def portal_claim_start(*, ric: str, mobile: str) -> Any:
    """Send a verification code when the ID number and mobile match a person on record who has
    no portal account yet. Returns the verification, or None when nothing matches: callers
    say the same either way, so the form reveals nothing about who is on record."""
    import secrets
    from datetime import timedelta

    from django.utils import timezone

    from gonghui.core import sms
    from gonghui.core.identifiers import IdentifierError, normalize_mobile, normalize_ric
    from gonghui.core.pii import lookup_hash
    from gonghui.membership.models import Person

    from .models import PhoneVerification

    try:
        ric = normalize_ric(ric)
    except IdentifierError as err:
        raise DomainError("invalid_ric", err.message, field="ric") from err
    try:
        mobile = normalize_mobile(mobile)
    except IdentifierError as err:
        raise DomainError("invalid_mobile", err.message, field="mobile") from err
    person = Person.objects.filter(ric_hash=lookup_hash(ric)).first()
    if person is None or person.mobile != mobile or User.objects.filter(person=person).exists():
        return None
    now = timezone.now()
    recent = PhoneVerification.objects.filter(
        person=person, created_at__gt=now - timedelta(hours=1)
    )
    if recent.count() >= MAX_CODES_PER_HOUR:
        raise DomainError("too_many_codes", _("验证码发送过于频繁，请一小时后再试。"))
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        verification = PhoneVerification.objects.create(
            person=person,
            mobile=mobile,
            code_hash=lookup_hash(f"{mobile}:{code}"),
            expires_at=now + timedelta(minutes=CODE_MINUTES),
        )
        text = _("【工会】您的验证码是 %(code)s，%(m)d 分钟内有效。") % {
            "code": code,
            "m": CODE_MINUTES,
        }
        transaction.on_commit(lambda: sms.send(mobile, str(text)))
    return verification


def portal_claim_finish(*, verification_id: int, code: str, password: str) -> User:
    """Check the code and make the worker's portal account (user name: the mobile number).

    Five wrong codes end the verification; a used or expired code is refused."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from gonghui.core.pii import lookup_hash

    from .models import PhoneVerification

    refused = DomainError("bad_code", _("验证码不正确或已失效，请重新获取。"), field="code")
    with transaction.atomic():
        v = (
            PhoneVerification.objects.select_for_update()
            .select_related("person")
            .filter(pk=verification_id)
            .first()
        )
        if v is None or v.used_at or v.expires_at < timezone.now() or v.attempts >= MAX_ATTEMPTS:
            raise refused
        wrong = lookup_hash(f"{v.mobile}:{code.strip()}") != v.code_hash
        if wrong:
            v.attempts += 1
            v.save(update_fields=["attempts"])
    if wrong:
        raise refused
    try:
        validate_password(password, user=User(username=v.mobile, first_name=v.person.name))
    except ValidationError as err:
        raise DomainError("weak_password", "；".join(err.messages), field="password") from err
    with transaction.atomic():
        v = PhoneVerification.objects.select_for_update().get(pk=v.pk)
        if v.used_at or User.objects.filter(username=v.mobile).exists():
            raise refused
        user = user_create(
            actor=None,
            username=v.mobile,
            password=password,
            name=v.person.name,
            role=RoleGrant.Role.WORKER,
            person=v.person,
        )
        v.used_at = timezone.now()
        v.save(update_fields=["used_at"])
    return user
