"""Schemathesis over the JSON API's own OpenAPI schema, in-process (WSGI), as a logged-in token holder.

Every operation of /api/openapi.json gets a few generated requests (valid ones and, for bodies and parameters,
invalid ones) on the small two-street test world. It fails on any 5xx, a status code the schema does not
document for that operation, a response body that does not match its documented schema, a valid request
refused (422) or an invalid one accepted (2xx). Bounded and derandomized: the same requests every run.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from linli.accounts.choices import TokenScope
from linli.accounts.models import ApiToken
from linli.api import REFUSAL_HEADER

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 4
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture
def _keep_test_connection():
    """The real WSGI handler closes "old" connections at each request's start and end, and a connection inside
    the test's transaction looks old (autocommit off): on PostgreSQL every request after the first would find it
    closed. Django's test client disconnects the same two handlers; so does this run."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_world(world, _keep_test_connection):
    from linli.lovebank.testing import add_lovebank

    return add_lovebank(world)


def run_operation(operation, headers, mode):
    failures = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call(headers=headers)
        # A schema-valid request may be refused by a rule the schema cannot state (a household outside the
        # scope, "reporter or address"): 422 with Linli-Refusal: rule. Refused by the schema's own validation
        # (Linli-Refusal: schema), schema and validation disagree.
        if mode == GenerationMode.POSITIVE and response.status_code == 422:
            refusal = {k.lower(): v for k, v in response.headers.items()}.get(REFUSAL_HEADER.lower())
            assert refusal in ("rule", ["rule"]), (
                f"schema-valid request refused by validation: {case.method} {case.formatted_path} "
                f"query={case.query} body={getattr(case, 'body', None)!r} -> {response.text[:300]}"
            )
        case.validate_response(response, checks=CHECKS, headers=headers)

    try:
        run()
    except Unsatisfiable:
        pass  # nothing to make invalid (an operation without parameters or body, in negative mode)
    except AssertionError as exc:
        failures.append(f"{operation.label} [{mode.value}]: {exc}"[:1200])
    except BaseExceptionGroup as exc:  # hypothesis re-raises the first failing example's FailureGroup
        failures.append(f"{operation.label} [{mode.value}]: {exc.exceptions[0]!r}\n{exc}"[:1200])
    return failures


@pytest.mark.parametrize("persona", ["street_admin", "secretary"])
def test_every_api_operation_answers_what_the_schema_says(api_world, persona):
    _token, key = ApiToken.issue(api_world.users[persona], "schemathesis", scope=TokenScope.WRITE, personal_data=True)
    headers = {"Authorization": f"Bearer {key}"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures += run_operation(operation, headers, mode)
    assert failures == [], "\n\n".join(failures)


def test_every_operation_documents_the_errors_it_can_give():
    from linli.api import BODY_ONLY, ERROR_RESPONSES, api

    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            wanted = {s for s in ERROR_RESPONSES if s not in BODY_ONLY or "requestBody" in operation}
            assert wanted <= set(operation["responses"]), f"{method.upper()} {path}"
            assert any(200 <= int(s) < 300 for s in operation["responses"]), f"{method.upper()} {path}"
