"""Users and fixtures for the load and fault benchmarks, on top of `seed_demo --force`.

Run with the production environment set (benchmarks/load/common.sh):
    .venv/bin/python benchmarks/load/setup_data.py OUT.json [--editors 40] [--boroughs 10]

Creates (idempotently) ``load.editor.NN`` borough editors spread round-robin over the first
``--boroughs`` boroughs (so that several people edit the same borough's updates at once), gives
``havering.chiefexec`` a TOTP device and 20 known backup codes (signatories must pass a second factor),
issues an API token for vru.reviewer with ``manage.py create_api_token``, and picks evidence trend
queries from what the evidence store holds. Writes all of it to OUT.json for the locustfile and the
fault driver. Only for throwaway benchmark databases: the password is the public demo one.
"""

import argparse
import io
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vrhub.settings.production")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402

from vrhub.accounts.models import User  # noqa: E402
from vrhub.organisations.models import Organisation  # noqa: E402
from vrhub.plans.models import Plan  # noqa: E402

PASSWORD = "vrhub-demo-only"  # noqa: S105 - the public demo password of seed_demo --force
BACKUP_CODES = [f"loadcode{n:02d}" for n in range(20)]


def editors(count: int, boroughs: int) -> list[dict]:
    plans = list(
        Plan.objects.filter(template__year=2021, is_current=True).select_related("area").order_by("area__code")
    )[:boroughs]
    hashed = make_password(PASSWORD)  # one PBKDF2 run for every user, not one each
    out = []
    for n in range(count):
        plan = plans[n % len(plans)]
        user, _ = User.objects.update_or_create(
            username=f"load.editor.{n:02d}",
            defaults={
                "first_name": "Load",
                "last_name": f"Editor {n:02d}",
                "email": f"load.editor.{n:02d}@example.org",
                "organisation": plan.area,
                "role": User.Role.BOROUGH_EDITOR,
                "office": "",
                "password": hashed,
                "is_active": True,
            },
        )
        out.append({"username": user.username, "plan": plan.pk, "area": plan.area.code})
    return out


def signatory() -> dict:
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.get(username="havering.chiefexec")
    TOTPDevice.objects.get_or_create(user=user, name="load benchmark", defaults={"confirmed": True})
    device, _ = StaticDevice.objects.get_or_create(user=user, name="backup", defaults={"confirmed": True})
    device.token_set.all().delete()
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in BACKUP_CODES])
    return {"username": user.username, "backup_codes": BACKUP_CODES}


def api_token() -> str:
    out = io.StringIO()
    call_command("create_api_token", user="vru.reviewer", name="load", stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def trend_queries(areas: list[str]) -> list[str]:
    from urllib.parse import urlencode

    from vrhub.evidence import selectors

    try:
        measures = [m for m in selectors.measures_list() if m.subcategory is None]
    except Exception as exc:  # noqa: BLE001 - no evidence loaded: the locustfile then skips trends
        print(f"setup_data: no evidence measures ({exc})", file=sys.stderr)
        return []
    wanted = [m for m in measures if m.family == "mps"][:3] + [m for m in measures if m.family != "mps"][:2]
    queries = []
    for m in wanted:
        series = selectors.trend_series(area=selectors.area_get(code=areas[0]), measure=m)["series"]
        months = [p["month"] for p in series]
        for area in areas[:4]:
            q = {"area": area, "measure": m.qualified}
            if len(months) >= 24:
                q |= {"period": f"{months[-12]}:{months[-1]}", "baseline": f"{months[-24]}:{months[-13]}"}
            queries.append("/evidence/trends/?" + urlencode(q))
    return queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--editors", type=int, default=40)
    parser.add_argument("--boroughs", type=int, default=10)
    args = parser.parse_args()
    eds = editors(args.editors, args.boroughs)
    areas = sorted({e["area"] for e in eds})
    themes = list(Plan.objects.get(pk=eds[0]["plan"]).template.themes.order_by("order").values_list("code", flat=True))
    havering = Plan.objects.get(area__code="E09000016", template__year=2021, is_current=True)
    data = {
        "editors": eds,
        "reviewer": "vru.reviewer",
        "password": PASSWORD,
        "themes": themes,
        "api_token": api_token(),
        "signatory": signatory(),
        "havering_plan": havering.pk,
        "havering_editor": "havering.editor",
        "trend_queries": trend_queries(areas),
        "vru_code": Organisation.objects.get(code="VRU-LDN").code,
    }
    Path(args.out).write_text(json.dumps(data, indent=1))
    print(
        f"setup: {len(eds)} editors over {len(areas)} boroughs, {len(data['trend_queries'])} trend queries, "
        f"themes {','.join(themes)}"
    )


if __name__ == "__main__":
    main()
