"""The Hookstream API for Python.

The client under ``hookstream._generated`` is generated from docs/openapi.json by openapi-generator
(``npm run sdks``) and never edited; this package adds only what the generator cannot: routing each
call to its service, retries with one Idempotency-Key, and Standard Webhooks verification.
"""

from hookstream._generated.exceptions import ApiException
from hookstream.client import Hookstream
from hookstream.retries import with_retries
from hookstream.webhooks import Webhook, WebhookVerificationError
from hookstream import models

__all__ = ["ApiException", "Hookstream", "Webhook", "WebhookVerificationError", "models", "with_retries"]
__version__ = "0.1.0"
