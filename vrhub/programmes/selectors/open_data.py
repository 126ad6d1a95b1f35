"""A VRU's grants as 360Giving open data: what is published, for which years, and the files themselves.

What is published (one rule, here):
* the VRU's OWN programmes (``owner`` is the VRU: grants it made; a CSP area's programmes are the area's) that
  are marked ``published``, with a recipient organisation, an award date and an amount for the financial year;
* synthetic (demo) programmes only when the VRU's funder profile is itself synthetic (a demo), and then every
  such grant's description says ``SYNTHETIC DEMO DATA:`` and the file and pages say so;
* nothing without a funder profile (its organisation identifier and 360Giving prefix make the identifiers).

Every package is validated against the package schema before it is returned (``giving360.checked_package``):
an invalid one raises ``PackageInvalid``, never reaches anyone. Only organisations are named: never a person.
"""

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from vrhub.core.exceptions import NotFound
from vrhub.organisations.models import Organisation
from vrhub.programmes import giving360
from vrhub.programmes.catalogue import year_label
from vrhub.programmes.models import FunderProfile, Programme, ProgrammeAmount
from vrhub.programmes.selectors import access
from vrhub.programmes.selectors.access import checked_year

CODE_MAX = 20
ZERO = Decimal("0.00")


class NoGrants(NotFound):
    """The VRU publishes no grant for the year (or has no funder profile)."""


@dataclass(frozen=True)
class LeftOut:
    reference: str
    title: str
    reason: str


@dataclass
class GrantsYear:
    """One financial year's open data: the package (valid, or ``errors``), its total, what was left out."""

    vru: Organisation
    year: int
    profile: FunderProfile | None
    package: dict[str, Any] | None
    total: Decimal = ZERO
    left_out: list[LeftOut] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return year_label(self.year)

    @property
    def grants(self) -> list[dict[str, Any]]:
        return self.package["grants"] if self.package else []

    @property
    def count(self) -> int:
        return len(self.grants)

    @property
    def synthetic(self) -> bool:
        return bool(self.profile and self.profile.synthetic)

    @property
    def valid(self) -> bool:
        return self.package is not None and not self.errors


def public_vru_get(*, vru_code: str) -> Organisation:
    code = vru_code.strip() if isinstance(vru_code, str) else ""
    if not code or len(code) > CODE_MAX or "\x00" in code:
        raise NotFound("No such VRU")
    try:
        return Organisation.objects.get(code=code, kind=Organisation.Kind.VRU)
    except Organisation.DoesNotExist as exc:
        raise NotFound("No such VRU") from exc


def funder_profile_of(*, vru: Organisation) -> FunderProfile | None:
    return FunderProfile.objects.filter(vru=vru).first()


def funder_of(profile: FunderProfile) -> giving360.Funder:
    return giving360.Funder(
        org_identifier=profile.org_identifier,
        name=profile.funder_name,
        grant_prefix=profile.grant_prefix,
        synthetic=profile.synthetic,
    )


def publishable_programmes(*, vru: Organisation, profile: FunderProfile | None) -> QuerySet[Programme]:
    """The VRU's own published programmes (synthetic ones only in a synthetic demo's data)."""
    programmes = Programme.objects.filter(vru=vru, owner=vru, published=True)
    if profile is None or not profile.synthetic:
        programmes = programmes.filter(synthetic=False)
    return programmes


def published_years(*, vru: Organisation) -> list[int]:
    """Financial years (newest first) in which at least one programme is published with an amount."""
    profile = funder_profile_of(vru=vru)
    if profile is None:
        return []
    programmes = publishable_programmes(vru=vru, profile=profile).filter(recipient__isnull=False)
    programmes = programmes.filter(award_date__isnull=False)
    years = ProgrammeAmount.objects.filter(programme__in=programmes).values_list("year", flat=True).distinct()
    return sorted(set(years), reverse=True)


def data_source_url(*, vru: Organisation, year: int) -> str:
    return str(settings.SITE_URL).rstrip("/") + reverse("transparency:programmes_grants_json", args=[vru.code, year])


def _places(programme: Programme, vru_areas: list[Organisation]) -> tuple[giving360.Place, ...]:
    areas = vru_areas if programme.all_areas else sorted(programme.areas.all(), key=lambda a: a.name)
    return tuple(giving360.Place(name=a.name, code=a.code) for a in areas)


