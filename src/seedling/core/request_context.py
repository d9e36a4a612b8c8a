"""Who is asking and from where, for the access log, without passing the request everywhere."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    ip: str | None
    path: str


current_request: ContextVar[RequestInfo | None] = ContextVar("seedling_request", default=None)
