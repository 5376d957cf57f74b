"""Following a page's figures to the lists they count (linli/core/tests/test_home_figures.py explains the markers).

A figure is an `a[data-figure]` holding a `[data-figure-value]` number; a rate is marked `data-figure-rate="<name>"`
and, when it links somewhere, the page it opens carries `data-<name>-rate` with the same text. A list marks its total
with `data-list-total="N"` (or `data-<name>-total`, named by the link's `data-figure-total`).
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit


class Figures(HTMLParser):
    """A page's figures: {name, href, total attribute, value}; its rates that link somewhere; what is neither."""

    def __init__(self):
        super().__init__()
        self.figures: list[dict] = []
        self.rates: list[dict] = []
        self.problems: list[str] = []
        self._link: dict | None = None
        self._value: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "a" and "data-figure" in a:
            self._link = {"name": a["data-figure"], "href": a.get("href"), "total": a.get("data-figure-total")}
        elif tag == "a" and "data-figure-rate" in a:
            self._link = {"name": a["data-figure-rate"], "href": a.get("href"), "rate": True}
        elif "stat" in classes and "data-figure-rate" not in a:
            self.problems.append(f"a figure box without a link: <{tag} {a}>")
        if "data-figure-value" in a or "data-rate-value" in a:
            if self._link is None and "data-rate-value" not in a:
                self.problems.append(f"a figure number outside a link: <{tag} {a}>")
            self._value = (tag, [])

    def handle_data(self, data):
        if self._value is not None:
            self._value[1].append(data)

    def handle_endtag(self, tag):
        if self._value is not None and tag == self._value[0]:
            if self._link is not None:
                self._link["value"] = "".join(self._value[1]).strip()
            self._value = None
        if tag == "a" and self._link is not None:
            if "value" not in self._link:
                self.problems.append(f"a figure link without a number: {self._link}")
            (self.rates if self._link.get("rate") else self.figures).append(self._link)
            self._link = None


class Attribute(HTMLParser):
    def __init__(self, attribute: str):
        super().__init__()
        self.attribute = attribute
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == self.attribute:
                self.found.append(value)


def page_figures(client, url: str) -> Figures:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = Figures()
    parser.feed(response.content.decode())
    assert not parser.problems, parser.problems
    return parser


def attribute_on(client, href: str, attribute: str) -> str:
    assert href and urlsplit(href).path.startswith("/"), href
    response = client.get(href)
    assert response.status_code == 200, (href, response.status_code)
    parser = Attribute(attribute)
    parser.feed(response.content.decode())
    assert len(parser.found) == 1, (href, attribute, parser.found)
    return parser.found[0]


def list_total(client, figure: dict) -> int:
    attribute = f"data-{figure['total']}-total" if figure["total"] else "data-list-total"
    return int(attribute_on(client, figure["href"], attribute))


def check_page(client, url: str, who) -> Figures:
    """Follow every figure (and linked rate) of the page at `url`: the list it opens shows the same number."""
    found = page_figures(client, url)
    for figure in found.figures:
        assert list_total(client, figure) == int(figure["value"]), (who, figure)
    for rate in found.rates:
        assert attribute_on(client, rate["href"], f"data-{rate['name']}-rate") == rate["value"], (who, rate)
    return found
