"""社区证明 (linli.certificates): models are added by the part that owns them (see docs)."""

from django.db import models  # noqa: F401
