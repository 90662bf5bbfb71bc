"""The IHR API as Python sees it: async client, typed errors, catalog cache, offline outbox.

Imports `ihr` and httpx, never Textual and never `sandbox`.
"""

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
