"""The access log as the API shows it (`GET /audit`), and prints the client reports."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from ihr.models.catalog import Model


class AuditEntry(Model):
    """One access to a patient's data: when, by which office, health worker and client."""

    at: datetime
    office_her_id: str
    hpr: str  # the acting health worker
    client_id: str
    action: str  # e.g. "patient.read", "order.create", "labels.print"
    object: str | None = None  # the order or specimen id, when there is one
    requester_hpr: str | None = None  # the order's requesting doctor, for an order's actions


class AuditLog(Model):
    """`GET /audit?patient=`: one patient's accesses by the caller's office, oldest first."""

    patient_id: str
    entries: list[AuditEntry]
    chain_intact: bool  # the whole log's hash chain holds (no row edited or removed)
    # The log's head signed with the service's audit key (kept outside its database): a JWS
    # over {"count", "head", "at"}; keep it, and `ihr sandbox verify-log` checks a copy of
    # the log against it and every checkpoint before it.
    checkpoint: str | None = None


class PrintReport(Model):
    """`POST /orders/{id}/prints`: labels the client printed (the access log records it)."""

    specimen_ids: list[str] = Field(min_length=1, max_length=100)
    reprint: bool = False
