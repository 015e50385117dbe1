"""What every web page shares: the templates, rendering, the answers carried in the page (`etat`), the
calculations (through the app's simulation pool, as the API's), and the home page with the static files.

Nothing is stored on the server and no cookie is set: every page after the first is the answer to a POST
that carries all the answers so far in one hidden field (`etat`, base64 of JSON), never in a URL. The
security headers (CSP, nosniff, no referrer) are set once for the whole app by
`simulator.api.middleware.SecurityHeaders`; pages add only `Cache-Control: no-store` (answers must not
stay in a shared computer's cache, GET pages included).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from simulator.api import dependencies
from simulator.api.coalesce import Coalescer
from simulator.api.errors import BUSY_STATE, FormRefused, ServiceBusy
from simulator.api.pool import SimulationPool
from simulator.engine import Engine
from simulator.french_dates import month_and_year
from simulator.household import Household
from simulator.results import SimulationResult
from simulator.territories import territories
from simulator.web.presentation import PERIODES, euros, montant_text

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.globals.update(euros=euros, montant_text=montant_text, PERIODES=PERIODES, territoires=territories,
                             mois_texte=lambda mois: month_and_year(mois[5:7], mois[:4]))  # "décembre 2026"
HOME_TITLE = "Simulateur de droits – les aides sociales auxquelles vous avez peut-être droit"
MAX_ETAT = 20_000  # characters: far more than any household needs
NO_STORE = {"Cache-Control": "no-store"}
T = TypeVar("T")
log = logging.getLogger(__name__)


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    response = templates.TemplateResponse(request, name, context, status_code=status)
    response.headers.update(NO_STORE)
    return response


# --- The answers carried by the page ----------------------------------------------------------------

def encode_state(state: dict[str, str]) -> str:
    raw = json.dumps(state, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_state(text: str | None) -> dict[str, str]:
    """The answers carried by the form; ValueError if they were altered beyond reading."""
    if not text:
        return {}
    if len(text) > MAX_ETAT:
        raise ValueError("état trop long")
    try:
        data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError("état illisible") from error
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise ValueError("état mal formé")
    return data


async def form_fields(request: Request) -> dict[str, list[str]]:
    """The form's text fields, every value of each name in order (files are read elsewhere)."""
    try:
        form = await request.form()
    except StarletteHTTPException as error:  # Starlette's field, file or part-size limit: its 400, in English
        if error.status_code == 400:
            raise FormRefused from None
        raise
    fields: dict[str, list[str]] = {}
    for name, value in form.multi_items():
        if isinstance(value, str):
            fields.setdefault(name, []).append(value)
    return fields


# --- Calculations --------------------------------------------------------------------------------------

@dataclass
class Calculator:
    """The engine and the app's simulation pool (time limit, queue limit), as the API uses them: a page's
    calculation raises `ServiceBusy` when the pool is full or too slow, `EngineRefusal` when the engine
    cannot compute the household."""

    engine: Engine
    pool: SimulationPool
    coalescer: Coalescer | None
    # The request's state (ASGI scope "state"): a busy pool is noted there, so that a page which turns it
    # into a 500 is answered 503 + Retry-After by `simulator.api.middleware.BusyPages`.
    state: dict[str, Any] | None = None

    async def simulate(self, household: Household) -> SimulationResult:
        if self.coalescer is None:
            return await self._busy_noted(self.pool.run(self.engine.simulate, household))
        return await self._busy_noted(self.coalescer.simulate(self.engine.simulate_many, household))

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        return await self._busy_noted(self.pool.run(function, *args))

    async def _busy_noted(self, calculation: Awaitable[T]) -> T:
        try:
            return await calculation
        except ServiceBusy as busy:
            log.warning("Simulateur occupé sur une page web (503, nouvel essai dans %s s)", busy.retry_after)
            if self.state is not None:
                self.state[BUSY_STATE] = busy
            raise


def calculator(request: Request, engine: Annotated[Engine, Depends(dependencies.engine)],
               pool: Annotated[SimulationPool, Depends(dependencies.pool)],
               coalescer: Annotated[Coalescer | None, Depends(dependencies.coalescer)]) -> Calculator:
    return Calculator(engine, pool, coalescer, request.scope.setdefault("state", {}))


Calculations = Annotated[Calculator, Depends(calculator)]


# --- Home page and static files ----------------------------------------------------------------------

router = APIRouter(include_in_schema=False)
router.mount("/static", StaticFiles(directory=str(HERE / "static")), name="web-static")


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    return render(request, "accueil.html", {"title": HOME_TITLE, "errors": []})


@router.get("/favicon.ico")
def favicon() -> Response:
    return RedirectResponse("/static/favicon.svg", status_code=301)
