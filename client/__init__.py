"""The IHR API as Python sees it: async client, typed errors, catalog cache, offline outbox.

Imports `ihr` and httpx, never Textual and never `sandbox`.
"""

import sys

# httpx imports its own command-line client (click, pygments: about 0.1 s, a fifth of the
# app's start-up after the first screen) whenever it is imported; we never use it. A None
# in sys.modules makes that import fail, and httpx then leaves its CLI out by design.
if "httpx" not in sys.modules:
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

# The names below load with their module on first use (PEP 562), so `client.cache` and
# `client.peek` can be imported at start-up without pulling in pydantic and the models.
_EXPORTS = {
    "CatalogResult": "client.api",
    "IhrClient": "client.api",
    "SpecimenLookup": "client.api",
    "install_log_redaction": "client.api",
    "redact_url": "client.api",
    "CachedCatalog": "client.cache",
    "CatalogCache": "client.cache",
    "AccessRefused": "client.errors",
    "CertificateNotTrusted": "client.errors",
    "ClockWrong": "client.errors",
    "Conflict": "client.errors",
    "Forbidden": "client.errors",
    "IhrError": "client.errors",
    "NotFound": "client.errors",
    "NotSupported": "client.errors",
    "PayloadTooLarge": "client.errors",
    "ServiceUnavailable": "client.errors",
    "SignInExpired": "client.errors",
    "StaleEdit": "client.errors",
    "Unauthorized": "client.errors",
    "UnexpectedResponse": "client.errors",
    "ValidationProblem": "client.errors",
    "Outbox": "client.outbox",
    "PendingOrder": "client.outbox",
    "SubmitResult": "client.outbox",
    "submit_pending": "client.outbox",
}


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'client' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = [
    "AccessRefused",
    "CertificateNotTrusted",
    "ClockWrong",
    "CachedCatalog",
    "CatalogCache",
    "CatalogResult",
    "Conflict",
    "Forbidden",
    "IhrClient",
    "IhrError",
    "NotFound",
    "NotSupported",
    "Outbox",
    "PayloadTooLarge",
    "PendingOrder",
    "ServiceUnavailable",
    "SpecimenLookup",
    "SignInExpired",
    "StaleEdit",
    "SubmitResult",
    "Unauthorized",
    "UnexpectedResponse",
    "ValidationProblem",
    "install_log_redaction",
    "redact_url",
    "submit_pending",
]
