"""The spoken notice (收听): the public text of a notice read aloud by espeak-ng's Mandarin voice, for residents who
read poorly. Generated offline on this machine (no cloud speech service: intranets are offline and the text is the
community's), where the espeak-ng binary is installed; without it the public page simply has no player.

When: on the first request of the audio (someone presses play), not on send. The public page only links the file
(`preload="none"`), so it never waits for speech synthesis; notices nobody listens to cost nothing; sending needs no
task and no coupling to the sending code; and a text that changes (an edited registry name now anonymised) gets a
new file because the file name carries a hash of the spoken text. Generation takes about a second for a typical
notice and happens once per text: the file is then served from the media storage (the local disk or S3:
linli.core.storage) as notices/audio/<code>-<hash>.<ext>.

Format: MP3 (16 kHz mono, 24 kbit/s, about 3 KB per second of speech) when `lame` is installed: every phone browser
plays it; else a WAV resampled to 11,025 Hz 16-bit mono (about 22 KB per second, still half of espeak-ng's own).
Two first requests at once each make the file in a private temporary folder and store it; the second finds the name
taken and drops its copy (identical content).
"""

from __future__ import annotations

import hashlib
import logging
import os
import posixpath
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage

from linli.core import storage as media
from linli.core.anonymise import PHONE_MASK
from linli.notices.models import Notice
from linli.notices.public import public_notice

log = logging.getLogger(__name__)

#: The binaries, looked up on PATH (tests patch these names to take the "not installed" path).
ESPEAK = "espeak-ng"
LAME = "lame"
VOICE = "cmn"
#: Words per minute: slower than espeak-ng's 175 for elderly listeners.
SPEED = 140
#: The longest text read aloud; a longer notice is cut (the page has the whole text).
MAX_CHARS = 3000
TIMEOUT_SECONDS = 60
AUDIO_DIR = "notices/audio"
WAV_RATE = 11025

CONTENT_TYPES = {".mp3": "audio/mpeg", ".wav": "audio/wav"}


@dataclass(frozen=True)
class Audio:
    #: The name in the media storage: notices/audio/<code>-<hash>.<ext>
    name: str
    content_type: str

    @property
    def size(self) -> int:
        return default_storage.size(self.name)

    @property
    def suffix(self) -> str:
        return posixpath.splitext(self.name)[1]


def available() -> bool:
    """Speech can be made on this machine."""
    return shutil.which(ESPEAK) is not None


def spoken_text(notice: Notice) -> str:
    """What is read: the community, the title and the anonymised text, as on the public page."""
    shown = public_notice(notice)
    text = f"{shown.community_name}通知。{shown.title}。\n{shown.body}"
    # A masked phone is not read out as three asterisks.
    return text.replace(PHONE_MASK, "（号码略）")[:MAX_CHARS]


def _stem(notice: Notice, text: str) -> str:
    digest = hashlib.sha256(f"{VOICE}:{SPEED}:{text}".encode()).hexdigest()[:16]
    return f"{notice.code}-{digest}"


def find(notice: Notice, text: str | None = None) -> Audio | None:
    """The stored audio of the notice's current text, if it was made."""
    stem = _stem(notice, spoken_text(notice) if text is None else text)
    for ext, content_type in CONTENT_TYPES.items():
        name = f"{AUDIO_DIR}/{stem}{ext}"
        if default_storage.exists(name):
            return Audio(name, content_type)
    return None


def ensure(notice: Notice) -> Audio | None:
    """The notice's audio, made now if it does not exist yet; None when espeak-ng is missing or fails."""
    text = spoken_text(notice)
    found = find(notice, text)
    if found is not None or not available():
        return found
    try:
        return _generate(notice, text)
    except (OSError, subprocess.SubprocessError, wave.Error) as exc:
        log.warning("espeak-ng could not read notice %s aloud: %s", notice.pk, exc)
        return None


def _spool() -> str | None:
    """Where speech is made before it is stored: the upload spool (local to this machine), else the system's."""
    spool = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    return spool if spool and os.path.isdir(spool) else None


def _generate(notice: Notice, text: str) -> Audio:
    stem = _stem(notice, text)
    with tempfile.TemporaryDirectory(dir=_spool(), prefix="notice-audio-") as tmp:
        raw = Path(tmp) / "raw.wav"
        # The text goes in on stdin (never as an argument: a text starting with "-" is not an option), UTF-8 (-b 1).
        subprocess.run(
            [shutil.which(ESPEAK), "-v", VOICE, "-s", str(SPEED), "-b", "1", "-w", str(raw), "--stdin"],
            input=text.encode(),
            check=True,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
        )
        lame = shutil.which(LAME)
        if lame:
            out, ext = Path(tmp) / "out.mp3", ".mp3"
            subprocess.run(
                [lame, "--quiet", "-m", "m", "-b", "24", "--resample", "16", str(raw), str(out)],
                check=True,
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
            )
        else:
            out, ext = Path(tmp) / "out.wav", ".wav"
            _downsample(raw, out, WAV_RATE)
        target = f"{AUDIO_DIR}/{stem}{ext}"
        with out.open("rb") as handle:
            stored = default_storage.save(target, File(handle, name=out.name))
        if stored != target:  # another request stored the same speech meanwhile: keep one
            default_storage.delete(stored)
    _remove_older(notice, keep=target)
    return Audio(target, CONTENT_TYPES[ext])


def _downsample(source: Path, target: Path, rate: int) -> None:
    """A mono 16-bit WAV at `rate` (espeak-ng writes 22,050 Hz): averaged neighbours, then every n-th sample."""
    import numpy as np

    with wave.open(str(source), "rb") as src:
        channels, width, src_rate = src.getnchannels(), src.getsampwidth(), src.getframerate()
        frames = src.readframes(src.getnframes())
    if width != 2 or channels != 1 or src_rate <= rate:
        shutil.copyfile(source, target)
        return
    samples = np.frombuffer(frames, dtype="<i2").astype(np.float32)
    step = src_rate // rate
    usable = len(samples) - len(samples) % step
    averaged = samples[:usable].reshape(-1, step).mean(axis=1)  # a box filter: no aliasing hiss above the new band
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(src_rate // step)
        out.writeframes(np.clip(averaged, -32768, 32767).astype("<i2").tobytes())


def _files_of(notice: Notice) -> list[str]:
    return [
        name
        for name in media.names(f"{AUDIO_DIR}/{notice.code}-")
        if posixpath.splitext(name)[1] in CONTENT_TYPES and "/" not in name[len(AUDIO_DIR) + 1 :]
    ]


def _remove_older(notice: Notice, keep: str) -> None:
    """Files of the notice's earlier texts."""
    for name in _files_of(notice):
        if name != keep:
            default_storage.delete(name)


def remove(notice: Notice) -> None:
    """Every audio file of the notice (it was withdrawn: nothing of its text stays public)."""
    for name in _files_of(notice):
        default_storage.delete(name)
