"""Locust load test of vrhub under gunicorn with the production settings (issue 9).

Run by benchmarks/load/run_load.sh, which builds the database and the server. Environment:
  VRHUB_SETUP    setup.json written by benchmarks/load/setup_data.py (users, plans, token, queries)
  VRHUB_SAMPLES  CSV file to write every request to: time, name, response ms, ok (for exact percentiles)
  VRHUB_SAVES    JSON-lines file to write every quarterly-update save attempt to, with its outcome
  VRHUB_WAIT     think time between tasks, "MIN,MAX" seconds (default 1,5)
  VRHUB_REVIEWERS  how many of the users are VRU reviewers (default 10); run with -u PEOPLE+1 (the probe)

Two kinds of people, each signing in once (on start) with the demo password, and a probe:
- BoroughEditor (all but the reviewers; 40 of 50): their plan page and theme pages, the
  quarterly-update page of Q1's GOV theme and saving it back with one action's progress changed
  (hidden version fields carried as loaded, so concurrent editors of the same borough meet the
  optimistic lock), and evidence trends.
- VruReviewer (VRHUB_REVIEWERS of them, all signed in as vru.reviewer): the London view, borough
  plan pages, evidence trends and the JSON API with a bearer token.
- HealthProbe (exactly one): GET /healthz once a second, as a load balancer would; its latency under
  load against the baseline run shows the time requests spend queueing for a worker.

Every request carries X-Forwarded-Proto: https (the production settings mark cookies Secure and
trust the proxy header); POSTs carry the CSRF token and a same-origin Referer, like a browser.
"""

import csv
import itertools
import json
import os
import random
import re
import time
import uuid
from html.parser import HTMLParser
from http.cookiejar import DefaultCookiePolicy

from locust import between, constant, events, task
from locust.contrib.fasthttp import FastHttpUser

SETUP = json.load(open(os.environ["VRHUB_SETUP"]))  # noqa: SIM115
WAIT = tuple(float(x) for x in os.environ.get("VRHUB_WAIT", "1,5").split(","))
REVIEWERS = int(os.environ.get("VRHUB_REVIEWERS", "10"))
PROXY = {"X-Forwarded-Proto": "https"}
MARKER = "load-save"  # every progress text a save writes starts with this
CONFLICT_TEXT = "changed by someone else"
_editor_ids = itertools.count()
_samples: list[tuple[float, str, float, int]] = []
_saves: list[dict] = []


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **kwargs):
    _samples.append((time.time(), name, response_time, 0 if exception else 1))


