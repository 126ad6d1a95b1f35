from collections.abc import Iterable
from typing import Any

from django import forms

from vrhub.core.limits import size_text, upload_max_bytes, upload_too_large_message
from vrhub.evidence import selectors, store
from vrhub.plans.forms import VoidConfirmForm
from vrhub.plans.models import PlanAction

LOADERS = [
    ("police_uk", "data.police.uk street-level crime (CSV)"),
    ("mps", "Metropolitan Police, London Datastore: recorded crime, crime dashboard, homicide, VAWG (CSV or Parquet)"),
    ("istv", "ISTV A&E assault extract, ISB 1594 minimum dataset (CSV)"),
    ("imd", "Indices of Deprivation (CSV)"),
    ("population", "Census 2021 residents by LSOA (CSV)"),
    ("boundaries", "Boundaries (GeoJSON or TopoJSON)"),
]
PERIOD_HELP = "For example, 2023-01:2023-12"


def area_choices() -> list[tuple[str, str]]:
    return [
        (store.LONDON_CODE, "London"),
        (store.MET_CODE, "Metropolitan Police (force)"),
        (store.CITY_FORCE_CODE, "City of London Police (force)"),
    ] + sorted(((code, name) for code, name in store.LONDON_BOROUGHS.items()), key=lambda c: c[1])


class TrendForm(forms.Form):
    area = forms.ChoiceField(label="Area", choices=area_choices)
    other_area = forms.CharField(
        label="Or another area code",
        required=False,
        max_length=12,
        help_text="An LSOA (E01…), ward (E05…), borough or police force code",
    )
    # A list to choose from; a link may also name a measure in words ("?measure=Knife crime"), which the
    # view resolves as the command line does (selectors.measure_get), so any text up to the limit is taken.
    measure = forms.CharField(label="Measure", max_length=selectors.MEASURE_MAX, widget=forms.Select)
    period = forms.CharField(label="Period", required=False, max_length=15, help_text=PERIOD_HELP)
    baseline = forms.CharField(label="Baseline period", required=False, max_length=15, help_text=PERIOD_HELP)
    annualise = forms.BooleanField(
        label="Annualise periods of unequal length",
        required=False,
        help_text="Compares 12-month rates; without it, periods of different lengths are not compared",
    )

    def __init__(self, *args, measures: list[selectors.Measure], areas: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].widget.choices = [(m.qualified, m.label) for m in measures]
        if areas is not None:  # the user's VRU's areas
            self.fields["area"].choices = areas

    def clean(self):
        data = super().clean()
        for name in ("period", "baseline"):
            if data.get(name):
                try:
                    selectors.parse_period(data[name])
                except selectors.EvidenceError as exc:
                    self.add_error(name, str(exc))
        if bool(data.get("period")) != bool(data.get("baseline")):
            self.add_error("baseline", "Give a baseline period to compare the period with")
        return data


