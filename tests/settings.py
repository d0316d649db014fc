"""Settings of the test suite: the platform's own, plus a sample domain that exists only here.

``tests.sampledomain`` is a domain package written the way docs/architecture.md ("How to add
a domain") says: it registers a figure, a back-office page, navigation, a workbench card and
to-dos, and an importer, and touches nothing in ``core`` or any other app. The tests in
``tests/sampledomain`` drive it end to end, so the registries are proven by a domain that
the platform's code has never heard of.
"""

from gonghui.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.sampledomain"]  # noqa: F405

# A "replica" that mirrors the test database, for the replica router's tests
# (tests/core/test_replica.py): they switch it on with settings.REPLICA_DATABASE = "replica".
# Off by default, so every other test reads and writes the one test database as before.
if "replica" not in DATABASES:  # noqa: F405
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
REPLICA_DATABASE = None
