"""Typed errors of the IHR client, each with a Norwegian `.message` for the secretary.

Every error the client raises is an `IhrError`. When the service answered with a problem
document (`application/problem+json`), `.problem` holds it and its Norwegian `detail` wins
over the generic text of the class. Messages never contain a fødselsnummer, a name or a URL.
"""

from __future__ import annotations

from typing import Any

from ihr.models import FieldProblem, Problem


class IhrError(Exception):
    """Base of every error the client raises."""

    default_message = "Noe gikk galt i samtalen med IHR-tjenesten."

    def __init__(
        self,
        message: str | None = None,
        *,
        problem: Problem | None = None,
        status: int | None = None,
    ) -> None:
        self.problem = problem
        self.status = status if status is not None else (problem.status if problem else None)
        detail = problem.detail.strip() if problem is not None and problem.detail else ""
        self.message: str = detail or message or self.default_message
        super().__init__(self.message)

    @property
    def field_errors(self) -> list[FieldProblem]:
        """The problem's field errors (path + Norwegian detail); empty when there are none."""
        return list(self.problem.errors) if self.problem is not None else []

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status!r}, message={self.message!r})"


class Unauthorized(IhrError):
    """401: the service refused the token or its proof (the sign-in expired)."""

    default_message = "Innloggingen mot IHR er utløpt. Start programmet på nytt."


SignInExpired = Unauthorized


class ClockWrong(Unauthorized):
    """The sign-in failed because this machine's clock is off (tokens are checked to the minute)."""

    default_message = "Klokken på denne maskinen går feil, så innloggingen mot IHR ble avvist. Rett klokken."

    @classmethod
    def by(cls, offset_s: float, *, status: int | None = None) -> ClockWrong:
        """The error for a service clock `offset_s` seconds ahead of ours (negative: behind)."""
        minutes = max(1, round(abs(offset_s) / 60))
        way = "etter" if offset_s > 0 else "foran"
        return cls(
            f"Klokken på denne maskinen går {minutes} min {way} IHR-tjenesten, så innloggingen ble avvist. "
            "Rett klokken (eller be IT om å gjøre det) og prøv igjen.",
            status=status,
        )


class AccessRefused(IhrError):
    """The authority refused the sign-in: unknown client, wrong key, or not for this office."""

    default_message = (
        "IHR nekter tilgang: programmet er ikke registrert for dette kontoret, eller nøkkelen stemmer ikke. "
        "Kontakt den som drifter programmet."
    )

    def __init__(self, message: str | None = None, *, status: int | None = None, detail: str = "") -> None:
        text = self.default_message + (f" ({detail.rstrip('.')}.)" if detail else "")
        super().__init__(message or text, status=status)


class Forbidden(IhrError):
    """403: e.g. changing another user's personal group, or a scope the sign-in lacks."""

    default_message = "Du har ikke tilgang til å gjøre dette."


class NotFound(IhrError):
    """404: no such patient, requester, group, order or specimen."""

    default_message = "Fant ikke det du ba om i IHR."


class ValidationProblem(IhrError):
    """400 or 422: the request was refused; `.field_errors` says where."""

    default_message = "Opplysningene er ikke gyldige. Rett feilene og prøv igjen."


class AlreadySaved(ValidationProblem):
    """422 on `POST /orders`: the idempotency key already made an order, with another body
    (the draft was saved before, e.g. in another session, and changed here since)."""

    default_message = (
        "Denne bestillingen er allerede lagret (trolig i en annen økt), med et annet innhold enn her. "
        "Den er ikke lagret på nytt. Se pasientens bestillinger."
    )


class Conflict(IhrError):
    """409: the service refused because of the order's state (add-on, cancel)."""

    default_message = "Handlingen kan ikke utføres slik bestillingen står nå."


class StaleEdit(Conflict):
    """412: someone changed the group (or other versioned thing) since this copy was fetched."""

    default_message = (
        "Noen andre har endret dette siden du hentet det, så endringen din ble ikke lagret. "
        "Se over det slik det er nå, og gjør endringen på nytt."
    )


class PayloadTooLarge(IhrError):
    """413: the request body is over the service's limit."""

    default_message = "Forespørselen er for stor til at IHR-tjenesten tar imot den."


class NotSupported(IhrError):
    """405/501: this IHR service does not offer the operation (e.g. correcting an order)."""

    default_message = "IHR-tjenesten støtter ikke denne handlingen."


class ServiceUnavailable(IhrError):
    """No answer: connection refused, timeout, dropped connection or a 5xx."""

    default_message = "Får ikke kontakt med IHR-tjenesten. Arbeidet ditt er ikke tapt."


class CertificateNotTrusted(ServiceUnavailable):
    """The service answered, but its TLS certificate is not one this machine trusts (expired,
    self-signed, another name): nothing was sent over that connection. Not retried."""

    default_message = (
        "IHR-tjenestens sertifikat er ikke klarert, så programmet sendte ingenting. "
        "Kontakt den som drifter programmet (sertifikat eller klokke)."
    )


def certificate_failure(exc: BaseException) -> bool:
    """Whether a transport error was a certificate the machine does not trust."""
    import ssl

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        seen = seen.__cause__ or seen.__context__
    return "CERTIFICATE_VERIFY_FAILED" in str(exc)


class UnexpectedResponse(IhrError):
    """The service answered, but not with what the contract promises."""

    default_message = "IHR-tjenesten svarte på en måte programmet ikke forstår."


_BY_STATUS: dict[int, type[IhrError]] = {
    400: ValidationProblem,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    405: NotSupported,
    409: Conflict,
    412: StaleEdit,
    413: PayloadTooLarge,
    422: ValidationProblem,
    501: NotSupported,
}


def error_class_for(status: int) -> type[IhrError]:
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if status >= 500 or status == 429:
        return ServiceUnavailable
    return IhrError


def problem_from_body(status: int, body: Any) -> Problem | None:
    """A `Problem` from a decoded JSON error body, leniently.

    Accepts the contract's problem document and, as a fallback, FastAPI's default
    `{"detail": [...]}` validation shape (its `loc` becomes the field path; its English
    `msg` is not shown, a generic Norwegian text is used instead).
    """
    if not isinstance(body, dict):
        return None
    detail = body.get("detail")
    errors: list[FieldProblem] = []
    raw_errors = body.get("errors")
    if isinstance(raw_errors, list):
        for err in raw_errors:
            if isinstance(err, dict) and isinstance(err.get("path"), str):
                errors.append(FieldProblem(path=err["path"], detail=str(err.get("detail") or "Ugyldig verdi")))
    if isinstance(detail, list):  # FastAPI's default RequestValidationError body
        for err in detail:
            if isinstance(err, dict) and isinstance(err.get("loc"), list):
                errors.append(FieldProblem(path=_loc_to_path(err["loc"]), detail="Ugyldig verdi"))
        detail = None
    title = body.get("title")
    raw_status = body.get("status")
    return Problem(
        type=str(body.get("type") or "about:blank"),
        title=str(title) if title else f"HTTP {status}",
        status=raw_status if isinstance(raw_status, int) else status,
        detail=detail if isinstance(detail, str) else "",
        errors=errors,
    )


def _loc_to_path(loc: list[Any]) -> str:
    parts = [p for p in loc if p not in ("body", "query", "path", "header")]
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += f".{p}" if out else str(p)
    return out
