"""`linli route`: routing suggestions for JSON lines on standard input, one JSON line out per line in.

In:  {"id": ..., "text": "..."}
Out: {"id": ..., "unit": "<code>", "confidence": 0..1, "alternatives": [["<code>", p], ["<code>", p]]}
     or {"id": ..., "error": "..."} for a line that cannot be read; the command always carries on.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from linli.appeals.routing.services import get_router


def _parse(line: str):
    """(id, text, error) for one input line."""
    try:
        row = json.loads(line)
    except ValueError as exc:
        return None, None, f"不是有效的 JSON：{exc}"
    if not isinstance(row, dict):
        return None, None, '每行应是一个 JSON 对象 {"id": ..., "text": ...}'
    ident = row.get("id")
    text = row.get("text")
    if text is None:
        return ident, None, "缺少 text 字段"
    if not isinstance(text, str):
        return ident, None, "text 应是字符串"
    return ident, text, None


class Command(BaseCommand):
    help = '从标准输入逐行读取 {"id": ..., "text": ...}，每行输出建议的承办单位代码、置信度和两个备选。'
    stealth_options = ("stdin",)

    def handle(self, *args, **options):
        stdin = options.get("stdin") or sys.stdin
        out = self.stdout
        encoding = (getattr(out._out, "encoding", None) or "utf-8").lower()
        ascii_only = "utf" not in encoding
        try:
            router = get_router()
        except (FileNotFoundError, ValueError) as exc:
            raise CommandError(f"分派模型不可用：{exc}")
        for raw in _lines(stdin):
            line = raw.strip()
            if not line:
                continue
            ident, text, error = _parse(line)
            if error is None:
                try:
                    result = {"id": ident, **router.predict([text], explain=False)[0].as_json()}
                except Exception as exc:  # never stop the stream for one text
                    result = {"id": ident, "error": f"无法处理：{type(exc).__name__}: {exc}"}
            else:
                result = {"id": ident, "error": error}
            try:
                payload = json.dumps(result, ensure_ascii=ascii_only)
            except (TypeError, ValueError):  # an id JSON cannot carry back (cannot happen for parsed JSON)
                payload = json.dumps({"id": None, "error": "id 无法输出"}, ensure_ascii=ascii_only)
            out.write(payload)
            out.flush()


def _lines(stdin):
    """Lines as text whatever the input encoding: undecodable bytes become U+FFFD, not an exception."""
    buffer = getattr(stdin, "buffer", None)
    if buffer is None:
        yield from stdin
        return
    for raw in buffer:
        yield raw.decode("utf-8", errors="replace")
