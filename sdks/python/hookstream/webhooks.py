"""Verifying a delivery as Standard Webhooks defines it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Mapping, Optional

DEFAULT_TOLERANCE_SECONDS = 5 * 60


class WebhookVerificationError(Exception):
    """A delivery whose signature, timestamp or headers do not check out: answer 400 and drop it."""


class Webhook:
    """Checks ``webhook-signature`` against ``"<webhook-id>.<webhook-timestamp>.<raw body>"``.

    The header holds one or more space-separated signatures (several during a secret rotation), and
    one of them must match. A ``whsec_`` secret checks ``v1,`` (HMAC-SHA256); a ``whpk_`` public key
    checks ``v1a,`` (Ed25519, which needs the ``cryptography`` package). The timestamp must be within
    five minutes of now, so a captured delivery cannot be replayed later. Verify the raw bytes
    before parsing them.
    """

    def __init__(self, secret_or_public_key: str, tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS):
        self._tolerance = tolerance_seconds
        self._hmac_key: Optional[bytes] = None
        self._ed25519 = None
        if secret_or_public_key.startswith("whsec_"):
            self._hmac_key = base64.b64decode(secret_or_public_key[len("whsec_"):], validate=True)
        elif secret_or_public_key.startswith("whpk_"):
            raw = base64.b64decode(secret_or_public_key[len("whpk_"):], validate=True)
            if len(raw) != 32:
                raise ValueError("an ed25519 public key is 32 bytes")
            from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

            self._ed25519 = Ed25519PublicKey.from_public_bytes(raw)
        else:
            raise ValueError("a signing secret starts with whsec_, an ed25519 public key with whpk_")

    def verify(self, body: bytes, headers: Mapping[str, str], now: Optional[float] = None) -> None:
        """Raises WebhookVerificationError unless one signature matches; header names in any case."""
        lower = {k.lower(): v for k, v in headers.items()}
        msg_id = lower.get("webhook-id")
        timestamp = lower.get("webhook-timestamp")
        signature = lower.get("webhook-signature")
        if msg_id is None or timestamp is None or signature is None:
            raise WebhookVerificationError("missing webhook-id, webhook-timestamp or webhook-signature")
        try:
            seconds = int(timestamp)
        except ValueError:
            raise WebhookVerificationError("webhook-timestamp is not a number of seconds") from None
        if abs((time.time() if now is None else now) - seconds) > self._tolerance:
            raise WebhookVerificationError("webhook-timestamp is outside the tolerance")
        content = f"{msg_id}.{seconds}.".encode() + body
        version = "v1" if self._hmac_key is not None else "v1a"
        expected = hmac.new(self._hmac_key, content, hashlib.sha256).digest() if self._hmac_key is not None else None
        for candidate in signature.split():
            prefix, _, value = candidate.partition(",")
            if prefix != version:
                continue
            try:
                given = base64.b64decode(value, validate=True)
            except ValueError:
                continue
            if expected is not None:
                if hmac.compare_digest(expected, given):
                    return
            elif self._ed25519_verifies(content, given):
                return
        raise WebhookVerificationError("no signature matches")

    def _ed25519_verifies(self, content: bytes, signature: bytes) -> bool:
        from cryptography.exceptions import InvalidSignature

        try:
            self._ed25519.verify(signature, content)
            return True
        except InvalidSignature:
            return False
