"""ResolvedUserMiddleware: views and templates get request.user as the user object itself, not behind the two lazy
proxies of AuthenticationMiddleware and django-otp (each attribute read through them cost ~2 µs; a queue page read
some 450)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils.functional import LazyObject

pytestmark = pytest.mark.django_db


def test_a_page_gets_the_user_object_with_django_otps_fields(world, client):
    worker = world.users["grid_worker_1"]
    client.force_login(worker)
    response = client.get("/residents/")
    user = response.wsgi_request.user
    assert response.status_code == 200
    assert not isinstance(user, LazyObject) and type(user) is type(worker) and user == worker
    assert user.is_verified() is False and user.otp_device is None  # django-otp's fields, on the object itself


def test_an_anonymous_request_gets_an_anonymous_user_and_still_the_login_page(client):
    response = client.get("/residents/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert type(response.wsgi_request.user) is AnonymousUser
