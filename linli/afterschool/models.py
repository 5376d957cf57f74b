"""四点半学校 (linli.afterschool): models are added by the part that owns them (see docs)."""

from django.db import models  # noqa: F401