def grants_year(*, vru: Organisation, year: int, now: dt.datetime | None = None) -> GrantsYear:
    """The year's open data, built and validated. ``package`` is None (with ``left_out`` saying why) when there
    is no profile or no grant; ``errors`` lists what failed validation (then the package must not be served)."""
    year = checked_year(year)
    profile = funder_profile_of(vru=vru)
    found = GrantsYear(vru=vru, year=year, profile=profile, package=None)
    if profile is None:
        return found
    funder = funder_of(profile)
    data_source = data_source_url(vru=vru, year=year)
    vru_areas = list(Organisation.objects.filter(vru=vru, kind=Organisation.Kind.AREA).order_by("name"))
    amounts = {a.programme_id: a.amount for a in ProgrammeAmount.objects.filter(year=year, programme__vru=vru)}
    programmes = (
        publishable_programmes(vru=vru, profile=profile)
        .filter(pk__in=list(amounts))
        .select_related("recipient")
        .prefetch_related("areas")
        .order_by("reference")
    )
    grants = []
    for programme in programmes:
        reason = _left_out_reason(programme)
        if reason:
            found.left_out.append(LeftOut(programme.reference, programme.title, reason))
            continue
        recipient = programme.recipient
        assert recipient is not None and programme.award_date is not None  # checked by _left_out_reason
        item = giving360.GrantInput(
            reference=programme.reference,
            title=programme.title,
            description=programme.description,
            amount=amounts[programme.pk],
            award_date=programme.award_date,
            start_date=programme.start_date,
            end_date=programme.end_date,
            recipient=giving360.RecipientInfo(
                pk=recipient.pk,
                name=recipient.name,
                charity_number=recipient.charity_number,
                company_number=recipient.company_number,
                other_identifier=recipient.other_identifier,
                postcode=recipient.postcode,
            ),
            places=_places(programme, vru_areas),
            funding_source=programme.funding_source,
            modified=programme.updated_at,
            synthetic=programme.synthetic,
        )
        grants.append(giving360.grant(item, funder=funder, year=year, data_source=data_source))
        found.total += amounts[programme.pk]
    if not grants:
        return found
    found.package = giving360.package(
        grants,
        funder=funder,
        title=f"{profile.funder_name}: grants for {year_label(year)}",
        issued=now or timezone.now(),
        licence_url=profile.licence_url,
    )
    found.errors = giving360.package_errors(found.package)
    return found


def _left_out_reason(programme: Programme) -> str:
    if programme.recipient_id is None:
        return "No recipient organisation: a 360Giving grant must name one"
    if programme.award_date is None:
        return "No award date: a 360Giving grant must have one"
    return ""


def grants_package(*, vru: Organisation, year: int, now: dt.datetime | None = None) -> dict[str, Any]:
    """The year's valid 360Giving package: ``NoGrants`` when there is nothing to publish (or no funder profile),
    ``giving360.PackageInvalid`` when it fails validation (never served)."""
    found = grants_year(vru=vru, year=year, now=now)
    if found.profile is None:
        raise NoGrants(f"{vru.name} has no funder profile: set one up before publishing 360Giving data")
    if found.package is None:
        raise NoGrants(f"{vru.name} publishes no grant for {year_label(found.year)}")
    if found.errors:
        raise giving360.PackageInvalid(found.errors)
    return found.package


def grants_spreadsheet(*, package: dict[str, Any]) -> bytes:
    """The package's grants as an XLSX workbook with the standard's column titles (text never a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    giving360.checked_package(package)
    grants = package["grants"]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "grants"
    sheet.append(giving360.spreadsheet_headings(grants))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in giving360.spreadsheet_rows(grants):
        sheet.append([giving360.inert(v) for v in row])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    about = workbook.create_sheet("about")
    about.append(["Title", giving360.inert(package["title"])])
    about.append(["Publisher", giving360.inert(package["publisher"]["name"])])
    about.append(["Licence", package["license"]])
    about.append(["Issued", package["issued"]])
    about.append(["360Giving Data Standard version", package["version"]])
    if package.get("description"):
        about.append(["Note", giving360.inert(package["description"])])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def money(amount: Decimal | None) -> str:
    return "No data" if amount is None else f"£{amount:,.2f}"


def funder_profile_version(profile: FunderProfile | None) -> str:
    """A short fingerprint of the profile as a form showed it ("new" before there is one): a form sent back with
    another fingerprint was loaded before someone else's change (the profile has no version counter)."""
    if profile is None:
        return "new"
    import hashlib

    text = "\x00".join([profile.org_identifier, profile.funder_name, profile.grant_prefix, profile.licence_url])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def open_data_vru_for(*, user) -> Organisation:
    """The VRU whose open data page ``user`` sees: everyone who works in or with a VRU (``access.vru_of``) sees
    their own VRU's, which shows only what is or will be public (published programmes, the funder profile);
    NotFound for anyone else. Only its admins change it (``access.user_can_edit_funder_profile``)."""
    vru = access.vru_of(user=user)
    if vru is None:
        raise NotFound("No open data")
    return vru


def years_with_amounts(*, vru: Organisation) -> list[int]:
    """Financial years (newest first) in which any of the VRU's programmes has an amount (published or not)."""
    years = ProgrammeAmount.objects.filter(programme__vru=vru).values_list("year", flat=True).distinct()
    return sorted(set(years), reverse=True)


def public_grant_vrus() -> list[Organisation]:
    """VRUs with at least one year of grants on the public pages (for the public index)."""
    vrus = Organisation.objects.filter(kind=Organisation.Kind.VRU, funder_profile__isnull=False).order_by("name")
    return [vru for vru in vrus if published_years(vru=vru)]
