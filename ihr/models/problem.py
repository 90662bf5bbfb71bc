"""RFC 9457 problem details, as the IHR API returns them (application/problem+json)."""

from __future__ import annotations

from pydantic import Field

from ihr.models.catalog import Model


class FieldProblem(Model):
    path: str  # e.g. "items[2].service_code" or "answers.fasting"
    detail: str  # Norwegian


class Problem(Model):
    type: str = "about:blank"
    title: str
    status: int
    detail: str  # Norwegian, shown to the secretary
    errors: list[FieldProblem] = Field(default_factory=list)
