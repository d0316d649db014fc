from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.utils import timezone

from gonghui.activities import services
from gonghui.activities.models import Activity, ActivityKind
from tests import factories as f

_born = itertools.count()


def person(actor: Any, union: Any, **kw: Any) -> Any:
    """A person with an ID number unique across many calls (birth dates vary)."""
    n = next(_born)
    born = dt.date(1970, 1, 1) + dt.timedelta(days=n % 9000)
    female = kw.pop("female", False)
    return f.make_person(actor, union, ric=f.make_ric(born=born, female=female), **kw)


def make_activity(actor: Any, union: Any, *, publish: bool = True, **kw: Any) -> Activity:
    fields = {
        "kind": ActivityKind.HEALTH_CHECK,
        "title": "职工免费体检",
        "starts_on": timezone.localdate() + dt.timedelta(days=10),
        "capacity": 3,
        **kw,
    }
    activity = services.activity_create(actor=actor, union=union, **fields)
    if publish:
        activity = services.activity_publish(actor=actor, activity=activity)
    return activity


@pytest.fixture
def fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
