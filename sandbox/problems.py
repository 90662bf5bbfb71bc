"""Problem details (RFC 9457) for the sandbox: one exception, one response builder, handlers.

Every error the service returns is `application/problem+json` shaped as `ihr.models.Problem`
with a Norwegian `detail`. FastAPI's own 422 format is replaced by the same shape with field
paths in the `items[0].service_code` style, and anything unexpected becomes a 500 problem
(`sandbox.guard` logs it without the request path or the exception's message, since
either can carry a fødselsnummer).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ihr.models import FieldProblem, Problem

log = logging.getLogger("sandbox")

PROBLEM_JSON = "application/problem+json"

TITLES: dict[int, str] = {
    400: "Ugyldig forespørsel",
    401: "Ikke autentisert",
    403: "Ingen tilgang",
    404: "Finnes ikke",
    405: "Metoden er ikke tillatt",
    406: "Formatet støttes ikke",
    409: "Konflikt",
    412: "Endret av andre",
    413: "For stor forespørsel",
    415: "Innholdstypen støttes ikke",
    422: "Ugyldige data",
    428: "Versjon mangler",
    429: "For mange forespørsler",
    500: "Intern feil",
}

DEFAULT_DETAILS: dict[int, str] = {
    400: "Forespørselen kunne ikke leses.",
    401: "Mangler eller ugyldig tilgangsbevis.",
    403: "Du har ikke tilgang til dette.",
    404: "Ressursen finnes ikke.",
    405: "Metoden er ikke tillatt for denne adressen.",
    409: "Handlingen kan ikke utføres i nåværende tilstand.",
    413: "Forespørselen er for stor (mer enn 1 MB).",
    415: "Innholdstypen støttes ikke.",
    422: "Dataene er ugyldige.",
    500: "Det oppstod en uventet feil i tjenesten. Prøv igjen senere.",
}


class ProblemError(Exception):
    """Raise anywhere in the sandbox to answer with a problem (Norwegian `detail`)."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: Sequence[FieldProblem] = (),
        title: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = list(errors)
        self.title = title or TITLES.get(status, "Feil")
        self.headers = headers or {}

    def to_problem(self) -> Problem:
        return Problem(title=self.title, status=self.status, detail=self.detail, errors=self.errors)


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    errors: Iterable[FieldProblem] = (),
    title: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    problem = Problem(
        title=title or TITLES.get(status, "Feil"),
        status=status,
        detail=detail or DEFAULT_DETAILS.get(status, "Forespørselen kunne ikke behandles."),
        errors=list(errors),
    )
    return JSONResponse(
        problem.model_dump(mode="json"), status_code=status, media_type=PROBLEM_JSON, headers=headers
    )


def unprocessable(errors: Sequence[FieldProblem], detail: str | None = None) -> ProblemError:
    """A 422 problem for field errors; the detail names the first one when none is given."""
    if detail is None:
        detail = errors[0].detail if len(errors) == 1 else f"{len(errors)} felt er ugyldige."
    return ProblemError(422, detail, errors=errors)


# ---- pydantic / FastAPI validation errors -> field paths ---------------------------------

# Tags pydantic puts in `loc` for the members of a union or for validators: not field names.
_TAG = re.compile(r"^(bool|int|float|str|none|bytes|list\[.*\]|dict\[.*\]|tuple\[.*\]|set\[.*\]"
                  r"|literal\[.*\]|function-[a-z]+\[.*\]|json-or-python\[.*\]|lax-or-strict\[.*\]"
                  r"|is-instance\[.*\]|chain\[.*\]|nullable\[.*\]|union\[.*\]|.*-enum\[.*\])$")

_SOURCES = {"body", "query", "path", "header", "cookie"}


def loc_to_path(loc: Sequence[Any]) -> str:
    """("body", "items", 0, "service_code") -> "items[0].service_code"."""
    parts = list(loc)
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
    while parts and isinstance(parts[-1], str) and len(parts) > 1 and _TAG.match(parts[-1]):
        parts.pop()
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            text = str(part)
            if _TAG.match(text) and path:
                continue
            path = f"{path}.{text}" if path else text
    return path


def _norwegian(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    match kind:
        case "missing":
            return "Feltet mangler."
        case "extra_forbidden":
            return "Ukjent felt."
        case "string_type" | "string_unicode":
            return "Må være tekst."
        case "int_type" | "int_parsing" | "int_from_float":
            return "Må være et heltall."
        case "float_type" | "float_parsing" | "finite_number":
            return "Må være et tall."
        case "bool_type" | "bool_parsing":
            return "Må være ja eller nei (true/false)."
        case "list_type" | "tuple_type" | "set_type":
            return "Må være en liste."
        case "dict_type" | "model_type" | "model_attributes_type" | "dataclass_type":
            return "Må være et objekt."
        case "too_short":
            if "min_length" in ctx:
                return f"Må ha minst {ctx['min_length']} element."
            return "For kort."
        case "too_long":
            if "max_length" in ctx:
                return f"Kan ha høyst {ctx['max_length']} element."
            return "For lang."
        case "string_too_short":
            return f"Må ha minst {ctx.get('min_length', 1)} tegn."
        case "string_too_long":
            return f"Kan ha høyst {ctx.get('max_length')} tegn."
        case "literal_error" | "enum":
            expected = ctx.get("expected")
            return f"Ugyldig verdi. Tillatt: {expected}." if expected else "Ugyldig verdi."
        case "datetime_type" | "datetime_parsing" | "datetime_from_date_parsing":
            return "Må være et tidspunkt (ISO 8601)."
        case "date_type" | "date_parsing" | "date_from_datetime_parsing":
            return "Må være en dato (ÅÅÅÅ-MM-DD)."
        case "timezone_aware":
            return "Tidspunktet må ha tidssone."
        case "greater_than" | "greater_than_equal" | "less_than" | "less_than_equal":
            return "Verdien er utenfor tillatt område."
        case "json_invalid" | "json_type":
            return "Ugyldig JSON."
        case "xml_text":  # ihr.models.text: the message is already Norwegian
            return str(error.get("msg") or "Teksten inneholder tegn som ikke kan sendes.")
        case "string_pattern_mismatch":
            return "Har feil format."
        case _:
            return "Ugyldig verdi."


def validation_problems(raw_errors: Iterable[dict[str, Any]]) -> list[FieldProblem]:
    """FieldProblems (deduplicated by path) from pydantic's error dicts."""
    out: list[FieldProblem] = []
    seen: set[str] = set()
    for err in raw_errors:
        path = loc_to_path(err.get("loc", ()))
        if path in seen:
            continue
        seen.add(path)
        out.append(FieldProblem(path=path or "body", detail=_norwegian(err)))
    return out


# ---- handlers ----------------------------------------------------------------------------


async def _problem_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(exc.status, exc.detail, errors=exc.errors, title=exc.title, headers=exc.headers)


async def _validation_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    raw = list(exc.errors())
    if any(e.get("type") in ("json_invalid", "json_type") for e in raw):
        return problem_response(400, "Innholdet er ikke gyldig JSON.")
    errors = validation_problems(raw)
    detail = errors[0].detail if len(errors) == 1 else f"{len(errors)} felt er ugyldige."
    if len(errors) == 1:
        detail = f"{errors[0].path}: {errors[0].detail}"
    return problem_response(422, detail, errors=errors)


async def _http_exception_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    detail = DEFAULT_DETAILS.get(status)
    if detail is None:
        detail = "Forespørselen kunne ikke behandles."
    return problem_response(status, detail, headers=dict(exc.headers or {}))


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _problem_error_handler)
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(StarletteHTTPException, _http_exception_handler)
