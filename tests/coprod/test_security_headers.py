"""Security headers: CSP with a nonce, framing, sniffing, referrer, HTTPS and HSTS."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from coprod.enums import Role
from tests.factories.core import make_user

pytestmark = pytest.mark.django_db


def csp_directives(response):
    return {
        name: values
        for name, _sep, values in (
            part.strip().partition(" ") for part in response["Content-Security-Policy"].split(";")
        )
    }


@pytest.fixture
def portal_page(client):
    client.force_login(make_user(roles=[Role.PWLE]))
    return client.get("/portal/")


def test_csp_script_nonce_matches_the_inline_script(portal_page):
    directives = csp_directives(portal_page)

    nonce = re.fullmatch(r"'self' 'nonce-([^']+)'", directives["script-src"])[1]
    scripts = re.findall(r"<script nonce=\"([^\"]*)\">", portal_page.content.decode())
    assert scripts == [nonce]


def test_csp_nonce_differs_between_responses(client):
    client.force_login(make_user(roles=[Role.PWLE]))

    first, second = client.get("/portal/"), client.get("/portal/")

    assert csp_directives(first)["script-src"] != csp_directives(second)["script-src"]


def test_csp_allows_only_own_resources_and_no_framing(portal_page):
    directives = csp_directives(portal_page)

    assert directives["default-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"


@pytest.mark.parametrize(
    ("signed_in", "path"),
    [(False, "/accounts/login/"), (True, "/portal/"), (False, "/healthz/")],
)
def test_every_response_has_the_basic_security_headers(client, signed_in, path):
    if signed_in:
        client.force_login(make_user(roles=[Role.PWLE]))

    response = client.get(path)

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.fixture
def production_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    return Client()


def test_http_is_redirected_to_https(production_https):
    response = production_https.get("/accounts/login/?next=/portal/")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/?next=/portal/"


def test_health_check_is_not_redirected_to_https(production_https):
    response = production_https.get("/healthz/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_hsts_on_secure_requests(production_https):
    response = production_https.get("/accounts/login/", secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_forwarded_https_from_the_proxy_counts_as_secure(production_https):
    response = production_https.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_no_hsts_on_plain_http(settings, client):
    settings.SECURE_HSTS_SECONDS = 31536000

    response = client.get("/accounts/login/")

    assert response.has_header("Strict-Transport-Security") is False
