"""Settings that name places on disk name places that exist; the interface language is Chinese throughout."""

from pathlib import Path

from django.conf import settings
from django.utils import translation


def test_every_locale_path_exists():
    for path in settings.LOCALE_PATHS:
        assert Path(path).is_dir(), f"LOCALE_PATHS names {path}, which does not exist"


def test_djangos_own_messages_are_in_chinese():
    with translation.override(settings.LANGUAGE_CODE):
        assert translation.gettext("This field is required.") == "这个字段是必填项。"
