"""Holds the hand-written routing against the API document (docs/openapi.json)."""

import json
import pathlib
import re

import pytest

from hookstream import Hookstream

DOCUMENT = pathlib.Path(__file__).resolve().parents[3] / "docs" / "openapi.json"
URLS = {"ingressGateway": "http://gateway.test", "subscriptionRegistry": "http://registry.test", "dlqInspector": "http://dlq.test"}


def snake(tag):
    return re.sub(r"\s+", "_", tag.strip().lower())


def test_every_area_of_the_document_is_an_attribute_sending_each_operation_to_its_service():
    doc = json.loads(DOCUMENT.read_text())
    hs = Hookstream("hsk_test", ingress_gateway=URLS["ingressGateway"], subscription_registry=URLS["subscriptionRegistry"], dlq_inspector=URLS["dlqInspector"] + "/")
    seen = 0
    for path, ops in doc["paths"].items():
        for op in ops.values():
            api = getattr(hs, snake(op["tags"][0]))
            method = re.sub(r"(?<!^)(?=[A-Z])", "_", op["operationId"]).lower()
            assert callable(getattr(api, method)), op["operationId"]
            server = op["servers"][0]
            (variable,) = server["variables"]
            assert hs.api_client.resolve_host(server["url"]) == URLS[variable], path
            seen += 1
    assert seen >= 40


def test_refuses_a_service_url_that_is_not_http_and_a_service_it_was_not_given():
    with pytest.raises(ValueError, match="dlq_inspector"):
        Hookstream("hsk_test", ingress_gateway="http://a", subscription_registry="http://b", dlq_inspector="ftp://c")
    hs = Hookstream("hsk_test", ingress_gateway="http://a", subscription_registry="http://b", dlq_inspector="http://c")
    with pytest.raises(ValueError, match="consoleApi"):
        hs.api_client.resolve_host("{consoleApi}")
