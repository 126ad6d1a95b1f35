"""The logic model as a person sees it: the VRU's aims, outcomes and objectives, and below them the funded
programmes (interventions) linked to each objective that the person may see.

Rules (stated on the page):
* an objective's spend for a year is the sum of its programmes' amounts for that year
  (``figures.programme_amounts``); a programme with no amount for the year counts among the objective's
  programmes but adds nothing to its spend, and an objective none of whose programmes has an amount shows
  "No data", never £0;
* a programme linked to several objectives counts in full under each of them, so totals across objectives
  overlap and must not be added up;
* a borough's people see only the programmes open to them (``access.programmes_visible_to``).
"""

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from vrhub.organisations.models import Organisation
from vrhub.programmes import diagram
from vrhub.programmes.catalogue import LINKS_TO, LogicLevel, year_label
from vrhub.programmes.models import LogicLink, LogicNode, Programme, ProgrammeAmount
from vrhub.programmes.selectors import access
from vrhub.programmes.selectors.figures import programme_amounts

ZERO = Decimal("0.00")
LEVEL_ORDER = [LogicLevel.AIM, LogicLevel.OUTCOME, LogicLevel.OBJECTIVE]
SHORT = {LogicLevel.AIM: "Impact", LogicLevel.OUTCOME: "Outcome", LogicLevel.OBJECTIVE: "Objective"}


def pounds(amount: Decimal | None) -> str:
    """£1,234,567 (pence shown only when there are any); "No data" for None."""
    if amount is None:
        return "No data"
    if amount == amount.to_integral_value():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"


def node_label(node: LogicNode) -> str:
    return f"{SHORT[LogicLevel(node.level)]} {node.number}"


@dataclass
class ProgrammeLine:
    programme: Programme
    amount: Decimal | None

    @property
    def amount_text(self) -> str:
        return pounds(self.amount)


@dataclass
class NodeView:
    node: LogicNode
    label: str
    links_up: list[LogicNode] = field(default_factory=list)
    links_down: list[LogicNode] = field(default_factory=list)
    programmes: list[ProgrammeLine] = field(default_factory=list)

    @property
    def spend(self) -> Decimal | None:
        amounts = [p.amount for p in self.programmes if p.amount is not None]
        return sum(amounts, ZERO) if amounts else None

    @property
    def spend_text(self) -> str:
        return pounds(self.spend)


@dataclass
class LogicModelView:
    vru: Organisation
    year: int
    aims: list[NodeView]
    outcomes: list[NodeView]
    objectives: list[NodeView]
    programmes: list[ProgrammeLine]  # every visible programme linked to an objective, by reference
    sees_all: bool  # the person sees every programme of the VRU (staff, policing body)
    synthetic: bool

    @property
    def year_label(self) -> str:
        return year_label(self.year)

    @property
    def empty(self) -> bool:
        return not (self.aims or self.outcomes or self.objectives)


def model_years(*, vru: Organisation) -> list[int]:
    """The financial years the VRU's programmes have amounts for, newest first."""
    years = ProgrammeAmount.objects.filter(programme__vru=vru).values_list("year", flat=True).distinct()
    return sorted(set(years), reverse=True)


def logic_model_for(*, user, year: int) -> LogicModelView:
    """The logic model of the VRU ``user`` works in or with, with the programmes ``user`` may see."""
    vru = access.logic_model_vru_for(user=user)
    nodes = list(LogicNode.objects.filter(vru=vru).order_by("number", "pk"))
    views = {n.pk: NodeView(node=n, label=node_label(n)) for n in nodes}
    for link in LogicLink.objects.filter(source__vru=vru, target__vru=vru).select_related("source", "target"):
        if link.source_id in views and link.target_id in views:
            views[link.source_id].links_up.append(link.target)
            views[link.target_id].links_down.append(link.source)
    for view in views.values():
        view.links_up.sort(key=lambda n: n.number)
        view.links_down.sort(key=lambda n: n.number)
    visible = access.programmes_visible_to(user=user).filter(vru=vru)
    linked = list(
        visible.filter(objectives__vru=vru, objectives__level=LogicLevel.OBJECTIVE)
        .distinct()
        .prefetch_related("objectives")
        .order_by("reference")
    )
    amounts = programme_amounts(programmes=linked, year=year)
    lines = [ProgrammeLine(p, amounts.get(p.pk)) for p in linked]
    for line in lines:
        for objective in line.programme.objectives.all():
            if objective.pk in views and objective.level == LogicLevel.OBJECTIVE:
                views[objective.pk].programmes.append(line)
    by_level = {level: [v for v in views.values() if v.node.level == level] for level in LEVEL_ORDER}
    overseen = access.overseen_vru(user=user)
    return LogicModelView(
        vru=vru,
        year=year,
        aims=by_level[LogicLevel.AIM],
        outcomes=by_level[LogicLevel.OUTCOME],
        objectives=by_level[LogicLevel.OBJECTIVE],
        programmes=lines,
        sees_all=overseen is not None and overseen.pk == vru.pk,
        synthetic=any(p.programme.synthetic for p in lines),
    )


