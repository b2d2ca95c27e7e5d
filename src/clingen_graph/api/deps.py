"""FastAPI dependencies (STYLE §6.13): the app state, built once by ``create_app``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from .settings import Settings
from .state import AppState


# ``async``: FastAPI runs a plain ``def`` dependency in the thread pool, a thread hop per request for an
# attribute read (measurable on /genes at thousands of requests per second)
async def get_state(request: Request) -> AppState:
    return request.app.state.clingen


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


StateDep = Annotated[AppState, Depends(get_state)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
