"""URLs of the booking part (linli.places.urls concatenates the parts)."""

from django.urls import path  # noqa: F401

urlpatterns = []
