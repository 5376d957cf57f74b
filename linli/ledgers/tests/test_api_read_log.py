"""API list reads of personal data are logged like exports (issue 13, finding 6: `/api/residents` returned 4,200
residents with full phones and sensitive tags and no export record), and a token gets masked phones and no
sensitive tags unless it was made for them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.core.models import ExportRecord
from linli.testing import bearer

pytestmark = pytest.mark.django_db


def test_a_residents_list_read_writes_one_export_log_row_with_the_filter_and_the_count(world, client):
    secretary = world.users["secretary"]
    response = client.get(
        "/api/residents", {"grid": world.grids["g1"].pk, "limit": 2}, **bearer(secretary, personal_data=False)
    )
    assert response.status_code == 200
    assert len(response.json()["items"]) == 2 and response.json()["count"] == 3
    record = ExportRecord.objects.get()
    assert record.user == secretary and record.kind == "api_residents"
    assert record.kind_label == "接口读取居民"
    assert record.row_count == 2
    assert record.filters == {
        "grid": world.grids["g1"].pk,
        "status": "active",
        "offset": 0,
        "limit": 2,
        "total": 3,
    }
    assert "每页条数：2" in record.filters_text and "符合条件共：3" in record.filters_text

    # The next page is another row; the secretary's export log shows both.
    client.get(
        "/api/residents",
        {"grid": world.grids["g1"].pk, "limit": 2, "offset": 2},
        **bearer(secretary, personal_data=False),
    )
    assert list(ExportRecord.objects.order_by("pk").values_list("row_count", flat=True)) == [2, 1]
    client.force_login(secretary)
    log = client.get(reverse("ledgers:export_log"))
    assert log.content.decode().count("接口读取居民") >= 2


def test_a_session_read_of_the_list_is_logged_too_but_a_refused_one_is_not(world, login):
    client = login(world.users["grid_worker_1"])
    assert client.get("/api/residents", {"q": "张"}).status_code == 200
    assert ExportRecord.objects.get().filters["q"] == "张"
    assert client.get("/api/residents", {"grid": world.grids["g2"].pk}).status_code == 422  # another grid
    assert ExportRecord.objects.count() == 1


def test_a_token_gets_masked_phones_and_no_sensitive_tags_unless_made_for_them(world, client):
    secretary = world.users["secretary"]
    chen = world.residents["chen"]
    chen.tags.add(world.tag("dibao"))  # sensitive
    url = f"/api/residents?q={chen.name}"

    plain = client.get(url, **bearer(secretary, personal_data=False)).json()["items"][0]
    assert plain["phone"] == "137****0001"
    assert "dibao" not in {t["code"] for t in plain["tags"]}
    # Filtering by the sensitive tag would list exactly who has it: refused like an unknown tag.
    assert client.get("/api/residents", {"tag": "dibao"}, **bearer(secretary, personal_data=False)).status_code == 422

    full = client.get(url, **bearer(secretary)).json()["items"][0]
    assert full["phone"] == "13700000001"
    assert "dibao" in {t["code"] for t in full["tags"]}

    # The ticked box never gives more than the role: a resident's own token stays masked.
    own = client.get(url, **bearer(world.users["resident"])).json()["items"][0]
    assert own["phone"] == "137****0001"


@pytest.mark.parametrize(
    "url, persona, kind",
    [
        ("/api/appeals", "secretary", "api_appeals"),
        ("/api/wishes", "staff", "api_wishes"),
        ("/api/lovebank/accounts", "staff", "api_lovebank"),
        ("/api/volunteers/hours", "staff", "api_volunteer_hours"),
    ],
)
def test_every_other_api_list_of_people_is_logged(world, client, url, persona, kind):
    response = client.get(url, **bearer(world.users[persona], personal_data=False))
    assert response.status_code == 200, response.content
    record = ExportRecord.objects.get()
    assert record.kind == kind and record.user == world.users[persona]


@pytest.mark.parametrize("url", ["/api/areas/streets", "/api/areas/communities", "/api/volunteers/activities"])
def test_lists_without_personal_data_are_not_logged(world, client, url):
    assert client.get(url, **bearer(world.users["secretary"], personal_data=False)).status_code == 200
    assert not ExportRecord.objects.exists()
