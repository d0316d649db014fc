"""System checks: refuse to run production with keys that cannot protect personal data."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.conf import settings
from django.core import checks

DEV_PII_KEY = "ZGV2LW9ubHktcGlpLWtleS0wMTIzNDU2Nzg5YWJjZGU="
DEV_PII_HASH_KEY = "dev-only-pii-hash-key"


@checks.register(checks.Tags.security, deploy=True)
def pii_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    try:
        if len(base64.urlsafe_b64decode(settings.PII_KEY.encode())) != 32:
            raise ValueError
    except (binascii.Error, ValueError):
        errors.append(
            checks.Error(
                "GONGHUI_PII_KEY is not a Fernet key (urlsafe base64 of 32 bytes).",
                hint='Generate one: python -c "from cryptography.fernet import Fernet;'
                'print(Fernet.generate_key().decode())"',
                id="gonghui.E001",
            )
        )
    if getattr(settings, "PRODUCTION", False):
        if settings.PII_KEY == DEV_PII_KEY or settings.PII_HASH_KEY == DEV_PII_HASH_KEY:
            errors.append(
                checks.Error(
                    "The development PII keys are in use in production.",
                    hint="Set GONGHUI_PII_KEY and GONGHUI_PII_HASH_KEY (docs/deploy.md).",
                    id="gonghui.E002",
                )
            )
        if len(settings.PII_HASH_KEY) < 32:
            errors.append(
                checks.Error(
                    "GONGHUI_PII_HASH_KEY is shorter than 32 characters.",
                    id="gonghui.E003",
                )
            )
    return errors
