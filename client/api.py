"""`IhrClient`: the IHR API of docs/API.md as typed async Python.

One method per endpoint; bodies are the `ihr.models` pydantic models, serialised with
`model_dump(mode="json")`. Every failure is an `IhrError` with a Norwegian `.message`
(see `client.errors`).

Retries happen only where they are safe: GET requests, and `POST /orders`, which carries an
idempotency key (the service answers the same key with the same order). They are bounded
(`max_retries`, default 2, with a short exponential backoff) and only for connection
errors, timeouts, dropped connections and 502/503/504. No other POST, PUT or DELETE is
ever sent twice.

Sign-in: the client is built with an `httpx.Auth` (`client.auth.HelseIdAuth` from
`from_settings`), which gets HelseID-style DPoP-bound tokens with the private key named in
the settings, renews them before they expire and signs a proof for every request. Who acts
(office, health worker) is in the token; the service believes nothing else.

Privacy: the client's own log lines name the route template (`GET /patients/{id}`), never
the real path or query, and `install_log_redaction()` (run when a client is made) puts a
filter on the `httpx` logger, whose INFO line would otherwise print the full URL with a
fødselsnummer or a searched name in it.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import parse_qs, quote, urlsplit

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from client.cache import CachedCatalog, CatalogCache
from client.errors import (
    AlreadySaved,
    CertificateNotTrusted,
    IhrError,
    ServiceUnavailable,
    UnexpectedResponse,
    ValidationProblem,
    certificate_failure,
    error_class_for,
    problem_from_body,
)
from ihr.localtime import format_no
from ihr.models import (
    AddOnInput,
    AuditLog,
    CancelInput,
    Catalog,
    CollectionInput,
    Group,
    GroupInput,
    KithMessage,
    Order,
    OrderInput,
    OrderStatus,
    OrderSummary,
    Patient,
    PatientSearchResult,
    PrintReport,
    Requester,
    SpecimenLookup,
    StatusEvent,
)
from ihr.models.catalog import parse_catalog
from ihr.settings import Settings

log = logging.getLogger("ihr.client")

T = TypeVar("T")

RETRY_STATUSES = frozenset({502, 503, 504})
MAX_RETRY_AFTER_S = 2.0  # a Retry-After longer than this is not waited for


@dataclass(frozen=True)
class CatalogResult:
    """The catalog and where it came from.

    `from_cache` is True when the catalog was read from the disk cache: either the service
    confirmed it (304; `stale_reason` None) or the service did not answer (`stale_reason`
    says so in Norwegian, with the time of the copy). `as_of` is when the service last
    confirmed this copy.
    """

    catalog: Catalog
    from_cache: bool
    stale_reason: str | None = None
    etag: str | None = None
    as_of: datetime | None = None


# ---- log redaction ------------------------------------------------------------------

_FNR_LIKE = re.compile(r"(?<!\d)\d{11}(?!\d)")
_REDACTED_AFTER = ("patients", "requesters")
_redaction_installed = False


def redact_url(url: str | httpx.URL) -> str:
    """The URL with the query dropped and person identifiers in the path masked."""
    u = httpx.URL(str(url))
    segments = u.path.split("/")
    out: list[str] = []
    for i, seg in enumerate(segments):
        if i > 0 and segments[i - 1] in _REDACTED_AFTER and seg:
            out.append("***")
        else:
            out.append(_FNR_LIKE.sub("***", seg))
    redacted = u.copy_with(path="/".join(out), query=None, fragment=None)
    return str(redacted) + ("?***" if u.query else "")


class _RedactUrlFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(isinstance(a, httpx.URL) for a in record.args):
            record.args = tuple(redact_url(a) if isinstance(a, httpx.URL) else a for a in record.args)
        return True


def install_log_redaction() -> None:
    """Mask identifiers in the URLs the `httpx` logger prints (idempotent)."""
    global _redaction_installed
    if not _redaction_installed:
        logging.getLogger("httpx").addFilter(_RedactUrlFilter())
        _redaction_installed = True


# ---- helpers ------------------------------------------------------------------------


def format_local(at: datetime) -> str:
    """dd.mm.åååå tt:mm in Norwegian time."""
    return format_no(at)


def stale_reason(at: datetime) -> str:
    return f"IHR-tjenesten svarer ikke – viser katalogen fra {format_local(at)}"


def _seg(value: str) -> str:
    if not value:
        raise ValueError("empty path parameter")
    return quote(str(value), safe="")


def _if_match(version: str | None) -> dict[str, str] | None:
    return {"If-Match": version} if version else None


def _next_page(link: str) -> tuple[str, dict[str, list[str]]]:
    """The path (relative to the API base) and query of GET /orders' `rel="next"` link."""
    parts = urlsplit(link)
    if not parts.path.endswith("/orders"):
        raise UnexpectedResponse()
    return "orders", parse_qs(parts.query)


