"""Linli (邻里): community governance and service platform."""

from linli.celery import app as celery_app

__all__ = ["celery_app"]
