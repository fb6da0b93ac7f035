"""Sign in to the running app over HTTP, as a person would, and keep the session cookie.

Going through allauth's own forms (and its MFA step for staff) makes the session exactly what a
real sign-in makes: the signed-in and activity times of coprod.middleware, allauth's record of the
methods used (password, then TOTP), a rotated CSRF token. Only the transport differs: the
production settings make the cookies Secure and `__Host-` named and redirect plain HTTP, so the
client sends `X-Forwarded-Proto: https` as the TLS-terminating proxy would (the settings trust
that header, SECURE_PROXY_SSL_HEADER) and sends its cookies itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import http.client
import re
import struct
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from bench.pages import DEMO_PASSWORD, Account

HOST = "127.0.0.1"
# What the TLS-terminating proxy adds to every request in production.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')


class SignInError(RuntimeError):
    pass


def totp(secret: str, *, at: float | None = None, period: int = 30, digits: int = 6) -> str:
    """The current TOTP code for a base32 secret (RFC 6238, HMAC-SHA1, as allauth uses)."""
    counter = int((time.time() if at is None else at) // period)
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}}"


class Browser:
    """Just enough of a browser: cookies, CSRF tokens from forms, redirects followed by hand."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.origin = f"https://{HOST}:{port}"
        self.cookies: dict[str, str] = {}

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        """Status, Location header and body of one request."""
        headers = dict(PROXY_HEADERS)
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # Over HTTPS Django's CSRF check wants the origin the form came from.
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers.get("Location", ""), text

    def submit(self, path: str, fields: dict[str, str]) -> str:
        """Fetch the form at `path` and post it with `fields`; the redirect's target path."""
        status, _location, text = self.request("GET", path)
        token = CSRF_INPUT.search(text)
        if status != 200 or token is None:
            raise SignInError(f"GET {path}: {status}, expected 200 with a form")
        fields = {"csrfmiddlewaretoken": html.unescape(token.group(1)), **fields}
        status, location, text = self.request("POST", path, fields)
        if status != 302:
            errors = re.findall(r'class="govuk-error-message"[^>]*>(.*?)</', text, re.S)
            raise SignInError(f"POST {path}: {status}, expected a redirect. {errors}".strip())
        return urlsplit(location).path


def sign_in(port: int, account: Account, *, check_path: str) -> Browser:
    """A browser signed in as `account`; fails unless `check_path` then answers 200."""
    browser = Browser(port)
    landing = browser.submit(
        "/accounts/login/", {"login": account.email, "password": DEMO_PASSWORD}
    )
    if account.totp_secret:
        if landing != "/accounts/2fa/authenticate/":
            raise SignInError(f"{account.email}: expected the MFA step, went to {landing}")
        # allauth accepts only the current period's code: don't send one about to expire.
        left = 30 - time.time() % 30
        if left < 2:
            time.sleep(left + 0.1)
        browser.submit(landing, {"code": totp(account.totp_secret)})
    status, location, _text = browser.request("GET", check_path)
    if status != 200:
        raise SignInError(f"{account.email}: GET {check_path} after sign-in: {status} {location}")
    return browser
