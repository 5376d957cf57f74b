"""Settings for bench/admin_compare.py only: Linli's settings plus django.contrib.admin and a URLconf with the admin.

Linli itself has no admin (INSTALLED_APPS stays as it is); this module exists so that the comparison with "what a
Django team would build first" runs in the same process, on the same database, through the same middleware.
"""

from linli.settings import *  # noqa: F403
from linli.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.admin"]
ROOT_URLCONF = "bench.admin_urls"
