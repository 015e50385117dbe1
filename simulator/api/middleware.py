"""ASGI middlewares that guard every request before a router sees it.

Order, outermost first (see `app.create_app`): security headers, last-resort 500, CORS, rate limit,
body guard. They answer in French JSON on /api paths, and none of them logs a body, a query string or
a client address.
"""

from __future__ import annotations

import json
import logging
import math
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from fastapi import params
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import BaseRoute

from simulator.api.errors import BUSY_STATE, error_body, error_page, is_api
from simulator.api.settings import Settings

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
FORM_MEDIA = b"application/x-www-form-urlencoded"
STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
BRACKETS_AS_PARENS = bytes.maketrans(b"[{]}", b"(())")
NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))
# What may hold NaN, Infinity or a number too large: without it (in an ASCII body), no second parse.
SUSPECT_NUMBER = re.compile(rb"NaN|Infinity|[0-9]{16,}|[eE][+-]?[0-9]{3,}")
MAX_INT_DIGITS = 20


async def send_json(send: Send, status: int, body: dict, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    payload = json.dumps(body, ensure_ascii=False).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                    *(headers or [])],
    })
    await send({"type": "http.response.body", "body": payload})


async def send_error(send: Send, scope: Scope, status: int, message: str | None = None) -> None:
    """An error answered by a guard: French JSON under /api, the French error page elsewhere."""
    if is_api(scope.get("path", "")):
        await send_json(send, status, error_body(status, message))
        return
    payload = error_page(status)  # a person's words, not the API's (Content-Length, ko)
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(payload)).encode()),
                    (b"cache-control", b"no-store")],
    })
    await send({"type": "http.response.body", "body": payload})


def header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value
    return None


# --- Security headers ------------------------------------------------------------------------------

