"""Issue 13 finding 2 on the wishes' public outputs: any registry name of the community (not only the wisher's)
and a phone in Chinese numerals are masked on the public page and in the public API list."""

import pytest
from django.urls import reverse

from linli.wishes.models import Wish

pytestmark = pytest.mark.django_db


def test_a_neighbours_registry_name_and_a_chinese_numeral_phone_never_reach_the_public_outputs(ww, client):
    wish = ww.wishes["e1"]
    # 王五 lives in 东一社区 but has nothing to do with this wish
    Wish.objects.filter(pk=wish.pk).update(
        title="想要一个书包", description="王五会帮忙送过去，电话壹叁陆零零零零贰贰贰贰，邮箱 wangwu@example.com"
    )
    page = client.get(reverse("wishes:wish_public", args=["e1"])).content.decode()
    api = client.get("/api/wishes/public/e1").content.decode()
    for body in (page, api):
        assert "书包" in body
        for leak in ("王五", "壹叁陆", "贰贰贰贰", "wangwu", "example.com"):
            assert leak not in body, leak
