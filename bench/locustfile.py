"""Locust users for bench/load.py: a day's mix of Linli's people against a production server.

Run by bench/load.py (which prepares the accounts, logs each simulated person in through the login form once and
writes the plan file); never imported into Django's process: locust monkey-patches the standard library with gevent.
By hand (a plan written by `bench/load.py --prepare-only`):

    LINLI_LOAD_PLAN=/tmp/plan.json locust -f bench/locustfile.py --headless -u 40 -r 8 -t 60s \
        --host http://127.0.0.1:8000

Every person waits 1-5 s between two steps (reading, typing). Request names are the page, not the URL, so the
statistics group e.g. every resident's detail page under one line. A POST must answer with the redirect of a saved
form (302); anything else (a re-rendered form, a 4xx/5xx) is counted as an error.
"""

from __future__ import annotations

import datetime
import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["LINLI_LOAD_PLAN"], encoding="utf-8").read())
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
APPEAL_LINK = re.compile(r'href="/appeals/(\d+)/"')
TRACK_LINK = re.compile(r'href="/s/track/([0-9-]+)/"')
SIGN = "/appeals/{}/sign/"
RESOLVE = "/appeals/{}/resolve/"
TEXTS = ("楼道灯坏了，晚上看不见", "单元门禁打不开", "楼下垃圾没人清运", "雨水管堵了，下雨积水", "电梯有异响")


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    return found.group(1) if found else ""


class Person(HttpUser):
    """One simulated person: a persona of the plan (an account logged in once, or a resident's session)."""

    abstract = True
    wait_time = between(1, 5)
    kind = ""
    _counters: dict[str, itertools.count] = {}

    def on_start(self):
        personas = PLAN[self.kind]
        counter = Person._counters.setdefault(self.kind, itertools.count())
        self.persona = personas[next(counter) % len(personas)]
        for name, value in self.persona["cookies"].items():
            # only the session: the CSRF cookie comes from the first form page, otherwise the jar holds two
            # `csrftoken` cookies (this one without a domain, the server's with one) and reading it raises
            if name != "csrftoken":
                self.client.cookies.set(name, value)

    def page(self, url: str, name: str) -> str:
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {url}")
                return ""
            return response.text

    def post(self, url: str, data: dict, name: str, referer: str) -> bool:
        """A form POST; success is the 302 of a saved form."""
        fallback = data.get("csrfmiddlewaretoken", "")
        token = next((c.value for c in self.client.cookies if c.name == "csrftoken"), fallback)
        headers = {"Referer": self.host + referer, "X-CSRFToken": token}
        with self.client.post(
            url, data=data, name=name, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"{response.status_code} {url}")
                return False
            return True


class GridWorker(Person):
    """网格员: 今日走访, a resident's page, the visit form and its POST."""

    kind = "grid"
    weight = 40

    @task(3)
    def worklist(self):
        self.page("/visits/", "网格员 今日走访 /visits/")

    @task(2)
    def resident(self):
        pk = random.choice(self.persona["residents"])
        self.page(f"/residents/{pk}/", "网格员 居民详情 /residents/<id>/")

    @task(2)
    def log_visit(self):
        pk = random.choice(self.persona["residents"])
        url = f"/visits/resident/{pk}/log/"
        html = self.page(url, "网格员 走访登记表 GET")
        if not html:
            return
        data = {
            "csrfmiddlewaretoken": csrf_of(html),
            "outcome": "met",
            "wellbeing": "good",
            "findings": "压测：身体还好，家中整洁",
            "visited_on": datetime.date.today().isoformat(),
        }
        if self.post(url, data, "网格员 走访登记 POST", url):
            self.page("/visits/", "网格员 今日走访 /visits/")


