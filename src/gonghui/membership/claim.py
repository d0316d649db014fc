"""Claiming one's record on the portal: a worker proves who they are (ID number, the mobile on
record, an SMS code) and gets a portal account linked to their person record.

It lives in membership because it looks people up; the account it makes is the accounts
app's (``accounts.services.user_create``).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.models import ClaimAttempt, RoleGrant, User
from gonghui.accounts.services import user_create
from gonghui.core import sms
from gonghui.core.errors import DomainError
from gonghui.core.locks import advisory_xact_lock, lock, lock_matching
from gonghui.core.pii import lookup_hash
from gonghui.core.scope import SYSTEM

from .models import Person

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
        advisory_xact_lock("membership.portal_claim_start")
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
        found = lock_matching(ClaimAttempt.objects.select_related("person").filter(pk=attempt_id))
        a = found[0] if found else None
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
        a = lock(a)
        if a.used_at or User.objects.filter(username=mobile).exists():
            raise refused
        user = user_create(
            actor=SYSTEM,
            username=mobile,
            password=password,
            name=person.name,
            role=RoleGrant.Role.WORKER,
            person=person,
        )
        a.used_at = timezone.now()
        a.save(update_fields=["used_at"])
    return user
