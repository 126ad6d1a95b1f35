"""Production smoke test: signs in to a running gunicorn and fetches a page of each app.

Run by scripts/smoke-production.sh against gunicorn with the production settings. Exit status 0 only
when every page answers 200 with the content it should; each failure is printed on one line.
"""

import os
import re
import sys

import django
from proxy_client import ProxyClient

BASE = os.environ["SMOKE_URL"].rstrip("/")
PASSWORD = "vrhub-demo-only"  # noqa: S105  (the public demo password, loaded with seed_demo --force)


def main() -> int:
    django.setup()
    from vrhub.plans.models import Plan

    plan = Plan.objects.get(area__code="E09000016", template__year=2021, is_current=True)
    theme = plan.template.themes.order_by("order").first()
    failures: list[str] = []

    def check(client: ProxyClient, path: str, expect: bytes, content_type: str = "text/html") -> bytes:
        status, headers, body = client.get(path)
        ok = status == 200 and headers.get("Content-Type", "").startswith(content_type) and expect in body
        print(f"{'ok  ' if ok else 'FAIL'} {status} {path}")
        if not ok:
            failures.append(f"{path}: {status} {headers.get('Content-Type')} {body[:200]!r}")
        return body

    anonymous = ProxyClient(BASE)
    check(anonymous, "/healthz", b'"ok"', "application/json")
    check(anonymous, "/public/", b"<h1")
    check(anonymous, "/api/v1/openapi.json", b'"openapi"', "application/json")

    editor = ProxyClient(BASE)
    editor.sign_in("havering.editor", PASSWORD)
    home = check(editor, "/", b"Havering")
    css = re.search(rb'href="(/static/vrhub/css/[^"]+\.css)"', home)
    if css is None or not re.search(rb"\.[0-9a-f]{12}\.css$", css.group(1)):
        failures.append("the home page does not link a hashed stylesheet from the manifest")
    else:
        check(editor, css.group(1).decode(), b"govuk", "text/css")
    check(editor, f"/plans/{plan.pk}/", plan.area.name.encode())
    check(editor, f"/plans/{plan.pk}/themes/{theme.code}/", theme.title.encode()[:20])
    check(editor, f"/plans/{plan.pk}/quarters/", b"<h1")
    check(editor, f"/plans/{plan.pk}/workbook.xlsx", b"PK", "application/vnd.openxmlformats")
    check(editor, f"/plans/{plan.pk}/report.pdf", b"%PDF", "application/pdf")
    check(editor, "/library/", b"<h1")
    check(editor, "/evidence/", b"<h1")
    check(editor, "/account/", b"<h1")
    check(editor, "/jobs/", b"Your background jobs")

    reviewer = ProxyClient(BASE)
    reviewer.sign_in("vru.reviewer", PASSWORD)
    check(reviewer, "/london/2021/", b"Havering")
    # Funded programmes (issue 15): the report (page and PDF), the logic model and the public 360Giving file.
    check(reviewer, "/programmes/", b"Programmes and grants")
    check(reviewer, "/programmes/reports/?year=2020", b"Funded programmes report 2020/21")
    check(reviewer, "/programmes/reports/2020.pdf", b"%PDF", "application/pdf")
    check(reviewer, "/programmes/logic-model/?year=2020", b"<svg")
    check(anonymous, "/public/VRU-LDN/grants/", b"<h1")
    check(anonymous, "/public/VRU-LDN/grants/2020.json", b'"grants"', "application/json")

    if failures:
        print(f"production smoke: {len(failures)} failed", file=sys.stderr)
        for f in failures:
            print("  " + f, file=sys.stderr)
        return 1
    print("production smoke: every page answered 200")
    return 0


if __name__ == "__main__":
    sys.exit(main())
