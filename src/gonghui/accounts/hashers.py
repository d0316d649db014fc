"""Password hashing: argon2id at OWASP's minimum instead of Django's heavier default.

Django's ``Argon2PasswordHasher`` uses 100 MiB and 8 lanes, which cost about 160 ms of CPU per
sign-in on the production machines (2 cores shared by the whole site). OWASP's Password Storage
Cheat Sheet gives argon2id with 19 MiB, 2 passes and 1 lane as its minimum configuration;
that is used here. The algorithm name stays ``argon2``: hashes made with Django's parameters
still verify, and since their parameters differ from these, ``must_update`` is true for them
and Django rehashes them with these at the user's next successful sign-in.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """argon2id, 19 MiB (19456 KiB), time cost 2, parallelism 1."""

    memory_cost = 19456
    time_cost = 2
    parallelism = 1
