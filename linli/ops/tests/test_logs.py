"""The JSON request log (one line per request, no query string, no extra query) and the redaction of ID and
mobile numbers from everything any logger writes."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.module_loading import import_string

from linli.ops.logs import ID_MASK, MOBILE_MASK, RedactFilter, install_redaction, new_request_id, redact

#: every digit run of the numbers the test views log (IDs and phones), none of which may reach the output
SECRETS = [
    "110105194912310021",
    "11010519491231002",
    "1101051949123100",
    "110105491231002",
    "19491231",
    "13812345678",
    "8765-4321",
    "87654321",
    "0000 2222",
    "13700000001",
    "110105194912310053",
    "13500003333",
    "13400004444",
]


def _json_formatter():
    options = dict(django_settings.LOGGING["formatters"]["json"])
    return import_string(options.pop("()"))(**options)


@pytest.fixture
def console():
    """The configured console handler (with its own filters), writing JSON lines into a buffer."""
    handler = logging._handlers["console"]  # noqa: SLF001 - the handler settings.LOGGING configured
    buffer = io.StringIO()
    # Swapped, not setStream(): that flushes the old stream, which an earlier test's output capture may have closed.
    old_stream, old_formatter = handler.stream, handler.formatter
    handler.stream = buffer
    handler.setFormatter(_json_formatter())
    request_logger = logging.getLogger("linli.request")
    old_level = request_logger.level
    request_logger.setLevel(logging.INFO)
    yield buffer
    request_logger.setLevel(old_level)
    handler.stream = old_stream
    handler.setFormatter(old_formatter)


def _lines(buffer, name=None):
    lines = [json.loads(line) for line in buffer.getvalue().splitlines() if line.startswith("{")]
    return [line for line in lines if name is None or line["name"] == name]


def test_a_request_logs_one_json_line_with_who_what_and_how_long(console, world, login):
    user = world.users["grid_worker_1"]
    client = login(user)
    response = client.get("/residents/")
    assert response.status_code == 200
    [line] = _lines(console, "linli.request")
    assert line["method"] == "GET"
    assert line["route"] == "residents:resident_list"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert line["user_id"] == user.pk
    assert line["request_id"] == response["X-Request-ID"] and re.fullmatch("[a-z2-7]{24}", line["request_id"])
    assert line["client_ip"] == "127.0.0.1"
    assert line["time"].startswith("20") and line["levelname"] == "INFO"
    assert user.username not in console.getvalue()


@pytest.mark.django_db
def test_an_anonymous_request_has_no_user_and_an_unknown_path_no_route(console):
    Client().get("/no/such/page/")
    [line] = _lines(console, "linli.request")
    assert line["user_id"] is None and line["route"] == "-" and line["status"] == 404


@pytest.mark.django_db
def test_the_proxys_request_id_is_kept_when_well_formed_and_replaced_when_not(console):
    response = Client().get("/accounts/login/", HTTP_X_REQUEST_ID="req-7f3a.91:b_2")
    assert response["X-Request-ID"] == "req-7f3a.91:b_2"
    response = Client().get("/accounts/login/", HTTP_X_REQUEST_ID='x" onload="alert(1)')
    assert re.fullmatch("[a-z2-7]{24}", response["X-Request-ID"])
    assert [line["request_id"] for line in _lines(console, "linli.request")] == [
        "req-7f3a.91:b_2",
        response["X-Request-ID"],
    ]


def test_the_query_string_is_never_logged(console, world, login):
    client = login(world.users["grid_worker_1"])
    client.get("/residents/", {"q": "张三", "phone": "13812345678"})
    client.get("/no/such/page/", {"q": "李四"})
    text = console.getvalue()
    assert len(_lines(console, "linli.request")) == 2
    for fragment in ("张三", "李四", "q=", "phone", "1381234"):
        assert fragment not in text


@pytest.mark.django_db
def test_id_and_phone_numbers_never_reach_a_log_line(console, settings):
    settings.ROOT_URLCONF = "linli.ops.tests.logging_urls"
    assert Client().get("/test-log/chatty/").status_code == 200
    text = console.getvalue()
    for secret in SECRETS:
        assert secret not in text
    lines = _lines(console, "linli.residents")
    assert len(lines) == 4
    assert lines[0]["message"] == f"居民身份证 {ID_MASK} 手机 {MOBILE_MASK}"
    assert lines[1]["message"] == f"居民 {ID_MASK} 电话 {MOBILE_MASK} 旧证 {ID_MASK}"
    assert (lines[2]["id_number"], lines[2]["phone"], lines[2]["n"]) == (ID_MASK, MOBILE_MASK, MOBILE_MASK)
    assert "ValueError: 核对失败" in lines[3]["exc_info"] and ID_MASK in lines[3]["exc_info"]


@pytest.mark.django_db
def test_a_crash_that_django_logs_has_its_numbers_removed(console, settings):
    settings.ROOT_URLCONF = "linli.ops.tests.logging_urls"
    response = Client(raise_request_exception=False).get("/test-log/crash/?phone=13812345678")
    assert response.status_code == 500
    [error] = _lines(console, "django.request")
    assert "RuntimeError: 居民 [手机号已隐去] 的记录坏了" in error["exc_info"]
    assert error["request"] == "GET /test-log/crash/"  # Django's extra field, without its query string
    text = console.getvalue()
    assert "13400004444" not in text and "13812345678" not in text


@pytest.mark.django_db
def test_successful_probes_are_not_logged_failing_ones_are(console, settings):
    Client().get("/healthz")
    settings.LINLI_HEALTH_MIN_FREE_MB = 10**12
    Client().get("/readyz")
    assert [(line["route"], line["status"]) for line in _lines(console, "linli.request")] == [("ops:readyz", 503)]


def test_the_request_log_adds_no_database_query(world, login):
    client = login(world.users["street_admin"])
    client.get("/residents/")  # warm caches
    request_logger = logging.getLogger("linli.request")
    counts = []
    for level in (logging.WARNING, logging.INFO):
        request_logger.setLevel(level)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/residents/").status_code == 200
        counts.append(len(queries))
    request_logger.setLevel(logging.NOTSET)
    assert counts[0] == counts[1]


def test_generated_request_ids_never_look_like_a_number_to_redact():
    ids = [new_request_id() for _ in range(20000)]
    assert len(set(ids)) == len(ids)
    assert all(redact(i) == i for i in ids)


def test_every_handler_redacts_even_those_configured_elsewhere():
    assert any(isinstance(f, RedactFilter) for f in logging._handlers["console"].filters)  # noqa: SLF001
    stray = logging.StreamHandler(io.StringIO())
    logging.getLogger("some.library").addHandler(stray)
    try:
        install_redaction()
        assert any(isinstance(f, RedactFilter) for f in stray.filters)
        logging.getLogger("some.library").error("call 13812345678")
        assert stray.stream.getvalue() == f"call {MOBILE_MASK}\n"
    finally:
        logging.getLogger("some.library").removeHandler(stray)


@pytest.mark.parametrize(
    "text",
    [
        "11010519491231002X",
        "11010519491231002x",
        "110105 19491231 002X",
        "110105-19491231-002X",
        "110105491231002",
        "13812345678",
        "+8613812345678",
        "+86 138 1234 5678",
        "0086-138-1234-5678",
        "138-1234-5678",
        "电话:19912345678。",
    ],
)
def test_the_numbers_are_recognised_in_their_usual_spellings(text):
    redacted = redact(text)
    assert redacted != text
    assert sum(ch.isdigit() for ch in redacted) == 0


@pytest.mark.parametrize(
    "text",
    ["耗时 1234.5ms", "1700000000000", "第 12 页，共 3400 条", "12812345678", "2026-03-01 10:00:00", "订单 9876543210"],
)
def test_ordinary_numbers_are_left_alone(text):
    assert redact(text) == text


WORKER = """
import logging, os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "linli.settings"
django.setup()
from linli.celery import app
app.log.setup(loglevel="INFO")  # what `celery worker` does before it runs tasks
logging.getLogger("linli.visits").warning("task for 13812345678, id 11010519491231002X")
logging.getLogger("celery.worker").info("celery's own line")
"""


def test_a_celery_worker_keeps_the_json_lines_and_the_redaction():
    import os
    import subprocess
    import sys
    from pathlib import Path

    project = Path(__file__).resolve().parents[3]
    env = {**os.environ, "PYTHONPATH": str(project), "LINLI_LOG_FORMAT": "json"}
    done = subprocess.run(
        [sys.executable, "-c", WORKER], env=env, cwd=project, capture_output=True, text=True, timeout=120, check=True
    )
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    assert {"name": "linli.visits", "message": f"task for {MOBILE_MASK}, id {ID_MASK}"}.items() <= lines[0].items()
    assert lines[1]["name"] == "celery.worker"  # --loglevel still applies to Celery's own loggers
    assert "13812345678" not in done.stderr + done.stdout
