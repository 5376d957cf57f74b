"""The client's address, as a rate limit or an audit row should see it.

Behind a reverse proxy every request comes from the proxy's address, so keying limits on REMOTE_ADDR
would put every resident of the city behind one key. The forwarded header is believed only when the
request comes from a proxy named in LINLI_TRUSTED_PROXIES (addresses or networks, comma-separated);
otherwise anyone could choose their own key by sending the header.
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings


@functools.cache
def _networks(spec: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in spec if item.strip())


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in _networks(tuple(settings.LINLI_TRUSTED_PROXIES)))


def client_ip(request) -> str | None:
    """The first address, reading X-Forwarded-For from the right, that is not one of our trusted proxies.

    Each proxy appends the address it received the request from; the rightmost untrusted entry is the
    last one our own proxies vouch for (entries left of it were written by the client and prove nothing).
    """
    remote = request.META.get("REMOTE_ADDR")
    if not remote or not _trusted(remote):
        return remote
    forwarded = request.META.get(settings.LINLI_PROXY_HEADER, "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return remote  # a malformed chain: fall back to the proxy itself rather than trust garbage
        if not _trusted(hop):
            return hop
    return hops[0] if hops else remote


def client_ip_for_axes(request, *args, **kwargs) -> str | None:
    """django-axes' AXES_CLIENT_IP_CALLABLE: the same address for login lockouts."""
    return client_ip(request)
