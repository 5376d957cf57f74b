"""Probes and metrics for load balancers and monitoring (no login; see docs/operations.md)."""

from django.urls import path

from linli.ops import health, metrics

app_name = "ops"

urlpatterns = [
    path("healthz", health.liveness, name="healthz"),
    path("readyz", health.readiness, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
]
