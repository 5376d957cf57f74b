"""便民服务 (linli.hall): models are added by the part that owns them (see docs)."""

from django.db import models  # noqa: F401
