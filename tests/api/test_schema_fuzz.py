"""Property-based fuzzing of the whole JSON API against its own OpenAPI schema (schemathesis).

The schema is read in-process from the WSGI application, and each operation is called with
generated requests: no answer may be a server error, and every answer must match the status
codes, content types and bodies the schema declares. The caller is a real token of a cadre of
甲街道 who is also a worker with a person record, so both the worker's and the door's
endpoints run past authentication; path ids are drawn partly from rows that exist, so the
requests reach the services rather than stopping at "not found".

The WSGI calls run in the test's thread and so in its transaction, which is rolled back at the
end of each operation's test (far faster than flushing every table). As Django's own test client
does, the handler is kept from closing that connection at the start and end of each request.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import hypothesis.strategies as st
import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import status_code_conformance

from gonghui.accounts.models import RoleGrant
from gonghui.accounts.services import api_token_create, user_create
from gonghui.activities import services
from gonghui.wsgi import application
from tests.activities.conftest import make_activity, person

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
# bounded and reproducible: the same requests on every run, so CI does not flicker
schema.config.generation.update(max_examples=25, database="none", deterministic=True)
# A domain refusal of a well-formed request (registration closed, already registered, not
# eligible) is a 400 with a stable code: the schema declares it, so it is an expected answer
# to "positive" data too.
schema.config.checks.positive_data_acceptance.expected_statuses = [
    *schema.config.checks.positive_data_acceptance.expected_statuses,
    "400",
]

#: Operations of other routers that do not yet declare every status they answer with (401 for a
#: missing token, 404 out of scope, 422 for ill-typed query parameters). Their answers are still
#: checked for server errors and against the bodies they do declare; remove an entry once its
#: router declares those responses (see gonghui.api.activities for the pattern).
UNDECLARED_STATUSES: set[str] = set()

#: Operations of other routers with a known server error the fuzzing finds (reported, not
#: fixed here): ``?limit=`` or ``?offset=`` beyond PostgreSQL's bigint reaches the query
#: unbounded and fails with DataError (500). Strict: the test fails once it is fixed.
KNOWN_SERVER_ERRORS: dict[str, str] = {}

#: ids of rows that exist in the current test's database, by path parameter name
EXISTING: dict[str, list[int]] = {}


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
    """Half of the time, replace a generated id by one that exists (if it is an integer:
    ill-typed ids are there to be refused, and stay)."""
    choices = {
        name: st.sampled_from(EXISTING[name])
        for name, value in (path_parameters or {}).items()
        if EXISTING.get(name) and isinstance(value, int) and not isinstance(value, bool)
    }
    if not choices:
        return st.just(path_parameters)
    existing = st.fixed_dictionaries(choices).map(lambda ids: {**path_parameters, **ids})
    return st.one_of(st.just(path_parameters), existing)


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def token(district: Any) -> Any:
    today = timezone.localdate()
    me = person(district.admin, district.EA, female=True)
    user = user_create(
        actor=district.root,
        username="cadre_worker",
        password=None,
        role=RoleGrant.Role.UNION_CADRE,
        union=district.A,
        person=me,
    )
    others = [person(district.admin, district.EA) for _ in range(3)]
    later = make_activity(district.admin, district.A, capacity=2)
    camp = make_activity(
        district.admin,
        district.A,
        title="“小候鸟”暑期夏令营",
        starts_on=today + dt.timedelta(days=20),
        child_min_age=6,
        child_max_age=12,
    )
    lottery = make_activity(district.admin, district.F, allocation="lottery", capacity=1)
    tomorrow = make_activity(
        district.admin, district.A, starts_on=today + dt.timedelta(days=1), capacity=10
    )
    for p in (me, *others):
        services.registration_create(actor=district.admin, activity=tomorrow, person=p)
    services.registration_create(actor=district.admin, activity=later, person=others[0])
    elsewhere = make_activity(district.admin, district.B)  # out of the cadre's scope
    # the door opens today: move the day forward once people have registered
    services.activity_update(
        actor=district.admin, activity=tomorrow, starts_on=today, ends_on=today
    )

    regs = list(me.registrations.values_list("pk", flat=True)) + [
        r.pk for p in others for r in p.registrations.all()
    ]
    activities = [later.pk, camp.pk, lottery.pk, tomorrow.pk, elsewhere.pk]
    EXISTING.update(activity_id=activities, registration_id=regs, union_id=[district.A.pk])
    yield api_token_create(actor=district.root, user=user, name="fuzz")
    EXISTING.clear()


@pytest.fixture
def _keep_connection() -> Any:
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("_keep_connection")
@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: Any, token: str, request: Any) -> None:
    if case.operation.label in KNOWN_SERVER_ERRORS:
        reason = KNOWN_SERVER_ERRORS[case.operation.label]
        request.node.add_marker(pytest.mark.xfail(reason=reason, strict=True))
    waived = [status_code_conformance] if case.operation.label in UNDECLARED_STATUSES else []
    # A case made invalid in its headers (the required Authorization left out or mangled) is
    # sent as generated: adding the token would turn it back into a valid request, and the
    # server would rightly accept it.
    negative_headers = case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER)
    headers = {} if negative_headers else {"Authorization": f"Bearer {token}"}
    case.call_and_validate(headers=headers, excluded_checks=waived)
