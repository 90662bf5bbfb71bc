"""The authority: the token endpoint (client_credentials, private_key_jwt, DPoP), JWKS, discovery."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse, Response

from ihr.helseid import TOKEN_PATH
from sandbox.authority import DISCOVERY_PATH, JWKS_PATH, AuthError
from sandbox.deps import AuthorityDep, json_response
from sandbox.guard import request_url

router = APIRouter(tags=["innlogging"])


@router.post(
    TOKEN_PATH,
    summary="Tilgangsbevis (client_credentials, private_key_jwt, DPoP)",
    responses={400: {"description": "Ugyldig forespørsel (OAuth-feil)"}, 401: {"description": "Ukjent klient"}},
)
async def token(
    request: Request, authority: AuthorityDep, dpop: Annotated[str | None, Header(alias="DPoP")] = None
) -> Response:
    form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))
    headers = {k.lower().encode("latin-1"): v.encode("latin-1") for k, v in request.headers.items()}
    try:
        body = authority.issue(form, dpop, request_url(request.scope, headers))
    except AuthError as exc:
        return JSONResponse(
            {"error": exc.error, "error_description": exc.detail},
            status_code=exc.status,
            headers={"Cache-Control": "no-store"},
        )
    return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


@router.get(JWKS_PATH, summary="Innloggingstjenestens offentlige nøkler (JWKS)")
def jwks(authority: AuthorityDep) -> Response:
    return json_response(authority.jwks())


@router.get(DISCOVERY_PATH, summary="OpenID-konfigurasjon")
def discovery(authority: AuthorityDep) -> Response:
    return json_response(authority.discovery())