def content_security_policy(frame_ancestors: str, docs: bool = False) -> str:
    """Local assets only. The docs page needs inline styles (Swagger UI sets style attributes)."""
    style = "'self' 'unsafe-inline'" if docs else "'self'"
    return (f"default-src 'self'; script-src 'self'; style-src {style}; img-src 'self' data:; "
            f"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            f"frame-ancestors {frame_ancestors}")


class SecurityHeaders:
    """CSP, nosniff, no referrer on every response; `Cache-Control: no-store` on API answers and POSTs."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.csp = content_security_policy(settings.frame_ancestors).encode()
        self.docs_csp = content_security_policy(settings.frame_ancestors, docs=True).encode()
        self.frame_ancestors = settings.frame_ancestors.encode()

    def _with_frame_ancestors(self, policy: bytes) -> bytes:
        """Keep a route's own CSP, with the operator's frame-ancestors (partners embed the pages)."""
        directives = [d.strip() for d in policy.split(b";") if d.strip()]
        kept = [d for d in directives if not d.lower().startswith(b"frame-ancestors")]
        return b"; ".join([*kept, b"frame-ancestors " + self.frame_ancestors])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        csp = self.docs_csp if path == "/docs" else self.csp
        no_store = scope.get("method") != "GET" or is_api(path)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"set-cookie"]
                present = {k.lower() for k, _ in headers}
                if b"content-security-policy" in present:  # a page's own policy; embedding stays ours to set
                    headers = [(k, self._with_frame_ancestors(v) if k.lower() == b"content-security-policy" else v)
                               for k, v in headers]
                else:
                    headers.append((b"content-security-policy", csp))
                if b"x-content-type-options" not in present:
                    headers.append((b"x-content-type-options", b"nosniff"))
                if b"referrer-policy" not in present:
                    headers.append((b"referrer-policy", b"no-referrer"))
                if b"cache-control" not in present and no_store:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


# --- Last resort: a 500 without details, and without re-raising into the server's logs ----------------

class CatchAll:
    """Starlette re-raises unhandled errors after its 500 page, and uvicorn then logs the traceback, whose
    message may quote the input. Here the error is logged by type and path only, and swallowed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:  # noqa: BLE001 - the point of this middleware
            log.error("Erreur interne (%s) sur %s %s", type(exc).__name__, scope.get("method"), scope.get("path"))
            if not started:
                await send_json(send, 500, error_body(500, "Erreur interne du simulateur."))


# --- A busy pool on a web page: 503 + Retry-After, never a 500 -----------------------------------------

class BusyPages:
    """A web page whose calculation met a full or too slow pool (`ServiceBusy`, noted in the request's
    state by `simulator.web.common.Calculator`) and answered or raised a 500 gets the French 503 page with
    Retry-After instead. The API answers its own 503s (errors.py)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_api(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        replaced = started = False

        async def busy_send(message: Message) -> None:
            nonlocal replaced, started
            if message["type"] == "http.response.start":
                started = True
                busy = state.get(BUSY_STATE)
                if message["status"] == 500 and busy is not None:
                    replaced = True
                    await self._busy_page(send, busy)
                    return
            if replaced:
                return  # the 500 page's body
            await send(message)

        try:
            await self.app(scope, receive, busy_send)
        except Exception:
            busy = state.get(BUSY_STATE)
            if busy is None or started:
                raise
            await self._busy_page(send, busy)

    @staticmethod
    async def _busy_page(send: Send, busy: Any) -> None:
        payload = error_page(503, busy.message)
        await send({
            "type": "http.response.start",
            "status": 503,
            "headers": [(b"content-type", b"text/html; charset=utf-8"),
                        (b"content-length", str(len(payload)).encode()), (b"cache-control", b"no-store"),
                        (b"retry-after", str(busy.retry_after).encode())],
        })
        await send({"type": "http.response.body", "body": payload})


# --- Rate limit ------------------------------------------------------------------------------------

class TokenBuckets:
    """In-memory token bucket per client address: `rate` requests per minute, bursts of `burst`."""

    def __init__(self, per_minute: float, burst: int, max_clients: int = 10_000) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_clients = max_clients
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, client: str, now: float | None = None) -> float:
        """0 when the request may go; otherwise the seconds to wait for a token."""
        now = time.monotonic() if now is None else now
        tokens, last = self.buckets.pop(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / self.rate
        self.buckets[client] = (tokens, now)
        while len(self.buckets) > self.max_clients:
            self.buckets.popitem(last=False)  # the least recently seen client: forgotten
        return wait


class RateLimit:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.buckets = TokenBuckets(settings.rate_per_minute, settings.rate_burst) \
            if settings.rate_per_minute > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if self.buckets is None or scope["type"] != "http" or not path.startswith("/api/") \
                or path == "/api/v1/health" or scope.get("method") == "OPTIONS":
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("inconnu", 0))[0]
        wait = self.buckets.take(client)
        if wait > 0:
            await send_json(send, 429, error_body(429), [(b"retry-after", str(math.ceil(wait)).encode())])
            return
        await self.app(scope, receive, send)


# --- Body guard ------------------------------------------------------------------------------------

class BodyTooLarge(Exception):
    pass


def json_depth(body: bytes, limit: int | None = None) -> int:
    """Nesting depth of a JSON text, brackets inside strings ignored (no parsing, no recursion); counted up
    to `limit` + 1 at most.

    In C loops, not a Python loop over every bracket (4 s for a 1 MB body of empty objects): the brackets
    alone, as "(" and ")", lose their innermost pairs at each pass; the passes are the depth."""
    brackets = STRING.sub(b'""', body).translate(BRACKETS_AS_PARENS, NOT_BRACKETS)
    depth = 0
    while b"()" in brackets and (limit is None or depth <= limit):
        brackets = brackets.replace(b"()", b"")
        depth += 1
    return depth + brackets.count(b"(")  # unclosed ones ("[[[[…" never closed) count too


class _NumberRefused(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _NumberRefused("Les valeurs NaN et Infinity ne sont pas acceptées : un nombre fini est attendu.")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NumberRefused("Nombre trop grand.")
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _NumberRefused("Nombre trop grand.")
    return int(text)


def check_json_numbers(body: bytes) -> tuple[str, str] | None:
    """(error type, French message) when the JSON holds NaN, Infinity or a number too large
    (`nombre_invalide`) or is not UTF-8 (`encodage_invalide`); None otherwise (malformed JSON is left to
    FastAPI, which names the position)."""
    if body.isascii() and SUSPECT_NUMBER.search(body) is None:
        return None  # a 1 MB body parsed once more with hooks took ~0.8 s
    try:
        json.loads(body, parse_constant=_refuse_constant, parse_float=_finite_float, parse_int=_bounded_int)
    except _NumberRefused as refused:
        return "nombre_invalide", str(refused)
    except UnicodeDecodeError:
        return "encodage_invalide", "Le corps de la requête n'est pas en UTF-8 : enregistrez-le en UTF-8 et réessayez."
    except (ValueError, RecursionError):
        return None
    return None


def json_routes(routes: Iterable[BaseRoute]) -> tuple[re.Pattern[str], ...]:
    """The paths of the POST routes under /api/ whose body FastAPI reads as JSON (a pydantic model, not a
    form): their body must be JSON (415 otherwise) and is checked for depth and numbers. Read from the
    app's routes, so that a new endpoint is guarded without being listed anywhere."""
    return tuple(
        route.path_regex for route in iter_route_contexts(list(routes))  # included routers, prefixes applied
        if isinstance(route.original_route, APIRoute) and "POST" in (route.methods or ())
        and (route.path or "").startswith("/api/")
        and route.body_field is not None and not isinstance(route.body_field.field_info, params.Form)
    )


class BodyGuard:
    """Body size (Content-Length and streamed bytes), JSON content type, depth and numbers.

    Hand-written, not FastAPI's options (checked on FastAPI 0.165 / Starlette 1.10, the lock's):
    - `FastAPI(max_body_size=...)` wraps the app in Starlette's `RequestBodyLimitMiddleware`, outside our
      middlewares. It does count streamed (chunked) bytes, but its 413 is `PlainTextResponse("Content Too
      Large")`, in English, sent with the server's `send` (so without `SecurityHeaders`' CSP and nosniff),
      whenever the limit trips outside a route: for any Content-Length over the limit, and for any body
      read by a middleware, which this guard must do to check depth and numbers before FastAPI parses
      them. Only a body read inside a route reaches the exception handlers (as
      `{"detail": "Content Too Large"}`). Answering in French would mean catching Starlette's private
      `_RequestBodyTooLarge`; and a GET carrying a large Content-Length would become a 413.
    - `strict_content_type` only decides whether a body without Content-Type is parsed as JSON. A body
      of another type is never a 415: FastAPI hands the raw bytes to validation, a 422 "Un objet JSON est
      attendu", and `curl -d` (JSON labelled as a form, read as JSON here) would be refused.
    """

    def __init__(self, app: ASGIApp, settings: Settings, routes: Callable[[], Iterable[BaseRoute]]) -> None:
        self.app = app
        self.max_bytes = settings.max_body_bytes
        self.max_depth = settings.max_json_depth
        # Starlette builds its middlewares at the first message it receives (the lifespan's startup, or
        # the first request): every route is declared by then.
        self.json_routes = json_routes(routes())

    def is_json_route(self, path: str) -> bool:
        path = path.rstrip("/") or "/"  # "/api/v1/simulate/" is redirected, guarded all the same
        return any(pattern.match(path) for pattern in self.json_routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        json_route = self.is_json_route(path)
        length = header(scope, b"content-length")
        chunked = b"chunked" in (header(scope, b"transfer-encoding") or b"").lower()
        if length is not None:
            if not length.strip().isdigit():
                await send_error(send, scope, 400, "En-tête Content-Length invalide.")
                return
            if int(length) > self.max_bytes:
                await send_error(send, scope, 413, self._too_large())
                return
        has_body = chunked or (length is not None and int(length) > 0)
        media = (header(scope, b"content-type") or b"").split(b";")[0].strip().lower()
        json_media = media == b"application/json" or media.endswith(b"+json")
        # `curl -d @household.json` sends JSON labelled as a form: read as the JSON it is.
        curl_form = media == FORM_MEDIA
        if json_route and has_body and not (json_media or curl_form):
            await send_json(send, 415, error_body(415))
            return
        try:
            body = await self._read(receive)
        except BodyTooLarge:
            await send_error(send, scope, 413, self._too_large())
            return
        if json_route and body and curl_form:
            if not body.lstrip().startswith((b"{", b"[")):
                await send_json(send, 415, error_body(415))
                return
            scope = dict(scope, headers=[
                (name, b"application/json" if name.lower() == b"content-type" else value)
                for name, value in scope.get("headers", [])
            ])
        if json_route and body:
            if json_depth(body, self.max_depth) > self.max_depth:
                await send_json(send, 422, error_body(422, "Données invalides", [{
                    "champ": "$", "type": "profondeur",
                    "message": f"Le JSON est trop imbriqué (au plus {self.max_depth} niveaux)."}]))
                return
            problem = check_json_numbers(body)
            if problem is not None:
                kind, message = problem
                await send_json(send, 422, error_body(422, "Données invalides", [{
                    "champ": "$", "type": kind, "message": message}]))
                return
        await self.app(scope, self._replay(body, receive), send)

    def _too_large(self) -> str:
        return f"Requête trop volumineuse : le corps est limité à {self.max_bytes // 1000} ko."

    async def _read(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise BodyTooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    @staticmethod
    def _replay(body: bytes, receive: Receive) -> Receive:
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return replay
