from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fast_hashing_and_private_media(settings: Any, tmp_path: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "private")
