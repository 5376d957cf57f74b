"""The grid page names its grid worker(s) with phone; the resident page shows the worker to call."""

import pytest
from django.urls import reverse

from linli.testing import make_user

pytestmark = pytest.mark.django_db


def workers_block(body: str) -> str:
    start = body.index('id="grid-workers"')
    return body[start : body.index("</", start)]


def with_phone(world):
    worker = world.users["grid_worker_1"]
    worker.full_name, worker.phone = "刘网格", "13911112222"
    worker.save()
    return worker


def test_the_grid_page_names_its_workers_with_phone(world, login):
    with_phone(world)
    second = make_user("second_worker", "grid_worker", world.grids["g1"])
    second.is_active = False
    second.save()  # a deactivated account is nobody to call
    body = login(world.users["secretary"]).get(reverse("areas:grid_detail", args=[world.grids["g1"].pk])).content
    block = workers_block(body.decode())
    assert "刘网格" in block and 'href="tel:13911112222"' in block
    assert "second_worker" not in block and "grid_worker_2" not in block
    body = login(world.users["secretary"]).get(reverse("areas:grid_detail", args=[world.grids["g2"].pk])).content
    assert "grid_worker_2" in workers_block(body.decode())


def test_the_resident_page_shows_the_grid_worker_to_call(world, login):
    with_phone(world)
    zhang = world.residents["zhang"]
    body = login(world.users["staff"]).get(reverse("residents:resident_detail", args=[zhang.pk])).content.decode()
    assert "刘网格" in workers_block(body) and "13911112222" in workers_block(body)
    # the resident sees who to call on their own record
    body = login(world.users["resident"]).get(reverse("residents:my_record")).content.decode()
    assert "刘网格" in workers_block(body)
