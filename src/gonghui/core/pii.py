"""Personal information at rest: encryption, keyed hashes for look-up, and masking.

ID numbers are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under ``settings.PII_KEY``
and, beside the ciphertext, kept as an HMAC-SHA256 under ``settings.PII_HASH_KEY`` so that
uniqueness and search by ID number work without decrypting anything.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


def encrypt(plain: str) -> str:
    return _fernet(settings.PII_KEY).encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet(settings.PII_KEY).decrypt(token.encode()).decode()


def lookup_hash(canonical: str) -> str:
    """Keyed hash of a canonical identifier (e.g. an 18-character ID number)."""
    return hmac.new(settings.PII_HASH_KEY.encode(), canonical.encode(), hashlib.sha256).hexdigest()
