"""帮扶与共建 (linli.support): models are added by the part that owns them (see docs)."""

from django.db import models  # noqa: F401
