"""Small images made in memory for tests (no binary fixtures in the repository)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_bytes(size=(2400, 1200), color=(200, 30, 30), *, orientation=None, gps=False, fmt="JPEG") -> bytes:
    """A photo as a phone writes it: optionally with an EXIF Orientation tag and GPS coordinates."""
    img = Image.new("RGB", size, color)
    # A marker in the top-left corner shows where "up" is after orientation is applied.
    img.paste((0, 0, 255), (0, 0, size[0] // 4, size[1] // 4))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    if orientation:
        exif[ORIENTATION] = orientation
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (30.0, 35.0, 12.5), 3: "E", 4: (114.0, 18.0, 3.2)}
    out = io.BytesIO()
    kwargs = {"exif": exif.tobytes()} if fmt in ("JPEG", "WEBP", "PNG") else {}
    img.save(out, fmt, **kwargs)
    return out.getvalue()


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def photo(**kwargs) -> SimpleUploadedFile:
    return upload(jpeg_bytes(**kwargs))


def not_an_image(name="photo.jpg") -> SimpleUploadedFile:
    return upload("这不是照片，只是改了扩展名的文本文件。\n".encode() * 20, name=name)
