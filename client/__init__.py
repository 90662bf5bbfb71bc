"""The IHR API as Python sees it: async client, typed errors, catalog cache, offline outbox.

Imports `ihr` and httpx, never Textual and never `sandbox`.
"""

import sys

# httpx imports its own command-line client (click, pygments: about 0.1 s, a fifth of the
# app's start-up after the first screen) whenever it is imported; we never use it. A None
# in sys.modules makes that import fail, and httpx then leaves its CLI out by design.
if "httpx" not in sys.modules:
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

from client.api import CatalogResult, IhrClient, SpecimenLookup, install_log_redaction, redact_url
from client.cache import CachedCatalog, CatalogCache
from client.errors import (
    Conflict,
    Forbidden,
    IhrError,
    NotFound,
    NotSupported,
    PayloadTooLarge,
    ServiceUnavailable,
    Unauthorized,
    UnexpectedResponse,
    ValidationProblem,
)
from client.outbox import Outbox, PendingOrder, SubmitResult, submit_pending

__all__ = [
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
    "SubmitResult",
    "Unauthorized",
    "UnexpectedResponse",
    "ValidationProblem",
    "install_log_redaction",
    "redact_url",
    "submit_pending",
]
