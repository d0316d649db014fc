"""Personal information at rest: encryption, keyed hashes for look-up, and masking.

ID numbers are encrypted with AES-256-GCM under ``settings.PII_KEY`` (32 random bytes, written
as a Fernet key: urlsafe base64) and, beside the ciphertext, kept as an HMAC-SHA256 under
``settings.PII_HASH_KEY`` so that uniqueness and search by ID number work without decrypting.
Ciphertexts are ``g1:`` + base64(nonce ‖ ciphertext ‖ tag); tokens written earlier with Fernet
(no prefix) still decrypt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_PREFIX = "g1:"


@lru_cache(maxsize=4)
def _aead(key: str) -> AESGCM:
    return AESGCM(base64.urlsafe_b64decode(key.encode()))


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


def encrypt(plain: str) -> str:
    nonce = os.urandom(12)
    sealed = _aead(settings.PII_KEY).encrypt(nonce, plain.encode(), None)
    return _PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt(token: str) -> str:
    if token.startswith(_PREFIX):
        raw = base64.urlsafe_b64decode(token[len(_PREFIX) :].encode())
        return _aead(settings.PII_KEY).decrypt(raw[:12], raw[12:], None).decode()
    return _fernet(settings.PII_KEY).decrypt(token.encode()).decode()


def lookup_hash(canonical: str) -> str:
    """Keyed hash of a canonical identifier (e.g. an 18-character ID number)."""
    return hmac.new(settings.PII_HASH_KEY.encode(), canonical.encode(), hashlib.sha256).hexdigest()
