"""A password hasher for the sign-in benchmark only: Argon2id with the parameters OWASP
recommends for a server (19 MiB, 2 passes, 1 lane), against Django's default Argon2 (100 MiB,
2 passes, 8 lanes). Same algorithm name and hash format as Django's, so a hash made by one
verifies with the other; only the cost of making and checking it differs."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2id19MiBPasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
