"""Retrying a call that is safe to repeat, with one Idempotency-Key across tries."""

from __future__ import annotations

import random
import time
import uuid
from typing import Callable, Mapping, Optional, TypeVar

import urllib3

from hookstream._generated.exceptions import ApiException

T = TypeVar("T")
MAX_WAIT_SECONDS = 60.0


def retryable(error: BaseException) -> bool:
    """A network failure, 408, 429 or 5xx; any other answer is final."""
    if isinstance(error, urllib3.exceptions.HTTPError):
        return True
    if isinstance(error, ApiException):
        status = error.status or 0
        return status in (0, 408, 429) or status >= 500
    return False


def delay(attempt: int, headers: Optional[Mapping[str, str]], base_delay: float) -> float:
    """Retry-After (capped at a minute) when the answer gave it; else exponential with full jitter."""
    for name, value in (headers or {}).items():
        if name.lower() == "retry-after":
            try:
                return min(max(float(int(value.strip())), 0.0), MAX_WAIT_SECONDS)
            except ValueError:
                break  # an HTTP date: back off instead
    ceiling = min(MAX_WAIT_SECONDS, base_delay * (2 ** min(attempt, 16)))
    # Full jitter: many clients retrying after one outage do not come back in step.
    return random.uniform(ceiling / 2, ceiling)


def with_retries(
    call: Callable[[str], T],
    idempotency_key: Optional[str] = None,
    max_retries: int = 3,
    base_delay: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Runs ``call(key)`` until it succeeds, sending the same Idempotency-Key on every try.

    Use it for calls that take an Idempotency-Key (the services act once per key), or for an event
    publish (its id is its idempotency key, so ``call`` may ignore the key).
    """
    key = idempotency_key or f"hs-{uuid.uuid4()}"
    attempt = 0
    while True:
        try:
            return call(key)
        except Exception as error:  # noqa: BLE001 - classified right below, re-raised when final
            if attempt >= max_retries or not retryable(error):
                raise
            headers = error.headers if isinstance(error, ApiException) else None
            sleep(delay(attempt, headers, base_delay))
            attempt += 1
