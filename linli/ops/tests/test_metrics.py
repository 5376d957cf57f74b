"""/metrics: counters and histograms move with requests and tasks, labels stay bounded, access is restricted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from celery import shared_task
from django.test import Client
from prometheus_client import REGISTRY, CollectorRegistry, multiprocess

from linli.ops import metrics
from linli.ops.tests.test_health import REDIS_DB, UNREACHABLE_REDIS, _redis_or_skip

PROJECT = Path(__file__).resolve().parents[3]


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@shared_task(name="linli.ops.tests.explode")
def explode():
    raise ValueError("这个任务总是失败")


@shared_task(name="linli.ops.tests.succeed")
def succeed():
    return 1


def test_a_request_moves_the_counter_and_the_histogram():
    labels = {"route": "ops:healthz", "method": "GET"}
    before = sample("linli_http_requests_total", status="2xx", **labels)
    bucket_before = sample("linli_http_request_duration_seconds_bucket", le="+Inf", **labels)
    count_before = sample("linli_http_request_duration_seconds_count", **labels)
    Client().get("/healthz")
    Client().get("/healthz")
    assert sample("linli_http_requests_total", status="2xx", **labels) == before + 2
    assert sample("linli_http_request_duration_seconds_bucket", le="+Inf", **labels) == bucket_before + 2
    assert sample("linli_http_request_duration_seconds_count", **labels) == count_before + 2


def test_the_latency_histogram_has_the_bench_targets_as_buckets():
    Client().get("/healthz")
    buckets = {
        s.labels["le"]
        for m in REGISTRY.collect()
        if m.name == "linli_http_request_duration_seconds"
        for s in m.samples
        if s.name.endswith("_bucket") and s.labels["route"] == "ops:healthz"
    }
    assert {"0.1", "0.3", "+Inf"} <= buckets
    assert len(buckets) == len(metrics.LATENCY_BUCKETS) + 1


@pytest.mark.django_db
def test_unknown_paths_and_methods_share_one_label_each():
    before = sample("linli_http_requests_total", route="unmatched", method="GET", status="4xx")
    client = Client()
    client.get("/no/such/page/13812345678")
    client.get("/no/such/page/2")
    assert sample("linli_http_requests_total", route="unmatched", method="GET", status="4xx") == before + 2
    client.generic("BREW", "/healthz")
    assert sample("linli_http_requests_total", route="ops:healthz", method="other", status="2xx") >= 1
    routes = {s.labels.get("route") for m in REGISTRY.collect() for s in m.samples if "route" in s.labels}
    assert not any("/" in route for route in routes)


@pytest.mark.django_db
def test_a_page_is_labelled_by_its_url_name_not_its_path():
    before = sample("linli_http_requests_total", route="accounts:login", method="GET", status="2xx")
    Client().get("/accounts/login/?next=/residents/")
    assert sample("linli_http_requests_total", route="accounts:login", method="GET", status="2xx") == before + 1


def test_celery_task_runs_and_failures_are_counted():
    failures = sample("linli_celery_tasks_total", task="linli.ops.tests.explode", outcome="failure")
    successes = sample("linli_celery_tasks_total", task="linli.ops.tests.succeed", outcome="success")
    # As a worker runs them (throw=False): an eager run that re-raises to its caller stops before the signal.
    assert explode.apply(throw=False).failed()
    succeed.delay()
    assert sample("linli_celery_tasks_total", task="linli.ops.tests.explode", outcome="failure") == failures + 1
    assert sample("linli_celery_tasks_total", task="linli.ops.tests.succeed", outcome="success") == successes + 1
    assert sample("linli_celery_task_duration_seconds_count", task="linli.ops.tests.succeed") >= 1


@pytest.mark.django_db
def test_only_allowed_addresses_may_scrape(settings):
    settings.LINLI_METRICS_ALLOWED = ["127.0.0.1", "10.1.0.0/16"]
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 200
    response = Client(REMOTE_ADDR="10.2.0.1").get("/metrics")
    assert response.status_code == 404
    assert b"linli_http_requests" not in response.content


@pytest.mark.django_db
def test_a_proxy_that_is_not_trusted_does_not_lend_its_address(settings):
    settings.LINLI_METRICS_ALLOWED = ["127.0.0.1"]
    settings.LINLI_TRUSTED_PROXIES = []
    # nginx on the same machine forwards a stranger's request: REMOTE_ADDR is 127.0.0.1
    stranger = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert stranger.get("/metrics").status_code == 404
    settings.LINLI_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.LINLI_METRICS_ALLOWED = ["10.9.0.0/16"]
    assert stranger.get("/metrics").status_code == 404
    monitor = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.0.5")
    assert monitor.get("/metrics").status_code == 200


@pytest.mark.django_db
def test_a_bearer_token_opens_it_from_anywhere(settings):
    settings.LINLI_METRICS_ALLOWED = []
    settings.LINLI_METRICS_TOKEN = "s3cret-scrape-token-0123456789"
    client = Client(REMOTE_ADDR="198.51.100.7")
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token-0123456789")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert b"linli_http_requests_total" in response.content


def test_no_token_configured_means_no_token_opens_it(settings):
    settings.LINLI_METRICS_ALLOWED = []
    settings.LINLI_METRICS_TOKEN = ""
    assert Client(REMOTE_ADDR="10.0.0.1").get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_the_queue_length_is_read_from_redis_when_scraped(settings):
    client = _redis_or_skip()
    settings.REDIS_URL = REDIS_DB
    client.delete("celery")
    client.rpush("celery", "a", "b", "c")
    try:
        text = Client().get("/metrics").content.decode()
    finally:
        client.delete("celery")
    assert 'linli_celery_queue_length{queue="celery"} 3.0' in text
    assert "linli_redis_up 1.0" in text


def test_redis_down_is_reported_not_a_zero_queue(settings):
    settings.REDIS_URL = UNREACHABLE_REDIS
    text = Client().get("/metrics").content.decode()
    assert "linli_redis_up 0.0" in text
    assert "linli_celery_queue_length{" not in text


def test_without_redis_there_is_no_queue_figure(settings):
    settings.REDIS_URL = ""
    text = Client().get("/metrics").content.decode()
    assert "linli_redis_up" not in text and "linli_celery_queue_length{" not in text


CHILD = """
import django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "linli.settings"
django.setup()
from django.test import Client
for _ in range({n}):
    Client().get("/healthz")
"""


def _child(env: dict, n: int) -> None:
    environment = {k: v for k, v in os.environ.items() if k not in ("PROMETHEUS_MULTIPROC_DIR", "LINLI_METRICS_DIR")}
    environment.update(env, PYTHONPATH=str(PROJECT))
    subprocess.run([sys.executable, "-c", CHILD.format(n=n)], env=environment, check=True, timeout=120, cwd=PROJECT)


def test_several_processes_add_up_in_multiprocess_mode(tmp_path):
    folder = metrics.prepare_dir(tmp_path / "metrics")
    _child({"PROMETHEUS_MULTIPROC_DIR": str(folder)}, 2)
    _child({"LINLI_METRICS_DIR": str(folder)}, 3)  # Linli's own name for the same thing
    assert len(list(folder.glob("*.db"))) >= 2  # one file set per process
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(folder))
    labels = {"route": "ops:healthz", "method": "GET", "status": "2xx"}
    assert registry.get_sample_value("linli_http_requests_total", labels) == 5
    metrics.prepare_dir(folder)
    assert list(folder.iterdir()) == []  # a new run starts from nothing
