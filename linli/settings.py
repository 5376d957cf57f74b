"""Linli settings: everything environment-specific comes from the environment.

DATABASE_URL   defaults to the embedded SQLite file var/linli.sqlite3
LINLI_MEDIA_ROOT  where uploaded files (photos, ledgers being imported) live; defaults to var/media
REDIS_URL      Celery broker; without it tasks run eagerly in-process
LINLI_PRODUCTION=1 switches on the hardened settings checked by `linli check --deploy`
LINLI_SECRET_KEY, LINLI_FIELD_KEY (AES-256 key, base64), LINLI_HASH_KEY (HMAC key, base64)
   are required in production; development falls back to fixed keys that must never be used for real data.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF

from linli.core.crypto import parse_key
from linli.ops.production import DEV_FIELD_KEY, DEV_HASH_KEY, DEV_SECRET_KEY

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("LINLI_VAR_DIR", PROJECT_DIR / "var"))

PRODUCTION = os.environ.get("LINLI_PRODUCTION", "") == "1"
DEBUG = os.environ.get("LINLI_DEBUG", "0" if PRODUCTION else "1") == "1"


# Production refuses to start without its keys, and names every missing one at once (not only the first).
_missing_required: list[str] = []


def _required(name: str, dev_default: str) -> str:
    value = os.environ.get(name)
    if value:
        return value
    if PRODUCTION:
        _missing_required.append(name)
    return dev_default


SECRET_KEY = _required("LINLI_SECRET_KEY", DEV_SECRET_KEY)
_DEV_FIELD_KEY = DEV_FIELD_KEY
_DEV_HASH_KEY = DEV_HASH_KEY
# Field keys are numbered so that old ciphertexts stay readable after rotation:
# LINLI_FIELD_KEY is the current key, LINLI_FIELD_KEY_<N> older ones.
LINLI_FIELD_KEY_ID = int(os.environ.get("LINLI_FIELD_KEY_ID", "1"))
LINLI_FIELD_KEYS = {LINLI_FIELD_KEY_ID: parse_key(_required("LINLI_FIELD_KEY", _DEV_FIELD_KEY))}
for _name, _value in os.environ.items():
    if _name.startswith("LINLI_FIELD_KEY_") and _name[16:].isdigit():
        LINLI_FIELD_KEYS.setdefault(int(_name[16:]), parse_key(_value))
LINLI_HASH_KEY = parse_key(_required("LINLI_HASH_KEY", _DEV_HASH_KEY))
if _missing_required:
    raise RuntimeError(
        "LINLI_PRODUCTION=1 缺少环境变量 / must be set: "
        + ", ".join(_missing_required)
        + "（`linli prod-env` 生成一份环境文件，见 docs/deploy.md）"
    )

ALLOWED_HOSTS = [h for h in os.environ.get("LINLI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("LINLI_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "ninja",
    "axes",
    # 两步验证 (linli.accounts.twofactor): django-otp and its TOTP (authenticator app) and static (recovery codes)
    # devices; their tables come from their own migrations.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "linli.core",
    "linli.accounts",
    "linli.areas",
    "linli.residents",
    "linli.ledgers",
    "linli.visits",
    "linli.notifications",
    "linli.appeals",
    "linli.attachments",
    "linli.workdays",
    "linli.hotline",
    "linli.tracking",
    "linli.open311",
    "linli.volunteers",
    "linli.lovebank",
    "linli.wishes",
    "linli.deliberation",
    "linli.votes",
    "linli.mediation",
    "linli.channels",
    "linli.notices",
    "linli.campaigns",
    "linli.party",
    "linli.places",
    "linli.afterschool",
    "linli.hall",
    "linli.certificates",
    "linli.support",
    "linli.dashboards",
    "linli.bigscreen",  # 大屏 and 好人好事墙 (issue 22): reads the dashboards' figures
    "linli.workreports",
    "linli.ops",  # running it for real: serve, health, metrics, logs, backup/restore, retention (issue 20)
    "linli.site",  # last: the shell above every app (home, menu, demo); imports each app's shell.py
]

MIDDLEWARE = [
    # Outermost (issue 20, docs/operations.md): the request log and the metrics see every answer, including
    # SecurityMiddleware's redirects and the error pages; the probes then answer before host checks and sessions.
    "linli.ops.logs.RequestLogMiddleware",
    "linli.ops.metrics.MetricsMiddleware",
    "linli.ops.health.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # linli.core.apigate: Django's and the packages' page-only middleware, passing bearer-token /api/ calls through
    # (no session, language, second-step details, messages, htmx or CSP for a JSON call judged by its token alone).
    "linli.core.apigate.SessionMiddleware",
    "linli.core.apigate.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",  # by name: Django's deploy check (security.W003) looks for it
    "linli.core.apigate.AuthenticationMiddleware",
    # after AuthenticationMiddleware: request.user.is_verified() (this session passed the second step)
    "linli.core.apigate.OTPMiddleware",
    "linli.accounts.middleware.ResolvedUserMiddleware",  # request.user without its lazy proxies
    "linli.accounts.middleware.IdleTimeoutMiddleware",
    "linli.accounts.middleware.PasswordChangeRequiredMiddleware",
    # after OTPMiddleware (reads is_verified) and the idle logout; the password middleware lets its pages through
    "linli.accounts.middleware.TwoFactorMiddleware",
    "linli.core.apigate.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "linli.core.apigate.HtmxMiddleware",
    "linli.core.apigate.CSPMiddleware",
    "linli.core.errors.ErrorPageMiddleware",  # Chinese error pages, also under DEBUG (inside CSP: same headers)
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "linli.urls"
WSGI_APPLICATION = "linli.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "linli.core.context_processors.draft_clear",
                "linli.site.context_processors.navigation",
                "linli.notifications.context_processors.unread_messages",
            ],
        },
    }
]
# Plain <input> widgets written in Python, the rest through Django's templates (linli/core/renderers.py, issue 20).
FORM_RENDERER = "linli.core.renderers.FastRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'linli.sqlite3'}"),
        conn_max_age=int(os.environ.get("LINLI_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout let the demo server and a command share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's default random_page_cost (4) models spinning disks and makes the planner scan a
    # whole street's residents instead of the (street, name) search indexes; on SSD storage 1.1 is
    # the usual value (bench/registry.py: name search 20 ms -> 3 ms at 1,000,000 residents).
    # JIT compilation costs ~200 ms on the coverage report's aggregates and never pays back on pages that
    # answer in well under a second (bench/visits.py); LINLI_PG_JIT=on turns it back on.
    _page_cost = os.environ.get("LINLI_PG_RANDOM_PAGE_COST", "1.1")
    _jit = os.environ.get("LINLI_PG_JIT", "off")
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c random_page_cost={_page_cost} -c jit={_jit}"
    if "PYTEST_VERSION" in os.environ:
        # The test suite only: a commit (each migration creating the test database, each transactional test and its
        # flush) does not wait for the WAL to reach the disk. A crash loses a test database, never real data.
        DATABASES["default"]["OPTIONS"]["options"] += " -c synchronous_commit=off"
# PostgreSQL: the few statements Linli sends thousands of times an hour with one text (an appeal's INSERT:
# linli.core.inserts.execute_returning) are prepared on the server once per connection and run by name.
# LINLI_PG_PREPARED=off sends them as every other statement is sent (docs/scale-out.md: connection poolers).
LINLI_PG_PREPARED = os.environ.get("LINLI_PG_PREPARED", "on").strip().lower() not in ("off", "0", "false", "no")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "linli.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "linli.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login security (linli/accounts/lockout.py): 5 failures for one username from one client address lock that
# username from that address for 30 minutes (a stranger elsewhere cannot lock a clerk out); 20 failures from
# one address across any usernames lock that address (no password spraying). Locked users unlock by SMS code.
AXES_FAILURE_LIMIT = 5
LINLI_LOGIN_CLIENT_FAILURE_LIMIT = int(os.environ.get("LINLI_LOGIN_CLIENT_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "linli.accounts.lockout.LoginLockoutHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "linli.core.net.client_ip_for_axes"
AXES_USERNAME_CALLABLE = "linli.accounts.lockout.client_username"
# Idle sessions end after 30 minutes; activity renews the window (at most one session write a minute,
# see IdleTimeoutMiddleware).
SESSION_COOKIE_AGE = 30 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LINLI_IDLE_TIMEOUT_SECONDS = 30 * 60
# Reverse proxies whose forwarded-for header is believed (linli.core.net.client_ip): addresses or networks,
# comma-separated, e.g. "127.0.0.1,10.0.0.0/24". Empty: REMOTE_ADDR is the client.
LINLI_TRUSTED_PROXIES = [p for p in os.environ.get("LINLI_TRUSTED_PROXIES", "").split(",") if p.strip()]
LINLI_PROXY_HEADER = os.environ.get("LINLI_PROXY_HEADER", "HTTP_X_FORWARDED_FOR")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# No LOCALE_PATHS: Linli writes its Chinese directly (no .po/.mo of its own); Django's and the libraries'
# messages come in zh-hans from their own locale folders.

STATIC_URL = "/static/"
# collectstatic target in production; in development WhiteNoise serves straight from the finders.
STATIC_ROOT = PROJECT_DIR / "staticfiles" if PRODUCTION else None
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded files (photos, ledgers waiting to be imported) belong with the database they describe, not the checkout.
MEDIA_ROOT = Path(os.environ.get("LINLI_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Uploads too big to keep in memory are spooled here, inside the media area (never the system /tmp): a ledger
# holds ID numbers in clear. Django deletes the file at the end of the request; `linli sweep-imports` removes
# what a killed process left behind.
FILE_UPLOAD_TEMP_DIR = str(MEDIA_ROOT / "tmp")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)

# Routing suggestions (docs/routing.md): below this calibrated probability the suggested unit is not pre-filled on the
# 派单 form and the uncategorised appeal is marked 需人工判断 on the 待派单 tab. 0 turns the mark off.
LINLI_ROUTING_MIN_CONFIDENCE = float(os.environ.get("LINLI_ROUTING_MIN_CONFIDENCE", "0.5"))
# Local rules (docs/routing.md "Learning per community and street"): similar corrections of a community (or of two or
# more communities of a street) to one unit before they change that community's (street's) suggestion.
LINLI_ROUTING_LOCAL_MIN_CORRECTIONS = int(os.environ.get("LINLI_ROUTING_LOCAL_MIN_CORRECTIONS", "3"))
# The retraining guard: a new version is not activated when its accuracy on the check set (the shipped held-out
# files) is lower than the active version's by more than this, overall or for one unit.
LINLI_ROUTING_RETRAIN_TOLERANCE = float(os.environ.get("LINLI_ROUTING_RETRAIN_TOLERANCE", "0.01"))
LINLI_ROUTING_RETRAIN_UNIT_TOLERANCE = float(os.environ.get("LINLI_ROUTING_RETRAIN_UNIT_TOLERANCE", "0.1"))

# Ledger imports (linli.ledgers): a file is refused before it is parsed when it is bigger than this.
LINLI_IMPORT_MAX_ROWS = int(os.environ.get("LINLI_IMPORT_MAX_ROWS", "200000"))
LINLI_IMPORT_MAX_CELLS = int(os.environ.get("LINLI_IMPORT_MAX_CELLS", "5000000"))
# The sum of the uncompressed sizes of an .xlsx's zip members (a zip bomb is small on disk, huge unpacked).
LINLI_IMPORT_MAX_UNZIPPED_BYTES = int(os.environ.get("LINLI_IMPORT_MAX_UNZIPPED_BYTES", str(400 * 1024 * 1024)))
# A running import whose worker has not reported for this long is shown as 导入中断 and may be retried.
LINLI_IMPORT_LEASE_SECONDS = int(os.environ.get("LINLI_IMPORT_LEASE_SECONDS", "300"))
# An uploaded ledger not imported, cancelled or used for this long is deleted (it holds ID numbers in clear).
LINLI_IMPORT_FILE_HOURS = int(os.environ.get("LINLI_IMPORT_FILE_HOURS", "24"))

# Content-Security-Policy: everything from our own origin, no inline script, no outside request.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("LINLI_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Celery: Redis when REDIS_URL is set, otherwise run tasks in-process (the embedded default).
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# Periodic jobs for `celery -A linli beat` (production, with Redis). Without Redis, run the same
# work from cron: `linli visits-sweep`, `linli wishes-remind`, `linli matters-remind`, `linli mediation-remind` and
# `linli notices-remind` once a day, `linli appeals-overdue` and `linli sweep-imports` every hour (e.g. `17 * * * *
# .venv/bin/linli sweep-imports`), `linli votes-close-due` every 10 minutes, `linli channels-send` every minute.
CELERY_BEAT_SCHEDULE = {
    "visits-sweep": {"task": "linli.visits.tasks.visits_sweep", "schedule": crontab(hour=6, minute=0)},
    "appeals-overdue": {"task": "linli.appeals.tasks.appeals_overdue", "schedule": crontab(minute=5)},
    "route-train": {"task": "linli.appeals.tasks.route_train_nightly", "schedule": crontab(hour=2, minute=30)},
    "wishes-remind": {"task": "linli.wishes.tasks.wishes_remind", "schedule": crontab(hour=7, minute=0)},
    "matters-remind": {"task": "linli.deliberation.tasks.matters_remind", "schedule": crontab(hour=7, minute=10)},
    "mediation-follow-ups": {"task": "linli.mediation.tasks.mediation_remind", "schedule": crontab(hour=7, minute=20)},
    "imports-sweep": {"task": "linli.ledgers.tasks.sweep_imports", "schedule": crontab(minute=17)},
    "votes-close-due": {"task": "linli.votes.tasks.votes_close_due", "schedule": crontab(minute="*/10")},
    "notices-remind": {"task": "linli.notices.tasks.notices_remind", "schedule": crontab(hour=7, minute=30)},
    # 数据看板: the day just ended counted into the daily rollup (linli.dashboards.rollup.nightly).
    "dashboards-rollup": {"task": "linli.dashboards.tasks.dashboards_rollup", "schedule": crontab(hour=0, minute=40)},
    # 三会一课: branch secretaries told a week before a month or quarter closes (linli.party.services_life.remind_due)
    "party-remind": {"task": "linli.party.tasks.party_remind", "schedule": crontab(hour=7, minute=40)},
    # Queued WeChat group messages and SMS (without Redis: `linli channels-send` from cron every minute).
    "channels-send": {"task": "linli.channels.tasks.channels_send", "schedule": crontab(minute="*")},
}
# 需上门告知: a household where every resident is this old (or tagged 不会用智能手机) is told at the door.
LINLI_NOTICE_DOOR_AGE = int(os.environ.get("LINLI_NOTICE_DOOR_AGE", "80"))
# A wish claim live this many days without fulfilment: the claimer is reminded once, the managers told.
LINLI_WISH_CLAIM_REMIND_DAYS = int(os.environ.get("LINLI_WISH_CLAIM_REMIND_DAYS", "14"))
# Love bank: an identical redemption (same account, item, quantity) this many minutes after another asks first.
LINLI_LOVEBANK_REPEAT_MINUTES = int(os.environ.get("LINLI_LOVEBANK_REPEAT_MINUTES", "2"))

# 诉求统计 and 走访统计 reuse a report computed for the same scope and filters this many seconds (their pages say
# “数据更新于 HH:MM”; linli.core.figures.cached_report). A street's figures cost 0.3-1 s of SQL at city scale.
LINLI_FIGURES_CACHE_SECONDS = int(os.environ.get("LINLI_FIGURES_CACHE_SECONDS", "120"))
# 社区大屏 (linli.bigscreen): how often a display fetches its figures (seconds; at least 30).
LINLI_BIGSCREEN_REFRESH_SECONDS = int(os.environ.get("LINLI_BIGSCREEN_REFRESH_SECONDS", "180"))
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:
    # The keys carry the database they describe (LINLI_CACHE_PREFIX, by default a digest of the database's
    # engine, host, port and name): two Linli databases sharing one Redis (a test and a demo, two districts) never
    # read each other's version tokens, cached choices or figures. The workers of one database share it.
    _db = DATABASES["default"]
    _db_identity = "|".join(str(_db.get(k) or "") for k in ("ENGINE", "HOST", "PORT", "NAME"))
    LINLI_CACHE_PREFIX = (
        os.environ.get("LINLI_CACHE_PREFIX")
        or "linli-" + hashlib.sha1(_db_identity.encode(), usedforsecurity=False).hexdigest()[:10]
    )
    CACHES = {
        "default": {
            "BACKEND": "linli.core.rediscache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": LINLI_CACHE_PREFIX,
        }
    }

NINJA_PAGINATION_PER_PAGE = 50
# Full ID numbers shown (page and API) per user per rolling hour: past the limit refused; from the alert
# count on, the community's secretaries and the street administrators are told (once per user per hour).
LINLI_REVEAL_LIMIT_PER_HOUR = int(os.environ.get("LINLI_REVEAL_LIMIT_PER_HOUR", "30"))
LINLI_REVEAL_ALERT_PER_HOUR = int(os.environ.get("LINLI_REVEAL_ALERT_PER_HOUR", "20"))
# Keyed Open311 POSTs (new service requests) per API key per minute (counted in CACHES: use Redis in production).
LINLI_OPEN311_POSTS_PER_MINUTE = int(os.environ.get("LINLI_OPEN311_POSTS_PER_MINUTE", "30"))

# Text messages (verification codes for residents): a class with send(phone, text); see linli/tracking/sms.py.
LINLI_SMS_BACKEND = os.environ.get("LINLI_SMS_BACKEND", "linli.tracking.sms.LogBackend")
# 腾讯云短信 (LINLI_SMS_BACKEND=linli.tracking.sms.TencentBackend; docs/channels.md): a CAM key, the SmsSdkAppId, the
# approved signature and the approved template ids by name (JSON), e.g. {"notice": "2001234", "code": "2001235"}.
LINLI_SMS_TENCENT_SECRET_ID = os.environ.get("LINLI_SMS_TENCENT_SECRET_ID", "")
LINLI_SMS_TENCENT_SECRET_KEY = os.environ.get("LINLI_SMS_TENCENT_SECRET_KEY", "")
LINLI_SMS_TENCENT_APP_ID = os.environ.get("LINLI_SMS_TENCENT_APP_ID", "")
LINLI_SMS_TENCENT_SIGN = os.environ.get("LINLI_SMS_TENCENT_SIGN", "")
LINLI_SMS_TENCENT_REGION = os.environ.get("LINLI_SMS_TENCENT_REGION", "ap-guangzhou")
LINLI_SMS_TENCENT_TEMPLATES = json.loads(os.environ.get("LINLI_SMS_TENCENT_TEMPLATES", "{}") or "{}")
LINLI_SMS_TENCENT_ENDPOINT = os.environ.get("LINLI_SMS_TENCENT_ENDPOINT", "")  # default sms.tencentcloudapi.com
# 企业微信群机器人: linli.channels.wechat.WebhookBackend posts for real; the default LogBackend only logs (the deploy
# check warns). Webhook addresses must start with 企业微信's https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=
# unless another prefix is allowed here (comma-separated; e.g. a company's own proxy).
LINLI_WECHAT_BACKEND = os.environ.get("LINLI_WECHAT_BACKEND", "linli.channels.wechat.LogBackend")
LINLI_WECHAT_WEBHOOK_PREFIXES = [p for p in os.environ.get("LINLI_WECHAT_WEBHOOK_PREFIXES", "").split(",") if p]
# The site's public address (https://linli.example.gov.cn) for links in texts to residents; empty: no link.
LINLI_SITE_URL = os.environ.get("LINLI_SITE_URL", "")
# Rate limits of the resident pages, per phone, per client and global (defaults: linli.tracking.limits.DEFAULTS);
# overrides by name as JSON, e.g. LINLI_TRACKING_RATES='{"sms_global": [[60, 60], [10000, 86400]]}'.
LINLI_TRACKING_RATES = json.loads(os.environ.get("LINLI_TRACKING_RATES") or "{}")

# LOGGING: at the end of this file (issue 20: JSON lines, redaction of ID and phone numbers).

# --- observe (issue 20): health probes, Prometheus metrics, JSON request logs (docs/operations.md) ---
# /readyz fails when the disks holding MEDIA_ROOT or VAR_DIR have less free space than this, or when the
# Celery heartbeat (Redis only) is older than this many minutes.
LINLI_HEALTH_MIN_FREE_MB = int(os.environ.get("LINLI_HEALTH_MIN_FREE_MB", "1024"))
LINLI_HEALTH_HEARTBEAT_MINUTES = int(os.environ.get("LINLI_HEALTH_HEARTBEAT_MINUTES", "5"))
# A web node behind a web-only balancer: /readyz leaves out the Celery heartbeat (as /readyz?web=1 does anywhere).
LINLI_HEALTH_WEB_ONLY = os.environ.get("LINLI_HEALTH_WEB_ONLY", "0") == "1"
CELERY_BEAT_SCHEDULE["ops-heartbeat"] = {"task": "linli.ops.heartbeat", "schedule": 60.0}
# The worker imports these so the heartbeat task and the task counters exist there too.
CELERY_IMPORTS = ["linli.ops.health", "linli.ops.metrics"]
# Load balancers probe over plain HTTP (ProbeMiddleware answers first anyway; this keeps it so if moved).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
# /metrics: from these addresses or networks (after LINLI_TRUSTED_PROXIES), or with
# "Authorization: Bearer <LINLI_METRICS_TOKEN>". Multi-process servers: PROMETHEUS_MULTIPROC_DIR or LINLI_METRICS_DIR.
LINLI_METRICS_ALLOWED = [a for a in os.environ.get("LINLI_METRICS_ALLOWED", "127.0.0.1,::1").split(",") if a.strip()]
LINLI_METRICS_TOKEN = os.environ.get("LINLI_METRICS_TOKEN", "")
# Logs: "json" (one JSON object a line, python-json-logger) or "text"; json by default in production. Every
# handler redacts ID numbers and mobile numbers (linli.ops.logs.RedactFilter). The request log (logger
# linli.request, one line per request) is on at INFO in production, off in development unless asked for.
LINLI_LOG_FORMAT = os.environ.get("LINLI_LOG_FORMAT", "json" if PRODUCTION else "text")
if LINLI_LOG_FORMAT not in ("json", "text"):
    raise RuntimeError("LINLI_LOG_FORMAT 只能是 json 或 text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "linli.ops.logs.RedactFilter"}},
    "formatters": {
        "json": {
            "()": "linli.ops.logs.JsonFormatter",
            "fmt": "{levelname}{name}{message}",
            "style": "{",
            "timestamp": "time",
            "json_ensure_ascii": False,
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact"],
            **({"formatter": "json"} if LINLI_LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LINLI_LOG_LEVEL", "WARNING")},
    "loggers": {
        "linli.request": {"level": os.environ.get("LINLI_REQUEST_LOG_LEVEL", "INFO" if PRODUCTION else "WARNING")}
    },
}

# --- scaleout (issue 20): sessions and caches in Redis, shared rate-limit counters, read replica ---
# Several web workers and machines share everything a request leaves behind (docs/scale-out.md): the cache and the
# rate-limit counters in Redis (CACHES["default"] above), the sessions in Redis too (their own alias, key prefix
# and, if wanted, their own Redis: LINLI_SESSION_REDIS_URL), the data in PostgreSQL. Nothing stays in a process
# but caches that check a shared version (the holiday table, the routing model).
#
# Sessions: LINLI_SESSION_STORE = "cache" (Redis; the default in production with REDIS_URL) or "db" (the
# django_session table; the default in development and tests). Cache-only, not cached_db: the idle-timeout
# stamp rewrites an active session once a minute, which cached_db would turn into a database write per user per
# minute; a lost Redis costs staff a new login (sessions last 30 minutes anyway), never data. Give sessions a Redis
# that keeps its data (appendonly yes) and never evicts (maxmemory-policy noeviction or volatile-ttl).
LINLI_RATE_CACHE = "default"  # linli.tracking.limits, the Open311 POST limit
LINLI_SESSION_STORE = os.environ.get("LINLI_SESSION_STORE", "cache" if PRODUCTION and REDIS_URL else "db")
if LINLI_SESSION_STORE not in ("cache", "db"):
    raise RuntimeError("LINLI_SESSION_STORE 只能是 cache（Redis）或 db（数据库）")
if LINLI_SESSION_STORE == "cache":
    _session_redis = os.environ.get("LINLI_SESSION_REDIS_URL", "") or REDIS_URL
    if not _session_redis:
        raise RuntimeError("LINLI_SESSION_STORE=cache 需要 REDIS_URL（或 LINLI_SESSION_REDIS_URL）")
    CACHES["sessions"] = {
        "BACKEND": "linli.core.rediscache.RedisCache",
        "LOCATION": _session_redis,
        "KEY_PREFIX": "linli-session",
        "TIMEOUT": SESSION_COOKIE_AGE,
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    SESSION_CACHE_ALIAS = "sessions"

# Read replica: DATABASE_REPLICA_URL (a PostgreSQL hot standby) takes the reads of dashboards, figures, reports,
# Excel exports and API GETs (linli.core.dbrouter); everything else, every write, and the reads of a client that
# wrote in the last LINLI_REPLICA_PIN_SECONDS stay on the primary. LINLI_DB_REPLICA names the alias the router
# uses ("" = off). Under pytest a "replica" alias mirroring the test database always exists, off until a test
# turns it on (linli/core/tests/test_dbrouter.py): a mirror costs no database and no connection until used.
LINLI_DB_REPLICA = ""
LINLI_REPLICA_PIN_SECONDS = int(os.environ.get("LINLI_REPLICA_PIN_SECONDS", "15"))
_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if _REPLICA_URL or "PYTEST_VERSION" in os.environ:
    if _REPLICA_URL:
        DATABASES["replica"] = dj_database_url.parse(_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"])
        DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
        LINLI_DB_REPLICA = "replica"
    else:
        DATABASES["replica"] = dict(DATABASES["default"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["linli.core.dbrouter.ReplicaRouter"]
    # After authentication (it reads request.user) and before the views; see linli.core.dbrouter.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("linli.accounts.middleware.IdleTimeoutMiddleware"), "linli.core.dbrouter.ReplicaMiddleware"
    )
# --- prodstack (issue 20): the production server (linli serve, gunicorn), static files, the proxy's scheme ---
# `linli serve` runs gunicorn with linli/ops/gunicorn_conf.py (LINLI_BIND, LINLI_WEB_WORKERS, LINLI_WEB_THREADS),
# a Celery worker and Celery beat; `linli check --deploy` and `linli serve` refuse what linli/ops/production.py finds.
if PRODUCTION:
    # collectstatic's target; outside the checkout when the checkout is read-only (systemd ProtectSystem=strict).
    STATIC_ROOT = Path(os.environ.get("LINLI_STATIC_ROOT") or STATIC_ROOT)
    # Whether a request came over HTTPS is the WSGI server's answer: gunicorn sets wsgi.url_scheme from
    # X-Forwarded-Proto only for requests from LINLI_TRUSTED_PROXIES (forwarded_allow_ips). Django's own
    # SECURE_PROXY_SSL_HEADER would believe the header from anyone who reaches the port, so it is off unless a
    # deployment behind another server asks for it (LINLI_PROXY_SSL_HEADER=1, its proxy overwriting the header).
    if os.environ.get("LINLI_PROXY_SSL_HEADER", "0") != "1":
        SECURE_PROXY_SSL_HEADER = None
# Celery beat's schedule file (last run of each periodic job) lives with the data, not in the checkout.
LINLI_BEAT_SCHEDULE_FILE = VAR_DIR / "celerybeat-schedule"
# --- backup (issue 20): encrypted backups (`linli backup` / `linli restore`) and audit retention ---
# The backup key (AES-256, base64 of 32 bytes; `linli backup --generate-key`) or a file holding it. Neither it nor
# the field keys above are ever written into an archive: keep them offline, apart from the backups (docs/backup.md).
LINLI_BACKUP_KEY = os.environ.get("LINLI_BACKUP_KEY", "")
LINLI_BACKUP_KEY_FILE = os.environ.get("LINLI_BACKUP_KEY_FILE", "")
LINLI_BACKUP_DIR = Path(os.environ.get("LINLI_BACKUP_DIR", VAR_DIR / "backups"))
# Change and audit records (linli.ops.retention.AUDIT_RECORDS) are kept at least this many days. The Cybersecurity
# Law (网络安全法) art. 21(3) requires network logs to be kept no less than six months: 180 is the floor, a lower
# value is refused by the system check linli.ops.E002 and by `linli purge-records`. Not a number: kept as text, refused.
_retention = os.environ.get("LINLI_AUDIT_RETENTION_DAYS", "180").strip()
LINLI_AUDIT_RETENTION_DAYS = int(_retention) if _retention.lstrip("-").isdigit() else _retention
CELERY_BEAT_SCHEDULE["purge-records"] = {
    "task": "linli.ops.tasks.purge_records",
    "schedule": crontab(day_of_month=1, hour=3, minute=30),  # monthly; without Redis: cron `linli purge-records`
}
# --- storage (issue 20): media on S3-compatible object storage (docs/storage.md) ---
# LINLI_MEDIA_STORAGE=local (default: the disk under LINLI_MEDIA_ROOT, as before) or s3 (MinIO, AWS S3, and the
# S3-compatible APIs of 阿里云 OSS and 腾讯云 COS). Media are private either way: never a public bucket, never a media
# URL; Linli streams each file after its own permission check (linli.core.storage.file_response). With s3 the
# local LINLI_MEDIA_ROOT keeps only the upload spool (FILE_UPLOAD_TEMP_DIR: unnamed temporary files).
LINLI_MEDIA_STORAGE = (os.environ.get("LINLI_MEDIA_STORAGE") or "local").strip().lower()
if LINLI_MEDIA_STORAGE not in ("local", "s3"):
    raise RuntimeError(f"LINLI_MEDIA_STORAGE 只能是 local 或 s3（现在是 {LINLI_MEDIA_STORAGE!r}）")
# How many machines run the web workers: local media on more than one is a deploy warning (each has its own disk).
LINLI_WEB_HOSTS = int(os.environ.get("LINLI_WEB_HOSTS") or "1")
if LINLI_MEDIA_STORAGE == "s3":
    from botocore.config import Config as _S3Config

    if not os.environ.get("LINLI_S3_BUCKET"):
        raise RuntimeError("LINLI_MEDIA_STORAGE=s3 需要 LINLI_S3_BUCKET（存储桶名称）")
    _s3_endpoint = os.environ.get("LINLI_S3_ENDPOINT_URL") or None
    _s3_style = os.environ.get("LINLI_S3_ADDRESSING_STYLE") or ("path" if _s3_endpoint else "auto")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["LINLI_S3_BUCKET"],
            "endpoint_url": _s3_endpoint,
            "region_name": os.environ.get("LINLI_S3_REGION") or None,
            # Without keys boto3 finds its own (AWS_* variables, ~/.aws, the instance's role).
            "access_key": os.environ.get("LINLI_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("LINLI_S3_SECRET_KEY") or None,
            "location": os.environ.get("LINLI_S3_PREFIX", "").strip("/"),
            # "private" on every object; "none" sends no ACL (AWS buckets with ACLs disabled: the bucket decides).
            "default_acl": None
            if os.environ.get("LINLI_S3_ACL", "private") == "none"
            else os.environ.get("LINLI_S3_ACL", "private"),
            # No public URL: a URL is always signed and short-lived (Linli itself streams; nothing links the bucket).
            "querystring_auth": True,
            "querystring_expire": 60,
            "custom_domain": None,
            "file_overwrite": False,
            # A download bigger than this (a ledger being imported) spools to an unnamed file in FILE_UPLOAD_TEMP_DIR.
            "max_memory_size": 8 * 1024 * 1024,
            # MinIO answers on one host name: path-style by default with an endpoint; OSS needs "virtual".
            "client_config": _S3Config(
                s3={"addressing_style": _s3_style},
                signature_version="s3v4",
                connect_timeout=5,
                read_timeout=60,
                retries={"max_attempts": 3},
            ),
        },
    }
# --- firstpage (issue 20): the first page of a list at city scale ---
# An unfiltered list over a wide scope (a street: ~80,000 residents) counts its rows by the PostgreSQL planner's
# estimate (shown as “约 8.2 万”) when that estimate passes this many rows; below it, and always on SQLite, the count
# is exact. 0 = always exact.
LINLI_LIST_EXACT_COUNT_MAX = int(os.environ.get("LINLI_LIST_EXACT_COUNT_MAX", "20000"))
# --- twofactor (issue 20): 两步验证 with an authenticator app (linli/accounts/twofactor.py, docs/login.md) ---
# Required for street administrators, secretaries, whoever may reveal ID numbers and superusers; never residents.
# LINLI_2FA_ENFORCE=1 (the default in production): such an account without an authenticator is sent to the setup
# page after the password and can do nothing else. Off (development, tests, `make demo`): they see a reminder, and
# anyone who set one up is still asked for a code at login.
LINLI_2FA_ENFORCE = os.environ.get("LINLI_2FA_ENFORCE", "1" if PRODUCTION else "0") == "1"
# The second step's own lockout: this many wrong codes in a row lock it for this many minutes (counted on the
# device row, shared by every worker).
LINLI_2FA_FAILURE_LIMIT = int(os.environ.get("LINLI_2FA_FAILURE_LIMIT", "5"))
LINLI_2FA_LOCK_MINUTES = int(os.environ.get("LINLI_2FA_LOCK_MINUTES", "15"))
# The name the authenticator app shows above the 6 digits.
OTP_TOTP_ISSUER = os.environ.get("LINLI_2FA_ISSUER", "邻里")
# django-otp's doubling delays (1, 2, 4 … s after each failure) are off: the fixed lockout above replaces them.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
