"""Settings of the test suite: the platform's own, plus a sample domain that exists only here.

``tests.sampledomain`` is a domain package written the way docs/architecture.md ("How to add
a domain") says: it registers a figure, a back-office page, navigation, a workbench card and
to-dos, and an importer, and touches nothing in ``core`` or any other app. The tests in
``tests/sampledomain`` drive it end to end, so the registries are proven by a domain that
the platform's code has never heard of.
"""

from gonghui.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.sampledomain"]  # noqa: F405
