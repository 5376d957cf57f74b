"""Running Linli for real (issue 20): the supervised production processes (`linli serve`), health and readiness,
Prometheus metrics, JSON request logs, encrypted backup and restore, retention of change and audit records."""
