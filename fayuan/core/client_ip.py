"""The client's address, the one place that reads it (rate limits, SMS limits, lockout, audit rows).

Behind nginx every connection comes from the proxy, so the client is in ``X-Forwarded-For``. That header is
believed only when the peer (REMOTE_ADDR) is one of ``settings.TRUSTED_PROXIES``: from anyone else it is a value
the caller wrote. Walking the header from the right, the first address that is not itself a trusted proxy is the
client (the left part of the chain may be forged by the client and is ignored).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip())


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))


def _parse(value: str | None) -> Address | None:
    text = (value or "").strip()
    if text.startswith("[") and "]" in text:  # "[v6]:port"
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # "v4:port"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: from X-Forwarded-For only through a trusted proxy, else the peer; None if neither
    is a valid address."""
    peer = _parse(request.META.get("REMOTE_ADDR"))
    if peer is None:
        return None
    networks = trusted_networks()
    if not networks or not _trusted(peer, networks):
        return str(peer)
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    for part in reversed(forwarded.split(",")):
        hop = _parse(part)
        if hop is None:  # garbage in the chain: nothing to its left can be believed
            return str(peer)
        if not _trusted(hop, networks):
            return str(hop)
    return str(peer)  # only proxies in the chain (or no header): the last proxy is the best we know
