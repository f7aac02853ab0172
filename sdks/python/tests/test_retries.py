import pytest
import urllib3

from hookstream import ApiException, with_retries
from hookstream.retries import delay, retryable


class Answer:
    """What urllib3 hands the generated client: a status and headers."""

    def __init__(self, status, headers=None):
        self.status = status
        self.reason = "test"
        self.data = b"{}"
        self._headers = headers or {}

    def getheaders(self):
        return self._headers


def answer(status, headers=None):
    return ApiException(http_resp=Answer(status, headers))


def test_sends_the_same_idempotency_key_on_every_try_until_one_succeeds():
    keys = []

    def call(key):
        keys.append(key)
        if len(keys) == 1:
            raise answer(503)
        if len(keys) == 2:
            raise urllib3.exceptions.ProtocolError("connection reset")
        return "done"

    assert with_retries(call, sleep=lambda s: None) == "done"
    assert len(keys) == 3 and len(set(keys)) == 1 and keys[0].startswith("hs-")


def test_stops_at_the_first_final_answer_and_after_max_retries():
    tries = []

    def not_found(key):
        tries.append(key)
        raise answer(404)

    with pytest.raises(ApiException) as e:
        with_retries(not_found, "k", max_retries=5, sleep=lambda s: None)
    assert e.value.status == 404 and tries == ["k"]

    tries.clear()

    def down(key):
        tries.append(key)
        raise answer(500)

    with pytest.raises(ApiException):
        with_retries(down, "k", max_retries=2, sleep=lambda s: None)
    assert tries == ["k", "k", "k"]


def test_waits_as_retry_after_says_capped_at_a_minute_and_otherwise_backs_off_with_jitter():
    waits = []
    calls = []

    def limited(key):
        calls.append(key)
        if len(calls) == 1:
            raise answer(429, {"Retry-After": "2"})
        return "ok"

    with_retries(limited, sleep=waits.append)
    assert waits == [2.0]
    assert delay(0, {"retry-after": "3600"}, 0.5) == 60.0
    for _ in range(50):
        assert 1.0 <= delay(2, None, 0.5) <= 2.0
    assert delay(40, {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.5) <= 60.0


def test_retries_network_failures_408_429_and_5xx_only():
    assert all(retryable(answer(s)) for s in (408, 429, 500, 502, 503, 504))
    assert retryable(urllib3.exceptions.NewConnectionError(None, "refused"))
    assert not any(retryable(answer(s)) for s in (400, 401, 403, 404, 409, 422))
    assert not retryable(ValueError("a bug"))
