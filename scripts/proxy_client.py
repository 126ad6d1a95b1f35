"""A cookie-keeping HTTP client for scripts that drive a running vrhub through its front door.

It says each request came through the HTTPS proxy (X-Forwarded-Proto), as nginx does in production,
keeps the session cookies, and signs in with the CSRF token of the login page. Used by the production
smoke test (scripts/smoke_production.py) and the fault runs (benchmarks/faults/faults.py).
"""

import http.client
import re
import urllib.parse
import uuid
from collections.abc import Callable

CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(page: bytes | str) -> str:
    """The CSRF token of a form page, or "" when the page has none."""
    m = CSRF_FIELD.search(page.encode() if isinstance(page, str) else page)
    return m.group(1).decode() if m else ""


class ProxyClient:
    def __init__(self, base_url: str, *, timeout: float = 60) -> None:
        self.host = urllib.parse.urlsplit(base_url).netloc
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        fields: dict | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """One request; ``fields`` as a form, with ``files`` ({field: (name, data, type)}) as multipart."""
        conn = http.client.HTTPConnection(self.host, timeout=self.timeout)
        h = {"X-Forwarded-Proto": "https"} | (headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body: bytes | str | None = None
        if files:
            boundary = uuid.uuid4().hex
            parts = [
                f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                for k, v in (fields or {}).items()
            ]
            for k, (name, data, ctype) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{name}"\r\n'
                    f"Content-Type: {ctype}\r\n\r\n".encode()
                    + data
                    + b"\r\n"
                )
            parts.append(f"--{boundary}--\r\n".encode())
            body = b"".join(parts)
            h["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif fields is not None:
            body = urllib.parse.urlencode(fields)
            h["Content-Type"] = "application/x-www-form-urlencoded"
        if method == "POST":
            h["Referer"] = f"https://{self.host}{path}"
        conn.request(method, path, body=body, headers=h)
        resp = conn.getresponse()
        content = resp.read()
        for name, value in resp.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        conn.close()
        return resp.status, dict(resp.getheaders()), content

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", path)

    def sign_in(self, username: str, password: str, *, second_factor: Callable[[], str] | None = None) -> str:
        """Sign in (and answer the second-factor page with ``second_factor()`` if asked); the next location."""
        status, _, page = self.get("/accounts/login/")
        assert status == 200, f"login page answered {status}"
        status, headers, _ = self.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": csrf_token(page), "username": username, "password": password},
        )
        assert status == 302, f"sign-in as {username} answered {status}"
        location = headers.get("Location", "")
        if "two-factor" in location:
            assert second_factor is not None, f"{username} was asked for a second factor"
            _, _, page = self.get(location)
            status, headers, _ = self.request(
                "POST", location, {"csrfmiddlewaretoken": csrf_token(page), "code": second_factor()}
            )
            assert status == 302 and "two-factor" not in headers.get("Location", ""), f"second factor refused: {status}"
        assert "sessionid" in self.cookies, f"no session cookie after signing in as {username}"
        return location