@events.quitting.add_listener
def _write(environment, **kwargs):
    if os.environ.get("VRHUB_SAMPLES"):
        with open(os.environ["VRHUB_SAMPLES"], "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["t", "name", "ms", "ok"])
            w.writerows(_samples)
    if os.environ.get("VRHUB_SAVES"):
        with open(os.environ["VRHUB_SAVES"], "w") as fh:
            fh.writelines(json.dumps(s) + "\n" for s in _saves)


class FormParser(HTMLParser):
    """The fields of every POST form of a page: inputs, textareas, selected options."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, str]] = []
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in {"submit", "button"}:
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                return
            self._form[a["name"]] = a.get("value") or ""
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form[self._textarea] = ""
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in a:
            self._form[self._select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea:
            # HTML drops the newline right after <textarea>; Django always writes one.
            value = self._form[self._textarea]
            self._form[self._textarea] = value[1:] if value.startswith("\n") else value
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form[self._textarea] += data


def post_forms(html: str) -> list[dict[str, str]]:
    p = FormParser()
    p.feed(html)
    return p.forms


class SecureOverHttp(DefaultCookiePolicy):
    """Send the Secure cookies back over plain HTTP: the HTTPS proxy is only pretended (loopback)."""

    def return_ok_secure(self, cookie, request):
        return True


class VrhubUser(FastHttpUser):
    abstract = True
    wait_time = between(*WAIT)
    username = ""
    signed_in = False

    def page(self, path: str, name: str, expect: str | None = None):
        """GET a page; a failure unless it answers 200 (after redirects) with ``expect`` in it."""
        with self.client.get(path, name=name, headers=PROXY, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
            elif 'name="password"' in (r.text or "") and "/accounts/login/" not in path:
                r.failure("sent to the sign-in page")
                self.signed_in = False  # sign in again before the next task, as a person would
            elif expect and expect not in r.text:
                r.failure(f"{expect!r} not in the page")
            return r

    def post(self, path: str, data: dict, name: str, **kw):
        headers = PROXY | {"Referer": f"https://{self.host_port}{path}"}
        return self.client.post(path, data=data, name=name, headers=headers, allow_redirects=False, **kw)

    def on_start(self):
        self.client.cookiejar.set_policy(SecureOverHttp())
        self.host_port = self.host.split("://", 1)[1].rstrip("/")
        self.sign_in()

    def ready(self) -> bool:
        """False (after trying to sign in again) when an earlier request lost the session."""
        if self.signed_in:
            return True
        self.sign_in()
        return False

    def sign_in(self):
        r = self.page("/accounts/login/", "sign-in [form]")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', r.text or "")
        data = {"csrfmiddlewaretoken": token.group(1) if token else "", "username": self.username}
        data["password"] = SETUP["password"]
        with self.post("/accounts/login/", data, "sign-in [POST]", catch_response=True) as r:
            self.signed_in = r.status_code == 302 and "/accounts/" not in r.headers.get("Location", "/accounts/")
            if not self.signed_in:
                r.failure(f"sign-in as {self.username}: HTTP {r.status_code} to {r.headers.get('Location')}")


class BoroughEditor(VrhubUser):
    weight = 1  # everyone who is not a reviewer or the probe

    def on_start(self):
        me = SETUP["editors"][next(_editor_ids) % len(SETUP["editors"])]
        self.username, self.plan = me["username"], me["plan"]
        super().on_start()

    @task(3)
    def plan_page(self):
        if not self.ready():
            return
        self.page(f"/plans/{self.plan}/", "/plans/[pk]/")

    @task(5)
    def theme_page(self):
        if not self.ready():
            return
        self.page(f"/plans/{self.plan}/themes/{random.choice(SETUP['themes'])}/", "/plans/[pk]/themes/[code]/")

    @task(2)
    def trends(self):
        if SETUP["trend_queries"] and self.ready():
            self.page(random.choice(SETUP["trend_queries"]), "/evidence/trends/?…", "<table")

    @task(2)
    def quarterly_update(self):
        """Load Q1 GOV, change one action's progress, save it back with the versions as loaded."""
        if not self.ready():
            return
        path = f"/plans/{self.plan}/quarters/1/themes/GOV/"
        r = self.page(path, "/plans/[pk]/quarters/1/themes/GOV/ [GET]", "-version")
        forms = [f for f in post_forms(r.text or "") if any(k.endswith("-version") for k in f)]
        if r.status_code != 200 or not forms:
            return
        data = forms[0]
        prefixes = sorted({k[: -len("-version")] for k in data if k.endswith("-version")})
        prefix = random.choice(prefixes[:4])  # the first four actions: editors of a borough meet often
        text = f"{MARKER} {self.username} {uuid.uuid4().hex[:12]}"
        data[f"{prefix}-progress"] = text
        if not data.get(f"{prefix}-status"):
            data[f"{prefix}-status"] = random.choice(["red", "amber", "green"])
        save = {
            "t": time.time(),
            "user": self.username,
            "plan": self.plan,
            "action": int(prefix[1:]),
            "version": int(data[f"{prefix}-version"]),
            "text": text,
        }
        with self.post(path, data, "/plans/[pk]/quarters/1/themes/GOV/ [POST save]", catch_response=True) as p:
            body = p.text or ""
            if p.status_code == 302 and "/accounts/" in p.headers.get("Location", ""):
                save["outcome"] = "error: sent to the sign-in page"
                p.failure("save: sent to the sign-in page")
                self.signed_in = False
            elif p.status_code == 302:
                save["outcome"] = "saved"
            elif p.status_code == 200 and CONFLICT_TEXT in body:
                save["outcome"] = "conflict"  # the optimistic lock refused it: right, and not an error
            else:
                save["outcome"] = f"error {p.status_code}"
                errors = re.findall(r'<a href="#[^"]*">([^<]+)</a>', body)[:3]
                save["errors"] = errors
                p.failure(f"save answered {p.status_code}: {errors}")
        _saves.append(save)


class VruReviewer(VrhubUser):
    fixed_count = REVIEWERS
    username = SETUP["reviewer"]

    @task(3)
    def london(self):
        if not self.ready():
            return
        self.page("/london/2021/", "/london/2021/", "Havering")

    @task(1)
    def borough_plan(self):
        if not self.ready():
            return
        self.page(f"/plans/{random.choice(SETUP['editors'])['plan']}/", "/plans/[pk]/")

    @task(1)
    def trends(self):
        if SETUP["trend_queries"] and self.ready():
            self.page(random.choice(SETUP["trend_queries"]), "/evidence/trends/?…", "<table")

    @task(2)
    def api(self):
        headers = PROXY | {"Authorization": f"Bearer {SETUP['api_token']}"}
        with self.client.get(
            "/api/v1/plans?year=2021", name="/api/v1/plans", headers=headers, catch_response=True
        ) as r:
            if r.status_code != 200 or '"plans"' not in (r.text or ""):
                r.failure(f"HTTP {r.status_code}")


class HealthProbe(FastHttpUser):
    fixed_count = 1
    wait_time = constant(1)

    @task
    def healthz(self):
        with self.client.get("/healthz", name="/healthz (probe)", headers=PROXY, catch_response=True) as r:
            if r.status_code != 200 or '"ok"' not in (r.text or ""):
                r.failure(f"HTTP {r.status_code}: {(r.text or '')[:100]}")
