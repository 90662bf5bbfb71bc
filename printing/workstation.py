"""Which printer this session prints on, on a shared terminal server: `printer_for_session`.

The site maps workstations to printers in config.toml:

    printer_url = "terminal:"                       # everyone else: the printer at her client
    [workstation_printers]
    "10.0.4.21"     = "tcp://10.0.4.50:9100"        # the SSH client's address
    "10.0.5.0/24"   = "cups://Zebra_lab"            # ... or its network
    "resepsjon-2"   = "terminal:?dsr=off"           # a name: IHR_WORKSTATION, or the host name

A session is identified, in this order, by the name in `IHR_WORKSTATION` (set by the thin
client and passed on by sshd `AcceptEnv`, or by the login script), the SSH client's address
(`SSH_CONNECTION`, else `SSH_CLIENT`, as sshd sets them), and the name of the host `ihr`
runs on (a workstation that runs `ihr` itself). An exact entry beats a network; among
networks the narrowest wins. Without a match: `printer_url`, the user's (or the site's)
printer. Pure: the environment and the host name are arguments.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

WORKSTATION_VARIABLE = "IHR_WORKSTATION"


@dataclass(frozen=True, slots=True)
class PrinterChoice:
    url: str
    workstation: str | None  # the key of the mapping that matched, None for printer_url
    why: str  # Norwegian: where the choice came from, for the review and `ihr printer`


def ssh_client_address(environ: Mapping[str, str]) -> str | None:
    """The SSH client's IP address, from SSH_CONNECTION or SSH_CLIENT; None outside SSH."""
    for name in ("SSH_CONNECTION", "SSH_CLIENT"):
        words = environ.get(name, "").split()
        if words:
            try:
                return str(ipaddress.ip_address(words[0].split("%")[0]))
            except ValueError:
                continue
    return None


def printer_for_session(
    printer_url: str,
    workstation_printers: Mapping[str, str],
    environ: Mapping[str, str],
    hostname: str = "",
    origin: str | None = None,
) -> PrinterChoice:
    """The printer for this session (see the module docstring for the rules); `origin` is
    where `printer_url` came from (`ihr.settings.Settings.origin`), for the choice's `why`."""
    names = {key.strip().lower(): key for key in workstation_printers}
    name = environ.get(WORKSTATION_VARIABLE, "").strip()
    if name and name.lower() in names:
        key = names[name.lower()]
        return PrinterChoice(workstation_printers[key], key, f"arbeidsstasjonen {name}")
    address = ssh_client_address(environ)
    if address is not None:
        nearest = _by_address(ipaddress.ip_address(address), workstation_printers)
        if nearest is not None:
            return PrinterChoice(workstation_printers[nearest], nearest, f"arbeidsstasjonen på {address}")
    host = hostname.strip()
    if host and host.lower() in names:
        key = names[host.lower()]
        return PrinterChoice(workstation_printers[key], key, f"maskinen {host}")
    return PrinterChoice(printer_url, None, printer_url_why(origin))


def printer_url_why(origin: str | None) -> str:
    """Why `printer_url` was chosen, in Norwegian: the variable or file that set it, or
    the default (a folder in the data dir)."""
    if origin == "standard":
        return "standardinnstillingen (mappen etiketter i datamappen)"
    return origin or "innstillingen printer_url"


def _by_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address,
                mapping: Mapping[str, str]) -> str | None:
    best: tuple[int, str] | None = None
    for key in mapping:
        try:
            network = ipaddress.ip_network(key.strip(), strict=False)
        except ValueError:
            continue  # a name, not an address
        if address in network and (best is None or network.prefixlen > best[0]):
            best = (network.prefixlen, key)
    return best[1] if best else None


def describe_printer(url: str) -> str:
    """A short Norwegian name for the key bar or the review: which printer a job goes to."""
    lowered = url.lower()
    if lowered.startswith("terminal:"):
        return "skriveren ved arbeidsstasjonen"
    parts = urlsplit(url)
    if lowered.startswith("tcp://"):
        return f"etikettskriver {parts.hostname or url}"
    if lowered.startswith("cups://"):
        return f"utskriftskø {(parts.netloc or parts.path).strip('/')}"
    if lowered.startswith("file://"):  # the folder's name only: the path is long and says little
        folder = url[len("file://"):].rstrip("/").rsplit("/", 1)[-1]
        return f"filskriveren (mappen {folder})"
    return url