class NeedForm(forms.Form):
    within = forms.ChoiceField(
        label="Rank areas within",
        choices=lambda: (
            [(store.LONDON_CODE, "All of London")] + sorted(store.LONDON_BOROUGHS.items(), key=lambda c: c[1])
        ),
    )
    level = forms.ChoiceField(
        label="Areas",
        choices=[("lsoa", "LSOAs"), ("ward", "Wards"), ("borough", "Boroughs")],
        widget=forms.RadioSelect,
        help_text="ISTV (A&amp;E assault) data rank boroughs only: they have no LSOA.",
    )
    measure_type = forms.ChoiceField(
        label="Rank crime and A&E figures as",
        choices=[
            ("rate", "Rates per 1,000 residents per year (recommended: areas differ in size)"),
            ("count", "Counts (offences or attendances in the 12 months)"),
        ],
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, workbench: selectors.Workbench | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if workbench is not None and not workbench.london:  # the user's VRU's areas
            self.fields["within"].choices = list(workbench.areas)
        for key, spec in selectors.INDICATORS.items():
            self.fields[f"w_{key}"] = forms.FloatField(
                label=f"Weight: {spec['label']}",
                min_value=0,
                max_value=selectors.MAX_WEIGHT,
                required=False,
                initial=spec["weight"],
            )

    def weight_fields(self):
        return [self[f"w_{key}"] for key in selectors.INDICATORS]

    def ranking_arguments(self) -> dict[str, Any]:
        """The keyword arguments of ``selectors.need_ranking`` and ``selectors.need_map``."""
        return {
            "within": self.cleaned_data["within"],
            "level": self.cleaned_data["level"],
            "weights": self.weights(),
            "measure_type": self.cleaned_data.get("measure_type") or "rate",
        }

    def weights(self) -> dict[str, float]:
        out = {}
        for key, spec in selectors.INDICATORS.items():
            value = self.cleaned_data.get(f"w_{key}")
            out[key] = spec["weight"] if value is None else value
        return out


def too_large_message() -> str:
    return (
        f"{upload_too_large_message()}, the limit for loading in the browser: "
        "load larger files on the command line (manage.py load_police_uk, load_mps, load_istv, load_imd, "
        "load_population, "
        "load_boundaries)"
    )


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is the file?",
        choices=LOADERS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the file is", "invalid_choice": "Choose what the file is"},
    )
    file = forms.FileField(
        label="File",
        error_messages={"required": "Choose the file to load", "empty": "The selected file is empty"},
    )

    def __init__(self, *args, upload_too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_too_large = upload_too_large
        self.fields["file"].help_text = f"Up to {size_text(upload_max_bytes())}; larger files load on the command line"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > upload_max_bytes():
            raise forms.ValidationError(too_large_message())
        return upload

    def clean(self):
        data = super().clean()
        if self.upload_too_large:
            # The handler dropped the file, so the field looks empty: the real problem is its size.
            self.errors.pop("file", None)
            self.add_error("file", too_large_message())
        return data


class CiteForm(VoidConfirmForm):
    """Which of the actions the user may change gets the figure in its baseline."""

    action = forms.TypedChoiceField(
        label="Which action's baseline?",
        coerce=int,
        error_messages={"required": "Choose the action", "invalid_choice": "Choose an action from the list"},
    )

    def __init__(self, *args, actions: Iterable[PlanAction], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Choose an action")] + [
            (a.pk, f"{a.plan.area.name} {a.plan.template.year}: {a.code} {a.title[:70]}") for a in actions
        ]

    @property
    def has_actions(self) -> bool:
        return bool(self.fields["action"].choices[1:])


class IstvForm(forms.Form):
    area = forms.ChoiceField(
        label="Area",
        choices=lambda: [(store.LONDON_CODE, "London")] + sorted(store.LONDON_BOROUGHS.items(), key=lambda c: c[1]),
        help_text="Attendances count in the borough of the A&amp;E site they went to",
    )
    period = forms.CharField(
        label="Period",
        required=False,
        max_length=15,
        help_text="Arrival months, for example 2024-01:2024-12 (leave blank for the latest 12 months with data)",
    )

    def __init__(self, *args, workbench: selectors.Workbench | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if workbench is not None and not workbench.london:
            # Outside London no lookup places A&E sites in CSPs: the VRU's force area, every site.
            self.fields["area"].choices = [(code, f"{name} (every A&E site)") for code, name in workbench.forces]
            self.fields["area"].help_text = "Every A&amp;E site in your VRU's extracts"


class HotspotForm(forms.Form):
    """The street-level hotspot map's choices (selectors.hotspots checks them against the store)."""

    area = forms.ChoiceField(label="Area", choices=area_choices)
    other_area = forms.CharField(
        label="Or another area code",
        required=False,
        max_length=12,
        help_text="A borough, police force or LSOA (E01…) code",
    )
    crime_type = forms.ChoiceField(label="Crime type")
    period = forms.CharField(
        label="Period", required=False, max_length=15, help_text=PERIOD_HELP + "; empty for the latest 12 months"
    )
    cell = forms.TypedChoiceField(
        label="Hexagon size",
        choices=[(150, "150 metres"), (250, "250 metres"), (500, "500 metres")],
        coerce=int,
        initial=250,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, crime_types: list[str], areas: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crime_type"].choices = [(t, t) for t in crime_types]
        if areas is not None:  # the user's VRU's areas
            self.fields["area"].choices = areas

    def clean_period(self):
        value = self.cleaned_data["period"].strip()
        if value:
            try:
                selectors.parse_period(value)
            except selectors.EvidenceError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return value
