"""Property-based run of schemathesis against the live OpenAPI schema of the app (in-process, ASGI).

Bounded: hypothesis' max_examples is 30 for read operations, 20 for /simulate, 12 for batch, variation
and explain; no deadline; derandomized (the same run each time). Schemathesis 4 also runs its
"examples" and "coverage" phases (schema examples, boundary and invalid values, wrong methods and
content types): about 2,100 requests in all, ~65 s. Checks: no 5xx, documented status codes and
content types, responses that match their schema. API of schemathesis 4.x
(`schemathesis.openapi.from_asgi`, `schema.include(...).parametrize()`).
"""

from __future__ import annotations

import os
import time

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from simulator.api import dependencies  # noqa: E402
from simulator.api.app import create_app  # noqa: E402
from simulator.api.settings import Settings  # noqa: E402
from simulator.engine import get_engine  # noqa: E402

os.environ.setdefault("SIMULATOR_WARMUP", "0")

ENGINE_BUDGET = 40.0  # seconds of real OpenFisca computation for the whole run


class BudgetedEngine:
    """The real engine until ENGINE_BUDGET seconds of simulation are spent, then the last real result
    repeated (same shape, the household's month). Schemathesis' coverage phase sends hundreds of valid
    variants of each example (≈1 s of OpenFisca each): the first ones go through the real engine, the
    rest still exercise validation, the HTTP layer and the response schema in a bounded time."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.spent = 0.0
        self.template = None
        self.last_run = None
        self.real_calls = 0

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def simulate(self, household):
        return self.simulate_many([household])[0]

    def simulate_many(self, households):
        households = list(households)
        if self.template is None or self.spent < ENGINE_BUDGET:
            started = time.monotonic()
            results = self.engine.simulate_many(households)
            self.spent += time.monotonic() - started
            self.real_calls += 1
            if results:
                self.template = results[0]
            return results
        return [self.template.model_copy(update={"mois": h.mois}) for h in households]

    def run(self, households):
        """For /explain (which traces a run of its own)."""
        if self.last_run is None or self.spent < ENGINE_BUDGET:
            started = time.monotonic()
            self.last_run = self.engine.run(households)
            self.spent += time.monotonic() - started
            self.real_calls += 1
        return self.last_run


ENGINE = BudgetedEngine(get_engine())
APP = create_app(Settings(timeout=60))
APP.dependency_overrides[dependencies.engine] = lambda: ENGINE
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)

CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Not checked: `negative_data_rejection`. Invalid data is generated and sent (and must not 5xx), but the
# Household model validates in pydantic's lax mode, which accepts what the JSON schema forbids
# (`"colocation": 0` as false, `"salaire_net": true` as 1.0): the engine's owner decides on strict mode.


BOUNDS = dict(deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))


@schema.include(method="GET").parametrize()
@settings(max_examples=30, **BOUNDS)
def test_read_operations_conform(case):
    case.call_and_validate(checks=CHECKS)


@schema.include(path="/api/v1/simulate").parametrize()
@settings(max_examples=20, **BOUNDS)
def test_simulate_conforms(case):
    case.call_and_validate(checks=CHECKS)


# Each valid example of these runs OpenFisca for one or more households (about a second each).
@schema.include(path_regex="^/api/v1/(simulate/batch|variation|explain/)").parametrize()
@settings(max_examples=12, **BOUNDS)
def test_costly_operations_conform(case):
    case.call_and_validate(checks=CHECKS)
