"""URLs of the room part (linli.places.urls concatenates the parts)."""

from django.urls import path  # noqa: F401

urlpatterns = []
