"""Limits and switches of the API, read from environment variables once per app.

Every limit has a default fit for a small public service; operators change them without code, with
`SIMULATOR_<NAME>` variables (docs/api.md lists them). pydantic-settings reads and checks them: a value
that is not a number where a number is expected stops the start with a French message naming the
variable (`InvalidSettings`; `simulator serve` prints it and exits with status 2) instead of a traceback.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict

MAX_BATCH = 1000  # households per /simulate/batch call (variation steps: simulator.variation)
PREFIX = "SIMULATOR_"
COALESCE_MS = PREFIX + "COALESCE_MS"


def _env(name: str) -> Any:
    """A setting whose variable is not `SIMULATOR_<its name>`: read from `SIMULATOR_<name>` (arguments
    still use the setting's name)."""
    return Field(validation_alias=PREFIX + name)


class InvalidSettings(ValueError):
    """An environment variable the API cannot read: the message names it, in French."""


class _Environment(EnvSettingsSource):
    """The environment, read by pydantic-settings, with two exceptions: a setting whose variable has another
    name is read from that variable only (not also from `SIMULATOR_<setting>`, which arguments by name
    would otherwise allow), and `SIMULATOR_COALESCE_MS` is in milliseconds (the setting in seconds)."""

    def __call__(self) -> dict[str, Any]:
        data = super().__call__()
        for name, info in self.settings_cls.model_fields.items():
            if isinstance(info.validation_alias, str):
                data.pop(name, None)
        window = data.get(COALESCE_MS)
        if isinstance(window, str):
            try:
                data[COALESCE_MS] = float(window) / 1000
            except ValueError:
                pass  # refused by validation, with the variable's name
        return data


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=PREFIX, env_ignore_empty=True, frozen=True, populate_by_name=True, extra="forbid")

    # Request bodies: bytes and JSON nesting depth.
    max_body_bytes: int = 1_000_000
    max_json_depth: int = 16
    # Simulations: time limit per request (seconds), simulations running at once, requests waiting.
    timeout: float = 30.0
    max_concurrent: int = 2
    max_waiting: int = 64
    # Estimated cost per request (households × people × (1 + births in the history) × variation steps,
    # simulator.api.cost): beyond it, a 422 before any computation.
    max_cost: int = 20_000
    # Concurrent /simulate requests computed together: wait (seconds; the variable SIMULATOR_COALESCE_MS
    # is in milliseconds) before the first run, batch size (SIMULATOR_COALESCE_MAX).
    coalesce_window: Annotated[float, Field(validation_alias=COALESCE_MS)] = 0.005
    coalesce_max_batch: Annotated[int, _env("COALESCE_MAX")] = 64
    # Rate limit per client address: requests per minute (0 = off; SIMULATOR_RATE_LIMIT) and burst size.
    rate_per_minute: Annotated[float, _env("RATE_LIMIT")] = 0.0
    rate_burst: int = 20
    # Who may embed the pages (CSP frame-ancestors) and call the API from a browser (CORS, the variable
    # comma-separated).
    frame_ancestors: str = "'self'"
    cors_origins: Annotated[tuple[str, ...], NoDecode] = ("*",)

    @field_validator("max_concurrent", "coalesce_max_batch", "rate_burst", "max_cost")
    @classmethod
    def _at_least_one(cls, value: int) -> int:
        return max(1, value)

    @field_validator("max_waiting")
    @classmethod
    def _not_negative(cls, value: int) -> int:
        return max(0, value)

    @field_validator("frame_ancestors")
    @classmethod
    def _frame_ancestors(cls, value: str) -> str:
        return value.strip() or "'self'"

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(origin.strip() for origin in value.split(",") if origin.strip())
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments first, then the environment; no .env file, no secrets folder."""
        return init_settings, _Environment(settings_cls)

    @classmethod
    def from_env(cls) -> Settings:
        """The settings of the environment, or `InvalidSettings` naming each variable that is wrong."""
        try:
            return cls()
        except ValidationError as error:
            raise InvalidSettings(_french(error)) from None


def variable_name(key: str) -> str:
    """The environment variable that sets a field, from the field's name or its variable's name."""
    for name, info in Settings.model_fields.items():
        variable = info.validation_alias if isinstance(info.validation_alias, str) else PREFIX + name
        if key.lower() in (name, variable.lower()):
            return variable.upper()
    return key.upper()


def _french(error: ValidationError) -> str:
    from simulator.api.errors import french_message

    lines = []
    for line in error.errors():
        name = variable_name(str(line["loc"][0])) if line["loc"] else "?"
        lines.append(f"{name} = « {line.get('input')} » : {french_message(line)}")
    return "Configuration invalide (variables d'environnement) :\n" + "\n".join(f"- {line}" for line in lines)
