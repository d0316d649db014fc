"""The project's settings with the bench's Argon2id 19 MiB / t=2 / p=1 hasher in place of
the configured Argon2 one (``DJANGO_SETTINGS_MODULE`` of the second sign-in measurement;
``bench/`` is on ``PYTHONPATH`` there). Everything else is ``gonghui.settings``."""

from gonghui.settings import *  # noqa: F403
from gonghui.settings import PASSWORD_HASHERS as CONFIGURED

# Replaced, not put in front: Django picks the hasher of a stored hash by its algorithm name,
# and the last hasher of a name wins, so two "argon2" hashers must not both be listed.
PASSWORD_HASHERS = [
    "_hashers.Argon2id19MiBPasswordHasher",
    *(h for h in CONFIGURED if not h.rsplit(".", 1)[-1].startswith("Argon2")),
]
