import base64

import pytest

from hookstream import Webhook, WebhookVerificationError

# The test vector the Standard Webhooks specification publishes.
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
HEADERS = {
    "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
    "webhook-timestamp": "1614265330",
    "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
}
BODY = b'{"test": 2432232314}'
THEN = 1614265330


def test_accepts_the_specifications_vector_with_headers_in_any_case():
    Webhook(SECRET).verify(BODY, HEADERS, now=THEN)
    Webhook(SECRET).verify(BODY, {k.upper(): v for k, v in HEADERS.items()}, now=THEN)


def test_accepts_any_of_several_signatures_as_during_a_rotation():
    both = dict(HEADERS, **{"webhook-signature": "v1,aW52YWxpZA== " + HEADERS["webhook-signature"]})
    Webhook(SECRET).verify(BODY, both, now=THEN)


@pytest.mark.parametrize(
    "body,headers",
    [
        (b'{"test": 2432232315}', HEADERS),
        (BODY, dict(HEADERS, **{"webhook-id": "msg_other"})),
        (BODY, dict(HEADERS, **{"webhook-signature": "v1,%%%"})),
        (BODY, dict(HEADERS, **{"webhook-signature": "v1a," + HEADERS["webhook-signature"][3:]})),
        (BODY, {"webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek"}),
        (BODY, dict(HEADERS, **{"webhook-timestamp": "soon"})),
    ],
)
def test_refuses_changed_or_malformed_deliveries(body, headers):
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(body, headers, now=THEN)


def test_refuses_a_stale_or_future_timestamp():
    for now in (THEN + 301, THEN - 301):
        with pytest.raises(WebhookVerificationError, match="outside the tolerance"):
            Webhook(SECRET).verify(BODY, HEADERS, now=now)
    # Against the wall clock the 2021 vector is stale.
    with pytest.raises(WebhookVerificationError, match="outside the tolerance"):
        Webhook(SECRET).verify(BODY, HEADERS)


def test_verifies_ed25519_signatures_with_a_whpk_public_key():
    ed25519 = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.ed25519")
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    key = ed25519.Ed25519PrivateKey.generate()
    public = "whpk_" + base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()
    content = f"{HEADERS['webhook-id']}.{HEADERS['webhook-timestamp']}.".encode() + BODY
    signed = dict(HEADERS, **{"webhook-signature": "v1a," + base64.b64encode(key.sign(content)).decode()})
    Webhook(public).verify(BODY, signed, now=THEN)
    with pytest.raises(WebhookVerificationError):
        Webhook(public).verify(b"{}", signed, now=THEN)
    with pytest.raises(WebhookVerificationError):
        Webhook(public).verify(BODY, HEADERS, now=THEN)  # an HMAC signature is no answer for a key


def test_refuses_a_key_that_is_neither_a_secret_nor_a_public_key():
    with pytest.raises(ValueError):
        Webhook("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    with pytest.raises(ValueError):
        Webhook("whpk_AAAA")