def _dump(model: BaseModel) -> Any:
    return model.model_dump(mode="json")


_adapters: dict[Any, TypeAdapter[Any]] = {}


def _adapter(tp: Any) -> TypeAdapter[Any]:
    ad = _adapters.get(tp)
    if ad is None:
        ad = _adapters[tp] = TypeAdapter(tp)
    return ad


def _retry_after(resp: httpx.Response) -> float | None:
    raw = resp.headers.get("Retry-After")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        return None


# ---- the client ---------------------------------------------------------------------


class IhrClient:
    """Async client of the IHR API. Use as `async with IhrClient.from_settings(s, user_hpr=...) as ihr:`.

    `auth` signs the requests (`HelseIdAuth`); None sends none (for a service that asks for
    nothing, as the tests' scripted servers do).
    """

    def __init__(
        self,
        base_url: str,
        auth: httpx.Auth | None,
        *,
        cache: CatalogCache | None = None,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
        max_retries: int = 2,
        backoff_s: float = 0.25,
        event_hooks: Mapping[str, list[Any]] | None = None,
    ) -> None:
        install_log_redaction()
        self.base_url = base_url.rstrip("/")
        self.cache = cache
        self.auth = auth
        self.max_retries = max(0, max_retries)
        self.backoff_s = backoff_s
        #: Called with the order each time the service answers a change to it (created,
        #: replaced, collected, sent, added to, cancelled): the app hands it back to the
        #: journal from there (`client.epj`). None: nobody listens.
        self.order_changed: Callable[[Order], None] | None = None
        self._http = httpx.AsyncClient(
            base_url=self.base_url + "/",
            auth=auth,
            headers={
                "Accept": "application/json, application/problem+json",
                "User-Agent": "ihr-client/0.1",
            },
            timeout=httpx.Timeout(timeout),
            transport=transport,
            event_hooks=dict(event_hooks) if event_hooks else None,
            follow_redirects=False,
        )

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        user_hpr: str,
        office_her_id: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> IhrClient:
        """A client for the configured service, signed in as the settings' client for the
        health worker `user_hpr` at `office_her_id` (default: the settings' office), with the
        catalog cache in the app's SQLite file. It signs in on its first request, unless
        the start-up peek has signed in for the same client already (`shared_session`).

        Raises `SettingsError` (Norwegian) when the client id is missing or the key file is
        missing, unreadable, readable by others or not a private key.
        """
        from client.auth import HelseIdAuth
        from client.signin import shared_session

        session = shared_session(settings, hpr=user_hpr, office_her_id=office_her_id)
        return cls(
            settings.api_url,
            HelseIdAuth(session),
            cache=CatalogCache(settings.db_path),
            timeout=settings.request_timeout_s,
            transport=transport,
        )

    @property
    def user_hpr(self) -> str | None:
        """The health worker the client is signed in for (None without sign-in)."""
        return getattr(self.auth, "hpr", None)

    @property
    def office_her_id(self) -> str | None:
        """The office the client is signed in for (None without sign-in)."""
        return getattr(self.auth, "office_her_id", None)

    # -- lifecycle --

    async def __aenter__(self) -> IhrClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def http(self) -> httpx.AsyncClient:
        """The underlying httpx client (for event hooks in tests)."""
        return self._http

    # -- transport with retries and error mapping --

    async def _request(
        self,
        method: str,
        path: str,
        *,
        route: str,
        retry: bool = False,
        params: Mapping[str, str | list[str]] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        ok: tuple[int, ...] = (200,),
    ) -> httpx.Response:
        attempts = 1 + (self.max_retries if retry else 0)
        label = f"{method} {route}"
        for attempt in range(attempts):
            last = attempt == attempts - 1
            started = time.monotonic()
            try:
                resp = await self._http.request(method, path.lstrip("/"), params=params, json=json, headers=headers)
            except httpx.TransportError as exc:
                if certificate_failure(exc):  # another try meets the same certificate
                    log.warning("%s: certificate not trusted", label)
                    raise CertificateNotTrusted() from exc
                if last:
                    log.warning("%s: no answer (%s), giving up", label, type(exc).__name__)
                    raise ServiceUnavailable() from exc
                delay = self._backoff(attempt)
                log.info("%s: no answer (%s), retrying in %.2f s", label, type(exc).__name__, delay)
                await asyncio.sleep(delay)
                continue
            except httpx.RequestError as exc:  # e.g. a body that does not decode: not worth a retry
                log.warning("%s: bad answer (%s)", label, type(exc).__name__)
                raise UnexpectedResponse() from exc
            elapsed_ms = (time.monotonic() - started) * 1000
            log.debug("%s -> %d (%.0f ms)", label, resp.status_code, elapsed_ms)
            if resp.status_code in RETRY_STATUSES and not last:
                delay = self._backoff(attempt)
                ra = _retry_after(resp)
                if ra is not None and ra <= MAX_RETRY_AFTER_S:
                    delay = max(delay, ra)
                log.info("%s: %d, retrying in %.2f s", label, resp.status_code, delay)
                await asyncio.sleep(delay)
                continue
            if resp.status_code in ok:
                return resp
            raise self._error(resp)
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int) -> float:
        return self.backoff_s * (2**attempt) * (1 + random.random() * 0.2)

    @staticmethod
    def _error(resp: httpx.Response) -> IhrError:
        status = resp.status_code
        problem = None
        try:
            problem = problem_from_body(status, resp.json())
        except ValueError:
            problem = None
        except ValidationError:
            problem = None
        cls = error_class_for(status)
        return cls(problem=problem, status=status)

    def _parse(self, resp: httpx.Response, tp: Any) -> Any:
        try:
            return _adapter(tp).validate_json(resp.content)
        except ValidationError as exc:
            log.warning("unexpected %s body (%d validation errors)", getattr(tp, "__name__", tp), exc.error_count())
            raise UnexpectedResponse(status=resp.status_code) from None

    def _check_actor(self, user_hpr: str | None, office_her_id: str | None) -> None:
        """The service takes the office and health worker from the token alone; a caller
        that names others is wrong about who is signed in (a programming error)."""
        for given, signed_in in ((user_hpr, self.user_hpr), (office_her_id, self.office_her_id)):
            if given and signed_in and given != signed_in:
                raise ValueError("the call names another health worker or office than the signed-in one")

    # -- catalog --

    async def get_catalog(self) -> CatalogResult:
        """The catalog: fresh, confirmed from the cache (304), or from the cache when IHR is down.

        Raises `ServiceUnavailable` when the service does not answer and nothing is cached.
        """
        source = self.base_url
        etag = await self._cache_call(self.cache.etag, source) if self.cache else None
        headers = {"If-None-Match": etag} if etag else None
        # Parse the cached copy while the request is in flight: a 304 (or no answer) is
        # the common case, and then the copy is ready as soon as the answer is.
        loading: asyncio.Future[Any] | None = None
        if self.cache is not None and etag:
            loading = asyncio.ensure_future(self._cache_call(self.cache.load, source))
        try:
            try:
                resp = await self._request(
                    "GET", "catalog", route="/catalog", retry=True, headers=headers, ok=(200, 304)
                )
            except ServiceUnavailable:
                if self.cache is not None and loading is None:
                    loading = asyncio.ensure_future(self._cache_call(self.cache.load, source))
                cached = await loading if loading is not None else None
                if cached is None:
                    raise
                log.warning("catalog: service unavailable, using the cached copy")
                return CatalogResult(
                    catalog=cached.catalog,
                    from_cache=True,
                    stale_reason=stale_reason(cached.validated_at),
                    etag=cached.etag,
                    as_of=cached.validated_at,
                )
            if resp.status_code == 304:
                cached = await loading if loading is not None else None
                if cached is not None and self.cache is not None:
                    at = await self._cache_call(self.cache.touch, source)
                    return CatalogResult(
                        catalog=cached.catalog, from_cache=True, etag=cached.etag, as_of=at or cached.validated_at
                    )
                # The cached copy is gone or unreadable: fetch it whole.
                resp = await self._request("GET", "catalog", route="/catalog", retry=True)
        finally:
            if loading is not None and not loading.done():
                loading.cancel()
        body = resp.content
        try:
            catalog = await asyncio.to_thread(parse_catalog, body)  # equal parts shared
        except ValidationError as exc:
            log.warning("unexpected catalog body (%d validation errors)", exc.error_count())
            raise UnexpectedResponse(status=resp.status_code) from None
        new_etag = resp.headers.get("ETag")
        at = None
        if self.cache is not None:
            at = await self._cache_call(self.cache.store, source, new_etag, body, catalog)
        return CatalogResult(catalog=catalog, from_cache=False, etag=new_etag, as_of=at)

    async def cached_catalog(self) -> CachedCatalog | None:
        """The disk copy alone, without asking the service (to open instantly); None if none."""
        if self.cache is None:
            return None
        return await self._cache_call(self.cache.load, self.base_url)

    async def _cache_call(self, fn: Any, *args: Any) -> Any:
        """Run a cache method in a thread; a broken cache file never breaks the catalog."""
        try:
            return await asyncio.to_thread(fn, *args)
        except (sqlite3.Error, OSError) as exc:
            log.warning("catalog cache: %s", type(exc).__name__)
            return None

    # -- people --

    async def get_patient(self, patient_id: str) -> Patient:
        resp = await self._request("GET", f"patients/{_seg(patient_id)}", route="/patients/{id}", retry=True)
        return self._parse(resp, Patient)

    async def search_patients(self, q: str) -> PatientSearchResult:
        resp = await self._request("GET", "patients", route="/patients?q=", retry=True, params={"q": q})
        return self._parse(resp, PatientSearchResult)

    async def list_requesters(self) -> list[Requester]:
        """The signed-in office's requesting doctors."""
        resp = await self._request("GET", "requesters", route="/requesters", retry=True)
        return self._parse(resp, list[Requester])

    async def get_requester(self, hpr: str) -> Requester:
        resp = await self._request("GET", f"requesters/{_seg(hpr)}", route="/requesters/{hpr}", retry=True)
        return self._parse(resp, Requester)

    # -- groups --

    async def list_groups(self, office: str | None = None, hpr: str | None = None) -> list[Group]:
        """Regional groups, the signed-in office's and the health worker's own."""
        self._check_actor(hpr, office)
        resp = await self._request("GET", "groups", route="/groups", retry=True)
        return self._parse(resp, list[Group])

    async def create_group(
        self, group: GroupInput, *, user_hpr: str | None = None, office_her_id: str | None = None
    ) -> Group:
        self._check_actor(user_hpr, office_her_id)
        resp = await self._request("POST", "groups", route="/groups", json=_dump(group), ok=(201, 200))
        return self._parse(resp, Group)

    async def update_group(
        self,
        group_id: str,
        group: GroupInput,
        *,
        version: str | None = None,
        user_hpr: str | None = None,
        office_her_id: str | None = None,
    ) -> Group:
        """Change a group from the `version` it was seen in (`ihr.rules.groups.version_tag`,
        sent as If-Match); `StaleEdit` when someone changed it in between."""
        self._check_actor(user_hpr, office_her_id)
        resp = await self._request(
            "PUT", f"groups/{_seg(group_id)}", route="/groups/{id}", json=_dump(group), headers=_if_match(version)
        )
        return self._parse(resp, Group)

    async def delete_group(
        self,
        group_id: str,
        *,
        version: str | None = None,
        user_hpr: str | None = None,
        office_her_id: str | None = None,
    ) -> None:
        """Delete the group as it was seen (`version`, as for `update_group`)."""
        self._check_actor(user_hpr, office_her_id)
        await self._request(
            "DELETE", f"groups/{_seg(group_id)}", route="/groups/{id}", ok=(204, 200), headers=_if_match(version)
        )

    # -- orders --

    async def create_order(self, order: OrderInput, idempotency_key: str) -> Order:
        """Create an order; retried on failure with the same key, so never made twice.

        201 (new) and 200 (the key was already used with this body) both give the order.
        """
        made, _ = await self.create_or_find_order(order, idempotency_key)
        return made

    async def create_or_find_order(self, order: OrderInput, idempotency_key: str) -> tuple[Order, bool]:
        """`create_order`, and whether the service made the order now (201) or already held
        one under this key with this body (200: saved before, by another session or by an
        attempt whose answer was lost). `AlreadySaved` when the key made an order with
        another body."""
        if not idempotency_key:
            raise ValueError("create_order needs an idempotency key")
        try:
            resp = await self._request(
                "POST",
                "orders",
                route="/orders",
                retry=True,
                json=_dump(order),
                headers={"Idempotency-Key": idempotency_key},
                ok=(201, 200),
            )
        except ValidationProblem as exc:
            if exc.status == 422 and any(p.path == "Idempotency-Key" for p in exc.field_errors):
                raise AlreadySaved(status=422) from None
            raise
        return self._changed(self._parse(resp, Order)), resp.status_code == 201

    async def list_orders(
        self,
        patient: str | None = None,
        since: datetime | date | str | None = None,
        status: OrderStatus | str | Iterable[OrderStatus | str] | None = None,
    ) -> list[OrderSummary]:
        """Orders, newest first, every page of them; `status` may be one status or several
        (sent as repeated `status=`)."""
        params: dict[str, str | list[str]] = {}
        if patient:
            params["patient"] = patient
        if since is not None:
            params["since"] = since if isinstance(since, str) else since.isoformat()
        if status is not None:
            many = [status] if isinstance(status, str) else list(status)  # an OrderStatus is a str
            params["status"] = [str(s.value if isinstance(s, OrderStatus) else s) for s in many]
        found: list[OrderSummary] = []
        path = "orders"
        while True:  # the service pages the list: follow `Link: <...>; rel="next"` to its end
            resp = await self._request("GET", path, route="/orders", retry=True, params=params)
            found += self._parse(resp, list[OrderSummary])
            following = resp.links.get("next", {}).get("url")
            if not following:
                return found
            path, more = _next_page(following)
            params = {**params, **more}  # the link leaves out `patient`: ours goes again

    async def get_order(self, order_id: str) -> Order:
        resp = await self._request("GET", f"orders/{_seg(order_id)}", route="/orders/{id}", retry=True)
        return self._parse(resp, Order)

    async def update_order(self, order_id: str, order: OrderInput) -> Order:
        """Correct an order (e.g. after a rejection): `PUT /orders/{id}`.

        Not in docs/API.md yet; raises `NotSupported` when the service does not offer it.
        """
        resp = await self._request("PUT", f"orders/{_seg(order_id)}", route="/orders/{id}", json=_dump(order))
        return self._changed(self._parse(resp, Order))

    async def register_collection(self, order_id: str, collection: CollectionInput) -> Order:
        resp = await self._request(
            "POST", f"orders/{_seg(order_id)}/collection", route="/orders/{id}/collection", json=_dump(collection)
        )
        return self._changed(self._parse(resp, Order))

    async def send_order(self, order_id: str) -> Order:
        resp = await self._request(
            "POST", f"orders/{_seg(order_id)}/send", route="/orders/{id}/send", ok=(202, 200)
        )
        return self._changed(self._parse(resp, Order))

    async def add_on(self, order_id: str, addon: AddOnInput) -> Order:
        resp = await self._request(
            "POST", f"orders/{_seg(order_id)}/addons", route="/orders/{id}/addons", json=_dump(addon), ok=(200, 201)
        )
        return self._changed(self._parse(resp, Order))

    async def cancel(self, order_id: str, cancel: CancelInput) -> Order:
        resp = await self._request(
            "POST", f"orders/{_seg(order_id)}/cancel", route="/orders/{id}/cancel", json=_dump(cancel)
        )
        return self._changed(self._parse(resp, Order))

    def _changed(self, order: Order) -> Order:
        if self.order_changed is not None:
            self.order_changed(order)
        return order

    async def post_fhir_bundle(self, url: str, bundle: bytes) -> None:
        """POST a FHIR transaction Bundle to another service's FHIR endpoint (the journal's,
        `client.epj`), signed in as to IHR: the same token, a DPoP proof for that URL."""
        import json

        await self._request(
            "POST", url, route="POST {epj_return_url}", json=json.loads(bundle),
            headers={"Content-Type": "application/fhir+json", "Accept": "application/fhir+json, application/json"},
            ok=(200, 201),
        )

    async def get_events(self, order_id: str) -> list[StatusEvent]:
        resp = await self._request(
            "GET", f"orders/{_seg(order_id)}/events", route="/orders/{id}/events", retry=True
        )
        return self._parse(resp, list[StatusEvent])

    async def get_messages(self, order_id: str) -> list[KithMessage]:
        resp = await self._request(
            "GET", f"orders/{_seg(order_id)}/messages", route="/orders/{id}/messages", retry=True
        )
        return self._parse(resp, list[KithMessage])

    async def report_prints(self, order_id: str, specimen_ids: list[str], *, reprint: bool = False) -> None:
        """Tell the service which labels were printed (the access log records prints)."""
        report = PrintReport(specimen_ids=specimen_ids, reprint=reprint)
        await self._request(
            "POST", f"orders/{_seg(order_id)}/prints", route="/orders/{id}/prints", json=_dump(report), ok=(204, 200)
        )

    async def get_audit(self, patient_id: str) -> AuditLog:
        """One patient's access log for the signed-in office (needs the audit scope)."""
        resp = await self._request("GET", "audit", route="/audit?patient=", retry=True, params={"patient": patient_id})
        return self._parse(resp, AuditLog)

    # -- specimens --

    async def lookup_specimen(self, barcode: str) -> SpecimenLookup:
        """What a scanned label belongs to. Wrong check digit: `ValidationProblem` (400)."""
        resp = await self._request(
            "GET", f"specimens/{_seg(barcode.strip())}", route="/specimens/{barcode}", retry=True
        )
        return self._parse(resp, SpecimenLookup)