class CommunityStaff(Person):
    """社区工作人员: the appeals queues, registering an appeal through the intake form, the resident list."""

    kind = "staff"
    weight = 20

    @task(3)
    def dispatch_queue(self):
        self.page("/appeals/?tab=dispatch", "社区 待派单 /appeals/?tab=dispatch")

    @task(1)
    def all_queue(self):
        self.page("/appeals/?tab=all", "社区 全部诉求 /appeals/?tab=all")

    @task(2)
    def register(self):
        html = self.page("/appeals/new/", "社区 诉求登记表 GET")
        if not html:
            return
        data = {
            "csrfmiddlewaretoken": csrf_of(html),
            "text": f"{random.choice(TEXTS)}（压测）",
            "urgency": "normal",
            "channel": "phone",
            "community": self.persona["community"],
            "building": random.choice(self.persona["buildings"]),
            "room": "1单元101",
            "reporter_name": "压测居民",
            "reporter_phone": "13800000000",
        }
        if self.post("/appeals/new/", data, "社区 诉求登记 POST", "/appeals/new/"):
            self.page("/appeals/?tab=dispatch", "社区 待派单 /appeals/?tab=dispatch")

    @task(2)
    def search(self):
        q = random.choice(PLAN["search"])
        self.page(f"/residents/?q={q}", "社区 居民查询 /residents/?q=")


class Handler(Person):
    """部门承办人: 本单位待办, an appeal, then 签收 or 办结 (whichever it is waiting for)."""

    kind = "handler"
    weight = 15

    @task(3)
    def queue(self):
        self.page("/appeals/?tab=unit", "承办 本单位待办 /appeals/?tab=unit")

    @task(2)
    def work(self):
        html = self.page("/appeals/?tab=unit", "承办 本单位待办 /appeals/?tab=unit")
        # each handler works its own share of the pool (id modulo the handlers), as a team splits its queue: two
        # handlers signing the same appeal is a lost race the service refuses (400), not a server error
        mine = int(self.persona["username"].rsplit("_", 1)[1])
        share = len(PLAN["handler"])
        ids = [pk for pk in APPEAL_LINK.findall(html) if int(pk) % share == mine]
        if not ids:
            return
        pk = random.choice(ids[:10])
        detail = self.page(f"/appeals/{pk}/", "承办 诉求详情 /appeals/<id>/")
        token = csrf_of(detail)
        if SIGN.format(pk) in detail:
            if self.post(SIGN.format(pk), {"csrfmiddlewaretoken": token}, "承办 签收 POST", f"/appeals/{pk}/"):
                self.page(f"/appeals/{pk}/", "承办 诉求详情 /appeals/<id>/")
        elif RESOLVE.format(pk) in detail:
            data = {
                "csrfmiddlewaretoken": token,
                "resolve-outcome": "solved",
                "resolve-resolution": "已派维修人员处理完毕（压测）",
                "resolve-resolution_visibility": "public",
            }
            if self.post(RESOLVE.format(pk), data, "承办 办结 POST", f"/appeals/{pk}/"):
                self.page(f"/appeals/{pk}/", "承办 诉求详情 /appeals/<id>/")


class Resident(Person):
    """居民 (no account): reports through the community's QR page with a phone already verified in this session,
    then follows their appeals (/s/track/mine/, one appeal's status)."""

    kind = "resident"
    weight = 20

    @task(2)
    def report(self):
        code = self.persona["code"]
        start = f"/s/{code}/"
        html = self.page(start, "居民 上报 /s/<社区>/")
        if not html:
            return
        data = {
            "csrfmiddlewaretoken": csrf_of(html),
            "text": f"{random.choice(TEXTS)}（压测）",
            "building": random.choice(self.persona["buildings"]),
            "room": "2单元302",
            "name": "压测居民",
            "no_sms": "on",
        }
        if not self.post(start, data, "居民 上报 POST", start):
            return
        verify = f"/s/{code}/verify/"
        html = self.page(verify, "居民 确认 /s/<社区>/verify/")
        data = {"csrfmiddlewaretoken": csrf_of(html), "action": "submit"}
        if html and self.post(verify, data, "居民 提交 POST", verify):
            self.page(f"/s/{code}/done/", "居民 查询码 /s/<社区>/done/")

    @task(3)
    def track(self):
        html = self.page("/s/track/mine/", "居民 我的诉求 /s/track/mine/")
        numbers = TRACK_LINK.findall(html)
        if numbers:
            self.page(f"/s/track/{random.choice(numbers[:5])}/", "居民 诉求进度 /s/track/<编号>/")


class StreetAdmin(Person):
    """街道管理员: the figures pages."""

    kind = "admin"
    weight = 5

    @task(2)
    def appeal_stats(self):
        self.page("/appeals/stats/", "街道 诉求统计 /appeals/stats/")

    @task(1)
    def visit_stats(self):
        self.page("/visits/coverage/", "街道 走访统计 /visits/coverage/")
