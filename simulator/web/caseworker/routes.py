"""The caseworker mode's router: the page, its tools and its exports, all under `/accompagnement`."""

from __future__ import annotations

from fastapi import APIRouter

from simulator.web.caseworker import exports, page, tools

router = APIRouter(include_in_schema=False)
router.include_router(page.router)
router.include_router(tools.router)
router.include_router(exports.router)
