"""The spoken notice: made by espeak-ng on the first request, once per text, served with its type and by byte
range; without espeak-ng the page has no player."""

import shutil
import subprocess
import wave

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from linli.notices import audio, services
from linli.notices.testing_public import make_notice
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def audio_url(notice):
    return reverse("notice_links:public_notice_audio", args=[notice.code])


def page(client, notice):
    return client.get(reverse("notice_links:public_notice", args=[notice.code])).content.decode()


def stored(media):
    return sorted(p.name for p in (media / "notices" / "audio").glob("*") if not p.name.startswith("."))


@needs_espeak
def test_it_reads_the_notice_aloud_once_and_serves_it_to_a_player(world, client, media, monkeypatch):
    notice = make_notice(world.communities["e1"], title="明天停水", body="明天上午停水，请提前储水。")
    text = page(client, notice)
    assert f'src="{audio_url(notice)}"' in text and "<audio controls" in text
    assert stored(media) == []  # nothing is made until someone presses play

    response = client.get(audio_url(notice))
    assert response.status_code == 200
    assert response["Content-Type"] in ("audio/mpeg", "audio/wav")
    data = b"".join(response.streaming_content)
    assert len(data) > 2000 and (data[:3] == b"ID3" or data[:2] == b"\xff\xf3" or data[:4] == b"RIFF")
    [name] = stored(media)
    assert name.startswith(f"{notice.code}-") and name.endswith((".mp3", ".wav"))

    def no_more_synthesis(*args, **kwargs):
        raise AssertionError("the audio was made again")

    monkeypatch.setattr(subprocess, "run", no_more_synthesis)
    again = client.get(audio_url(notice))
    assert again.status_code == 200 and b"".join(again.streaming_content) == data
    part = client.get(audio_url(notice), HTTP_RANGE="bytes=0-99")
    assert part.status_code == 206 and len(part.content) == 100 and part.content == data[:100]
    assert part["Content-Range"] == f"bytes 0-99/{len(data)}" and part["Accept-Ranges"] == "bytes"
    tail = client.get(audio_url(notice), HTTP_RANGE="bytes=-10")
    assert tail.status_code == 206 and tail.content == data[-10:]
    assert client.get(audio_url(notice), HTTP_RANGE=f"bytes={len(data)}-").status_code == 416


@needs_espeak
def test_without_lame_it_stores_a_small_wav(world, client, media, monkeypatch):
    monkeypatch.setattr(audio, "LAME", "lame-is-not-installed-here")
    notice = make_notice(world.communities["e1"], body="请提前储水。")
    response = client.get(audio_url(notice))
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    [name] = stored(media)
    with wave.open(str(media / "notices" / "audio" / name)) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (audio.WAV_RATE, 1, 2)
        assert w.getnframes() > audio.WAV_RATE // 2  # at least half a second of speech


@needs_espeak
def test_a_changed_text_gets_a_new_file_and_the_old_one_goes(world, media):
    notice = make_notice(world.communities["e1"], body="第一版。")
    first = audio.ensure(notice)
    notice.body = "第二版，时间改到下午。"
    second = audio.ensure(notice)
    assert first.name != second.name
    assert not default_storage.exists(first.name) and default_storage.exists(second.name)
    assert stored(media) == [second.name.rsplit("/", 1)[1]]


@needs_espeak
def test_a_withdrawn_notice_loses_its_audio(world, client, media):
    notice = make_notice(world.communities["e1"])
    assert client.get(audio_url(notice)).status_code == 200
    services.withdraw_notice(notice, actor=SYSTEM, reason="错发")
    assert client.get(audio_url(notice)).status_code == 404
    page(client, notice)
    assert stored(media) == []


def test_without_espeak_the_page_has_no_player_and_the_audio_is_a_404(world, client, media, monkeypatch):
    monkeypatch.setattr(audio, "ESPEAK", "espeak-ng-is-not-installed-here")
    notice = make_notice(world.communities["e1"])
    text = page(client, notice)
    assert "<audio" not in text and "明天" in text
    assert client.get(audio_url(notice)).status_code == 404
    assert not (media / "notices" / "audio").exists() or stored(media) == []


def test_a_failing_synthesis_is_a_404_not_a_500(world, client, media, monkeypatch):
    monkeypatch.setattr(audio, "ESPEAK", "true")  # found on PATH, writes no file: lame/wave then fail
    monkeypatch.setattr(audio, "LAME", "lame-is-not-installed-here")
    notice = make_notice(world.communities["e1"])
    assert client.get(audio_url(notice)).status_code == 404


def test_private_drafts_and_withdrawn_notices_have_no_audio(world, client, media):
    e1 = world.communities["e1"]
    private = make_notice(e1, is_public=False)
    draft = make_notice(e1, send=False)
    for notice in (private, draft):
        assert client.get(audio_url(notice)).status_code == 404
        assert "<audio" not in page(client, notice)


def test_the_spoken_text_is_the_anonymised_public_text(world):
    notice = make_notice(world.communities["e1"], title="停水通知", body="有事找张三，电话13812345678。")
    text = audio.spoken_text(notice)
    assert text.startswith("东一社区通知。停水通知。")
    assert "张三" not in text and "13812345678" not in text
    assert "电话（号码略）" in text  # not "star star star"