def logic_diagram(*, model: LogicModelView) -> str:
    """The SVG of ``model`` (see ``programmes.diagram``): every figure in it is also in the text alternative."""
    period = model.year_label

    def up(view: NodeView) -> list[str]:
        return [f"n{n.pk}" for n in view.links_up]

    def contributes(view: NodeView) -> list[str]:
        return [f"Contributes to {', '.join(node_label(n) for n in view.links_up)}"] if view.links_up else []

    aims = [
        diagram.Node(f"n{v.node.pk}", f"{v.label}: {v.node.title}", [v.node.horizon] if v.node.horizon else [])
        for v in model.aims
    ]
    outcomes = [
        diagram.Node(
            f"n{v.node.pk}",
            f"{v.label}: {v.node.title}",
            [*([v.node.horizon] if v.node.horizon else []), *contributes(v)],
            up(v),
        )
        for v in model.outcomes
    ]
    objectives = []
    for v in model.objectives:
        lines = [
            f"{len(v.programmes)} programme{'' if len(v.programmes) == 1 else 's'}, {pounds(v.spend)} in {period}",
            *contributes(v),
        ]
        measures = v.node.measure_list
        if measures:
            lines.append("Measures: " + "; ".join(measures))
        objectives.append(diagram.Node(f"n{v.node.pk}", f"{v.label}: {v.node.title}", lines, up(v)))
    interventions = [
        diagram.Node(
            f"p{line.programme.pk}",
            line.programme.reference,
            [
                line.programme.title,
                f"{pounds(line.amount)} in {period}",
                "Supports "
                + ", ".join(node_label(o) for o in sorted(line.programme.objectives.all(), key=lambda o: o.number)),
                *(["Synthetic"] if line.programme.synthetic else []),
            ],
            [f"n{o.pk}" for o in line.programme.objectives.all()],
        )
        for line in model.programmes
    ]
    whose = "the programmes of the VRU" if model.sees_all else "the programmes you can see"
    description = (
        f"{model.vru.name}'s logic model: {len(model.aims)} overall impact statements, {len(model.outcomes)} outcomes, "
        f"{len(model.objectives)} objectives and {len(model.programmes)} interventions ({whose}), with spend for "
        f"{period}. Lines link each intervention to its objectives, each objective to its outcomes and each outcome "
        "to the overall impact. The same model is set out in text below the diagram."
    )
    return diagram.build_svg(
        title=f"Logic model of {model.vru.name}, {period}",
        description=description,
        rows=[aims, outcomes, objectives, interventions],
        legend=[
            "Solid line: an outcome contributes to the overall impact",
            "Dashed line: an objective contributes to an outcome",
            "Dotted line: a programme (intervention) supports an objective",
        ],
    )


def next_level_nodes(*, vru: Organisation, level: str) -> list[LogicNode]:
    """The nodes a node of ``level`` may link to (``catalogue.LINKS_TO``): none for an aim."""
    target = LINKS_TO.get(LogicLevel(level))
    if target is None:
        return []
    return list(LogicNode.objects.filter(vru=vru, level=target).order_by("number"))


def programmes_using(*, node: LogicNode) -> list[Programme]:
    """Every programme (visible or not) linked to ``node``: a node they use is not removed."""
    return list(node.programmes.order_by("reference"))


def node_fingerprint(*, node: LogicNode) -> str:
    """A digest of a node as its form shows it (fields and links up): a save carrying an older digest is
    refused (the page was opened before a colleague's change)."""
    links = sorted(node.links_up.values_list("target_id", flat=True))
    row = [node.number, node.title, node.horizon, node.measures, links]
    return hashlib.sha256(json.dumps(row, default=str).encode()).hexdigest()
