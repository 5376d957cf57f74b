"""Channels for tests and the scope matrix: registered groups, queued batches, and fake servers in the role of the
WeChat Work webhook and of Tencent Cloud's SMS API (stdlib http.server in a thread, started by the test)."""

from __future__ import annotations

import contextlib
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from linli.channels import services
from linli.channels.choices import ChannelKind
from linli.channels.models import WechatGroup
from linli.testing import SYSTEM

#: What tests register: 企业微信's own prefix, so no setting is needed (the fake server gets its own prefix).
KEY = "0f1e2d3c-aaaa-bbbb-cccc-5ecret9key42"
URL = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}"


def make_group(community, name="居民群", *, url=URL, grid=None, building=None, actor=SYSTEM) -> WechatGroup:
    return services.save_group(
        None, actor=actor, community=community, name=name, webhook_url=url, grid=grid, building=building
    )


def queue_sms(community, phones, *, title="停水通知", actor=SYSTEM, source_id=1):
    specs = [
        services.OutboundSpec(
            text=f"【{community.name}】{title}", phone=p, params=(community.name, title, "http://x/n/a/")
        )
        for p in phones
    ]
    return services.queue(
        actor=actor,
        community=community,
        channel=ChannelKind.SMS,
        source="notices.notice",
        source_id=source_id,
        title=title,
        messages=specs,
    )


def queue_wechat(community, groups, *, title="停水通知", actor=SYSTEM, source_id=1, copies=1):
    specs = [
        services.OutboundSpec(text=f"【{community.name}】{title} 详情：http://x/n/a/", group_id=g.pk)
        for g in groups
        for _ in range(copies)
    ]
    return services.queue(
        actor=actor,
        community=community,
        channel=ChannelKind.WECHAT,
        source="notices.notice",
        source_id=source_id,
        title=title,
        messages=specs,
    )


def matrix_objects(world) -> dict:
    """objects["wechat_groups"]["e1"|"w1"] and ["dispatches"]["e1"|"w1"] (an SMS batch of one phone, queued by a
    command, so no persona started it); the settings page opens objects["communities"]."""
    groups, dispatches = {}, {}
    for key, resident in (("e1", "zhang"), ("w1", "sun")):
        community = world.communities[key]
        groups[key] = make_group(community, f"{community.name}居民群", url=f"{URL[:-4]}{key}99")
        dispatches[key] = queue_sms(community, [world.residents[resident].phone], source_id=900 + len(dispatches))
    return {"wechat_groups": groups, "dispatches": dispatches}


# --- fake servers --------------------------------------------------------------------------------------------------


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class FakeServer:
    """Answers each POST with the next of `answers` (the last repeats): a dict (sent as JSON), an (status, dict)
    pair, or "hang" (no answer until the test ends: the client times out)."""

    answers: list = field(default_factory=lambda: [{"errcode": 0, "errmsg": "ok"}])
    received: list[Received] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    port: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def answer(self):
        index = min(len(self.received) - 1, len(self.answers) - 1)
        return self.answers[index]


@contextlib.contextmanager
def fake_server(answers=None):
    state = FakeServer(answers=list(answers) if answers else [{"errcode": 0, "errmsg": "ok"}])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            state.received.append(Received(self.path, dict(self.headers), self.rfile.read(length)))
            answer = state.answer()
            if answer == "hang":
                state.release.wait(5)
                return
            status, payload = answer if isinstance(answer, tuple) else (200, answer)
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
