"""This machine's names and addresses: the Host and Origin a preview answers to."""

from __future__ import annotations

import ipaddress
import socket

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def listens_beyond_loopback(host: str) -> bool:
    """Whether other machines can reach a server listening on `host`."""
    host = host.strip("[]").lower()
    if host in LOCAL_HOSTS:
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


class LocalHosts:
    """The host names a preview listening on `listen` serves (`name in hosts`).

    Always the loopback names and `listen` itself (unless it means every interface); when
    other machines can reach the preview, also this machine's names and any address of one
    of its interfaces. Any other name, such as an attacker's domain rebound to this machine,
    is not served.
    """

    def __init__(self, listen: str) -> None:
        listen = listen.strip("[]").lower()
        self.beyond = listens_beyond_loopback(listen)
        self.names = set(LOCAL_HOSTS) | ({listen} - {"", "0.0.0.0", "::"})
        if self.beyond:
            self.names |= machine_names()

    def __contains__(self, host: object) -> bool:
        if not isinstance(host, str) or not host:
            return False
        host = host.lower().rstrip(".")
        return host in self.names or (self.beyond and is_local_address(host))


def machine_names() -> set[str]:
    """This machine's host name, its fully qualified name and its `.local` name."""
    host = socket.gethostname().lower()
    short = host.split(".")[0]
    names = {host, short, f"{short}.local", socket.getfqdn().lower()}
    return {name.rstrip(".") for name in names if name}


def is_local_address(host: str) -> bool:
    """Whether `host` is an IP address of one of this machine's interfaces.

    Only a local address can be bound, so a socket bound to it (on a free port) says so;
    names are never looked up.
    """
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if address.is_unspecified or address.is_multicast:
        return False
    try:
        family, kind, protocol, _, where = socket.getaddrinfo(
            host, 0, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)[0]
        with socket.socket(family, kind, protocol) as probe:
            probe.bind(where)
    except OSError:
        return False
    return True
