"""The needs assessment data pack (``selectors.datapack.datapack_data``) as a PDF (WeasyPrint) or a DOCX
(python-docx), with the reports app's page set-up, tables and no-fetching rule.

Both formats are written from one outline (``outline``): sections, each of paragraphs and tables whose
every figure carries its unit, source and period in words; "No data" (never 0) where the store has none;
synthetic data labelled as such.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from vrhub.core.words import count_noun, period_words
from vrhub.reports import render as report_render

FORMATS = ("pdf", "docx")
CONTENT_TYPES = report_render.CONTENT_TYPES
NO_DATA = "No data"
SYNTHETIC = " (SYNTHETIC data)"


def filename(*, data: dict, fmt: str) -> str:
    return f"{data['file_stem']}.{fmt}"


# Words for figures ---------------------------------------------------------------------------------


# A unit's singular, for a count of 1 ("1 person proceeded against", not "1 people ...").
SINGULAR = {"people": "person", "offences": "offence", "victims": "victim", "attendances": "attendance"}


def _count(n: int | None, unit: str) -> str:
    if n is None:
        return NO_DATA
    if n == 1:
        words = unit.split(" ")
        for i, word in enumerate(words):
            if word in SINGULAR:
                words[i] = SINGULAR[word]
                break
        unit = " ".join(words)
    return f"{n:,} {unit}"


def _rate(value: float | None) -> str:
    """Two decimals; three significant figures for a small rate (a rare event's rate never reads as 0)."""
    if value is None:
        return NO_DATA
    return f"{value:.3g}" if 0 < abs(value) < 0.1 else f"{value:,.2f}"


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _pct(value: float | None) -> str:
    if value is None:
        return "Not calculable"
    return "No change" if value == 0 else f"{'Up' if value > 0 else 'Down'} {abs(value):g} %"


def _significance(sig: dict | None) -> str:
    """Whether chance would explain the change, from the workbench's test."""
    if sig is None:
        return "Not tested"
    if sig.get("small_numbers"):
        return "Too few to tell"
    p = sig.get("p_value")
    p_text = "" if p is None else " (p < 0.001)" if p < 0.001 else f" (p = {p:.3f})"
    return ("More than chance" if sig.get("significant") else "Within chance variation") + p_text


def _source(source: str | None, synthetic: bool) -> str:
    return (source or "Not recorded") + (SYNTHETIC if synthetic else "")


def _table(caption: str, header: list[str], rows: list[list[str]], *, numeric_from: int = 99) -> dict[str, Any]:
    return {"kind": "table", "caption": caption, "header": header, "rows": rows, "numeric_from": numeric_from}


def _p(text: str) -> dict[str, Any]:
    return {"kind": "p", "text": text}


def _h(text: str) -> dict[str, Any]:
    return {"kind": "h", "text": text}


# The outline ------------------------------------------------------------------------------------------


def _about(data: dict) -> list[dict]:
    people = data["population"]
    definition = data["definition"]
    scope = "; ".join(definition["offence_types"]) or "none"
    blocks = [
        _p(
            f"This data pack gathers what the vrhub evidence workbench holds about serious violence in "
            f"{data['area']['name']} ({data['area']['code']}), as a first draft for the strategic needs "
            f"assessment. It was produced on {data['generated_on']}."
        ),
        _p(
            (
                "The partnership's local definition of serious violence"
                if definition["written"]
                else "No local definition of serious violence has been written yet, so the guidance's defaults"
            )
            + f" put these offence types in scope: {scope}."
        ),
        _p(
            f"Residents: {people['value']:,} people ({people['source']})."
            if people["value"]
            else f"Residents: {NO_DATA} ({people['source']}), so no rate per 1,000 residents is given."
        ),
        _p(
            "How to read the figures: each trend compares the latest 12 months with data with the 12 months "
            "before. Rates are per 1,000 residents a year. Whether a change is more than chance comes from the "
            f'workbench\'s test ({data["method"]}; 5 % level). "No data" means the source does not cover the '
            "area or the period: it never means zero."
        ),
    ]
    if data["caveat"]:
        blocks.append(_p(data["caveat"]))
    return blocks


def _headline(data: dict) -> list[dict]:
    rows, notes = [], []
    for h in data["headline"]:
        r = h["result"]
        shown = h["measure"] or NO_DATA
        if r is None:
            rows.append([h["label"], shown, NO_DATA, NO_DATA, "Not calculable", NO_DATA, _source(h["source"], False)])
            notes.append(f"{h['label']}: {h['reason']}")
        else:
            rows.append(
                [
                    h["label"],
                    shown,
                    f"{_count(r['current'], r['unit'])}, {period_words(r['period'])}",
                    f"{_count(r['baseline'], r['unit'])}, {period_words(r['baseline_period'])}",
                    _pct(r["pct_change"]),
                    _rate(r["rate_per_1000"]["current"]),
                    _source(h["source"], h["synthetic"]),
                ]
            )
        if h["proxy"]:
            notes.append(f"{h['label']}: {h['proxy']}")
    blocks = [
        _p(
            "The Home Office measures the Serious Violence Duty by hospital admissions for assault with a knife "
            "or sharp object, police-recorded knife and sharp object offences, and homicides."
        ),
        _table(
            f"Home Office headline measures, {data['area']['name']}: latest 12 months with data against the 12 "
            "months before (count and unit, period); rate per 1,000 residents a year in the latest 12 months.",
            [
                "Headline measure",
                "Shown by",
                "Latest 12 months",
                "12 months before",
                "Change",
                "Rate per 1,000 residents a year",
                "Source",
            ],
            rows,
        ),
    ]
    blocks += [_p(n) for n in notes]
    return blocks


def _trend_row(name: str, r: dict, *, with_measure: bool = True) -> list[str]:
    cells = [
        f"{_count(r['current'], r['unit'])}, {period_words(r['period'])}",
        f"{_count(r['baseline'], r['unit'])}, {period_words(r['baseline_period'])}",
        _pct(r["pct_change"]),
        _significance(r["significance"] and r["significance"] | {"small_numbers": r["small_numbers"]}),
        _rate(r["rate_per_1000"]["current"]),
    ]
    return [name, *cells] if with_measure else cells


def _trends(data: dict) -> list[dict]:
    blocks: list[dict] = []
    for offence in data["offences"]:
        blocks.append(_h(offence["label"]))
        if not offence["measures"]:
            note = offence["note"] or "The workbench has no measure for it."
            blocks.append(_p(f"{NO_DATA}: {note[:1].lower()}{note[1:]}"))
            continue
        rows = []
        for m in offence["measures"]:
            if m["result"] is None:
                rows.append(
                    [
                        m["name"],
                        m["reason"],
                        NO_DATA,
                        "Not calculable",
                        "Not tested",
                        NO_DATA,
                        _source(m["source"], m["synthetic"]),
                    ]
                )
            else:
                rows.append([*_trend_row(m["name"], m["result"]), _source(m["source"], m["synthetic"])])
        blocks.append(
            _table(
                f"{offence['label']} in {data['area']['name']}: each measure's latest 12 months with data against "
                "the 12 months before; rate per 1,000 residents a year in the latest 12 months.",
                [
                    "Measure",
                    "Latest 12 months",
                    "12 months before",
                    "Change",
                    "Is the change more than chance?",
                    "Rate per 1,000 residents a year",
                    "Source",
                ],
                rows,
            )
        )
    return blocks


def _comparisons(data: dict) -> list[dict]:
    blocks: list[dict] = [
        _p(
            "The same measures and periods for the area's Metropolitan Police Basic Command Unit (BCU), London "
            "and England and Wales, where the source covers them. MPS and ISTV data cover London only; "
            "data.police.uk covers England and Wales only when every force's files are loaded."
        )
    ]
    for offence in data["offences"]:
        for m in offence["measures"]:
            r = m["result"]
            if r is None:
                continue
            rows = [[f"{data['area']['name']}", *_trend_row("", r, with_measure=False)]]
            for c in r["comparisons"]:
                name = c["label"] + (f": {c['name']}" if c["name"] and c["name"] != c["label"] else "")
                if c["current"] is None:
                    reason = f"{NO_DATA}: {c['reason']}" if c["reason"] else NO_DATA
                    rows.append([name, reason, NO_DATA, "Not calculable", "Not tested", NO_DATA])
                    continue
                rates = c["rate_per_1000"] or {}
                rows.append(
                    [
                        name,
                        f"{_count(c['current'], r['unit'])}, {period_words(r['period'])}",
                        f"{_count(c['baseline'], r['unit'])}, {period_words(r['baseline_period'])}",
                        _pct(c["pct_change"]),
                        _significance(c["significance"]),
                        _rate(rates.get("current")),
                    ]
                )
            same = m["name"].lower() == offence["label"].lower()
            blocks.append(_h(m["name"] if same else f"{m['name']} ({offence['label']})"))
            blocks.append(
                _table(
                    f"{m['name']}, {r['unit']}: {period_words(r['period'])} against "
                    f"{period_words(r['baseline_period'])}. "
                    f"Source: {_source(m['source'], m['synthetic'])}.",
                    [
                        "Area",
                        "Latest 12 months",
                        "12 months before",
                        "Change",
                        "Is the change more than chance?",
                        "Rate per 1,000 residents a year",
                    ],
                    rows,
                )
            )
    if len(blocks) == 1:
        blocks.append(_p(f"{NO_DATA}: no measure in scope has figures to compare."))
    return blocks


def _hotspots(data: dict) -> list[dict]:
    blocks: list[dict] = [_h("Street-level hotspots (data.police.uk)")]
    hs = data["hotspots"]
    if hs["status"] != "ok":
        blocks.append(_p(hs["reason"]))
    else:
        blocks.append(
            _table(
                f"The {len(hs['hexes'])} hexagons of {hs['cell_m']} m with the most {hs['unit']} "
                f"(all crime except anti-social behaviour), {period_words(hs['period'])}. "
                f"Source: {_source(hs['source'], hs['synthetic'])}.",
                ["Rank", f"Count ({hs['unit']})", "Centre (latitude, longitude)", "LSOAs"],
                [
                    [str(h["rank"]), _count(h["n"], hs["unit"]), f"{h['lat']}, {h['lon']}", h["lsoas"]]
                    for h in hs["hexes"]
                ],
                numeric_from=1,
            )
        )
        blocks.append(_p(hs["snap_note"]))
    blocks.append(_h("The LSOAs with the most violence"))
    ls = data["lsoas"]
    if ls["status"] != "ok":
        blocks.append(_p(ls["reason"]))
        return blocks
    blocks.append(
        _table(
            f"The {len(ls['top'])} LSOAs with the most {ls['measure'].lower()} {ls['unit']}, "
            f"{period_words(ls['period'])}; rates per 1,000 residents a year ({ls['population_source']}); "
            f"IMD decile from the {ls['imd_source']}. Source: {_source(ls['source'], ls['synthetic'])}.",
            ["Rank", "LSOA", f"{ls['measure']} ({ls['unit']})", "Rate per 1,000 residents a year", "IMD 2025 decile"],
            [
                [
                    str(i),
                    f"{t['name']} ({t['code']})",
                    _count(t["n"], ls["unit"]),
                    _rate(t["rate"]),
                    NO_DATA if t["decile"] is None else str(t["decile"]),
                ]
                for i, t in enumerate(ls["top"], start=1)
            ],
            numeric_from=2,
        )
    )
    return blocks


def _istv(data: dict) -> list[dict]:
    a = data["istv"]
    if a["status"] != "ok":
        return [_p(a["reason"])]
    source = _source(a["source"], a["synthetic"])
    blocks = [
        _p(
            f"{count_noun(a['total'], 'attendance')} after assault at {', '.join(a['sites'])} in "
            f"{period_words(a['period'])} ({source}); {a['timed']:,} with the day and time of the assault recorded."
            + (
                f" Months without data: {', '.join(period_words(m) for m in a['months_without_data'])}."
                if a["months_without_data"]
                else ""
            )
        ),
        _table(
            f"{_upper_first(a['unit'])} by day of the week and time of the assault, {period_words(a['period'])}. "
            f"Source: {source}.",
            ["Time of day", *a["days"], "Total"],
            [[b["label"], *(f"{n:,}" for n in b["cells"]), f"{b['total']:,}"] for b in a["bands"]]
            + [["All times", *(f"{n:,}" for n in a["day_totals"]), f"{a['timed']:,}"]],
            numeric_from=1,
        ),
        _table(
            f"{_upper_first(a['unit'])} by method of assault, {period_words(a['period'])}. Source: {source}.",
            ["Method", f"Count ({a['unit']})", "Share of attendances"],
            [[m["name"], _count(m["count"], "attendances"), f"{m['share']:g} %"] for m in a["methods"]],
            numeric_from=1,
        ),
    ]
    return blocks


def _deprivation(data: dict) -> list[dict]:
    ls = data["lsoas"]
    if ls["status"] != "ok":
        return [_p(ls["reason"])]
    if not ls["imd_loaded"]:
        return [_p(f"{NO_DATA}: the English Indices of Deprivation 2025 are not loaded into the workbench.")]
    rows = []
    residents = sum(d["residents"] or 0 for d in ls["deciles"])
    for d in ls["deciles"]:
        label = f"{d['decile']}" + (
            " (most deprived)" if d["decile"] == 1 else " (least deprived)" if d["decile"] == 10 else ""
        )
        if not d["lsoas"]:
            rows.append([label, "0 LSOAs", NO_DATA, NO_DATA, NO_DATA, NO_DATA, NO_DATA])
            continue
        rows.append(
            [
                label,
                count_noun(d["lsoas"], "LSOA"),
                f"{d['residents']:,}" if d["residents"] else NO_DATA,
                f"{100 * d['residents'] / residents:.1f} %" if d["residents"] and residents else NO_DATA,
                _count(d["n"], ls["unit"]),
                f"{d['share']:g} %" if d["share"] is not None else NO_DATA,
                _rate(d["rate"]),
            ]
        )
    most = [d for d in ls["deciles"] if d["decile"] <= 2 and d["n"] is not None]
    n_most = sum(d["n"] for d in most)
    blocks = [
        _p(
            f"{ls['measure']} {ls['unit']} in {period_words(ls['period'])} by the deprivation of the LSOA where "
            f"they were recorded: {n_most:,} of {ls['total']:,} {ls['unit']} "
            f"({(100 * n_most / ls['total']) if ls['total'] else 0:.1f} %) were in LSOAs among England's 20 % most "
            f"deprived. Source: {_source(ls['source'], ls['synthetic'])}; {ls['imd_source']}."
        ),
        _table(
            f"{ls['measure']} ({ls['unit']}) by IMD 2025 decile, {period_words(ls['period'])}; residents from the "
            f"{ls['population_source']}; rate per 1,000 residents a year.",
            [
                "IMD decile",
                "LSOAs",
                "Residents",
                "Share of residents",
                f"{ls['measure']} ({ls['unit']})",
                "Share of offences",
                "Rate per 1,000 residents a year",
            ],
            rows,
            numeric_from=1,
        ),
    ]
    if ls["unmatched"]:
        blocks.append(
            _p(
                f"{count_noun(ls['unmatched'], 'LSOA')} with {ls['unmatched_n']:,} {ls['unit']} have no IMD 2025 "
                "decile (a code the index does not list) and are left out of the table."
            )
        )
    return blocks


def outline(data: dict) -> list[dict[str, Any]]:
    """The pack's sections in order: ``{"id", "title", "blocks"}``."""
    sections = [
        ("about", "About this data pack", _about(data)),
        ("headline", "The Home Office's headline measures", _headline(data)),
        ("trends", "Trends in the offence types in scope", _trends(data)),
        ("comparison", "Comparison with London and England", _comparisons(data)),
        ("hotspots", "Hotspots", _hotspots(data)),
        ("time", "A&E time profile (ISTV)", _istv(data)),
        ("deprivation", "Deprivation overlap", _deprivation(data)),
    ]
    return [
        {"id": key, "number": i, "title": title, "blocks": blocks} for i, (key, title, blocks) in enumerate(sections, 1)
    ]


SYNTHETIC_NOTICE = (
    "Synthetic data: some figures in this data pack come from made-up demonstration data, not real records. "
    "They are marked (SYNTHETIC data)."
)


def render_pdf(*, data: dict) -> bytes:
    html = render_to_string(
        "duty/datapack/pack.html", {"data": data, "sections": outline(data), "notice": SYNTHETIC_NOTICE}
    )
    return report_render.html_to_pdf(html)


def render_docx(*, data: dict) -> bytes:
    from docx import Document

    document = Document()
    report_render.docx_setup(document, title=data["title"], synthetic=data["synthetic"], landscape=True)
    document.add_heading(data["title"], level=0)
    if data["synthetic"]:
        document.add_paragraph().add_run(SYNTHETIC_NOTICE).bold = True
    sections = outline(data)
    document.add_heading("Contents", level=1)
    for s in sections:
        document.add_paragraph(f"{s['number']}. {s['title']}")
    for s in sections:
        document.add_heading(f"{s['number']}. {s['title']}", level=1)
        for block in s["blocks"]:
            if block["kind"] == "h":
                document.add_heading(block["text"], level=2)
            elif block["kind"] == "p":
                document.add_paragraph(block["text"])
            else:
                document.add_paragraph().add_run(block["caption"]).italic = True
                report_render.docx_table(
                    document, block["header"], block["rows"], size=8, numeric_from=block["numeric_from"]
                )
    return report_render.docx_bytes(document)


def render(*, fmt: str, data: dict) -> bytes:
    if fmt == "pdf":
        return render_pdf(data=data)
    if fmt == "docx":
        return render_docx(data=data)
    raise ValueError(f"Unknown format {fmt!r}: pdf or docx")
