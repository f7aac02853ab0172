"""The SDK against the five running services.

npm test starts them and sets HOOKSTREAM_* for this run (and checks that this test ran rather than
skipped): create a subscription, publish an event, list deliveries, replay a dead letter, and verify
each delivery's signature as a receiver would.
"""

import base64
import json
import os
import secrets
import threading
import time
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from hookstream import ApiException, Hookstream, Webhook, WebhookVerificationError
from hookstream.models import EventsPublishRequest, SubscriptionsCreateRequest

ENV = ("HOOKSTREAM_API_KEY", "HOOKSTREAM_GATEWAY_URL", "HOOKSTREAM_REGISTRY_URL", "HOOKSTREAM_DLQ_URL")


def wait_for(what, probe, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value is not None:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.skipif(not all(os.environ.get(n) for n in ENV), reason="HOOKSTREAM_* name no running services")
def test_subscribes_publishes_lists_and_replays_a_dead_letter():
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
    webhook = Webhook(secret)
    received = []
    failures_left = [3]  # the first try and both retries fail: dead
    lock = threading.Lock()

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            try:
                webhook.verify(body, dict(self.headers.items()))
                verified = True
            except WebhookVerificationError:
                verified = False
            with lock:
                received.append((self.headers.get("webhook-id"), verified))
                status = 500 if failures_left[0] > 0 else 200
                failures_left[0] -= 1
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    hs = Hookstream(
        os.environ["HOOKSTREAM_API_KEY"],
        ingress_gateway=os.environ["HOOKSTREAM_GATEWAY_URL"],
        subscription_registry=os.environ["HOOKSTREAM_REGISTRY_URL"],
        dlq_inspector=os.environ["HOOKSTREAM_DLQ_URL"],
    )
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/python"
        sub = hs.subscriptions.subscriptions_create(SubscriptionsCreateRequest(url=url, event_types=["order.*"], secret=secret))

        # Published until the dispatcher's index knows the subscription; the id makes repeats safe.
        event_id = f"evt_python_{uuid.uuid4()}"
        event = EventsPublishRequest(id=event_id, type="order.placed", occurred_at=datetime.now(timezone.utc), data={"n": 1})

        def published():
            hs.with_retries(lambda key: hs.events.events_publish(event))
            return True if received else None

        wait_for("the first attempt at the receiver", published)
        dead = wait_for("the dead letter", lambda: next(iter(hs.dead_letters.dead_letters_list(subscription_id=sub.id).data), None))
        assert (dead.event_id, dead.event_type) == (event_id, "order.placed")
        deliveries = hs.deliveries.deliveries_list(subscription_id=sub.id).data
        assert [d.status for d in deliveries] == ["dead"]

        # One Idempotency-Key, two calls: the second is answered from the first, nothing sent twice.
        key = f"python-{dead.id}"
        replay = hs.with_retries(lambda k: hs.dead_letters.dead_letters_replay(dead.id, idempotency_key=k), idempotency_key=key)
        again = hs.dead_letters.dead_letters_replay(dead.id, idempotency_key=key)
        assert (replay.created, again.created, again.replay_id) == (True, False, replay.replay_id)

        redelivered = wait_for("the replayed delivery", lambda: received[3] if len(received) >= 4 else None)
        assert redelivered[0] == event_id
        assert all(verified for _, verified in received), received

        # An error is the API's own { code, message, details }.
        with pytest.raises(ApiException) as missing:
            hs.subscriptions.subscriptions_get(str(uuid.uuid4()))
        assert missing.value.status == 404
        assert json.loads(missing.value.body)["code"] == "not_found"
    finally:
        hs.close()
        server.shutdown()
