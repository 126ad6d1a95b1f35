"""Template content as data: the rules every template's themes follow, and London's reference template.

London's content (seven 2021 themes, the VAWG theme, the 2022 revision, synthetic demo material)
is the JSON file ``vrhub/plans/data/london_template.json``. ``london_template()`` loads it and
checks it against the rules below, naming the theme or action at fault: the file is data, checked
like any input, not code checked by ``assert``.

``template_themes_validate`` holds the rules for any template's themes; the template service
(``plans.services.template_create_from_content``) applies it before creating anything.
"""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

LONDON_TEMPLATE_PATH = Path(__file__).resolve().parent / "data" / "london_template.json"

TITLE_MAX = 120
KINDS = {"M": "mandatory", "O": "optional"}

# London's 2021 themes, in order, and the title of each (VAWG came later).
LONDON_THEMES = {
    "GOV": "Governance",
    "ANE": "Analysis and Enforcement",
    "WPN": "Reducing Access to Weapons",
    "SYP": "Safeguarding and Educating Young People",
    "COM": "Working with Communities and Neighbourhoods to Reduce Violence",
    "VIC": "Supporting Victims of Violence and Vulnerability",
    "DIV": "Positive Diversion from Violence",
}
VAWG_TITLE = "Tackling Violence Against Women and Girls"
# The fewest mandatory and optional actions a London theme has (SYP has more of both).
LONDON_MINIMUMS = {"SYP": (6, 6)}
LONDON_DEFAULT_MINIMUM = (4, 4)
LONDON_THEME_KEYS = {"code", "title", "description", "actions"}
LONDON_ACTION_KEYS = {"code", "kind", "title", "guidance", "example"}
LONDON_EXAMPLE_KEYS = {"outcome", "baseline", "progress", "lead_role", "lead_agency"}
LONDON_LOCAL_KEYS = {"theme", "title", "description", "outcome", "baseline", "progress"}
LONDON_KEYS = {
    "about",
    "themes_2021",
    "vawg_theme",
    "retired_in_2022",
    "new_actions_2022",
    "local_action_examples",
    "progress_updates",
}


@dataclass(frozen=True)
class LondonTemplate:
    """London's reference template content (see the module docstring). Shared: do not change it."""

    themes_2021: list[dict[str, Any]]
    vawg_theme: dict[str, Any]
    retired_in_2022: list[str]
    new_actions_2022: dict[str, list[dict[str, Any]]]
    local_action_examples: list[dict[str, Any]]
    progress_updates: list[str]


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _action_problems(action: Any, *, theme_code: str, seen: set[str]) -> list[str]:
    """The problems of one action of theme ``theme_code``; adds its code to ``seen``."""
    if not isinstance(action, dict):
        return [f"Theme {theme_code}: every action must be an object, not {type(action).__name__}."]
    code = action.get("code")
    if not isinstance(code, str) or not code:
        return [f"Theme {theme_code}: an action has no code."]
    problems = []
    match = re.fullmatch(rf"{re.escape(theme_code)}-([MO])([1-9][0-9]*)", code)
    if not match:
        problems.append(
            f"Action {code}: its code must be {theme_code}-M<n> (mandatory) or {theme_code}-O<n> (optional)."
        )
    elif action.get("kind") != KINDS[match.group(1)]:
        problems.append(f"Action {code}: kind is {action.get('kind')!r}, but its code says {KINDS[match.group(1)]!r}.")
    if code in seen:
        problems.append(f"Action {code}: the code is used twice.")
    seen.add(code)
    title = action.get("title")
    if not _text(title):
        problems.append(f"Action {code}: the title is empty.")
    elif len(str(title)) > TITLE_MAX:
        problems.append(f"Action {code}: the title has {len(str(title))} characters; at most {TITLE_MAX}.")
    return problems


def _numbering_problems(theme: dict[str, Any]) -> list[str]:
    code = theme["code"]
    problems = []
    for prefix, kind in KINDS.items():
        numbers = [
            int(a["code"].split("-", 1)[1][1:])
            for a in theme.get("actions", [])
            if isinstance(a, dict)
            and isinstance(a.get("code"), str)
            and re.fullmatch(rf"{re.escape(code)}-{prefix}[1-9][0-9]*", a["code"])
        ]
        if numbers != list(range(1, len(numbers) + 1)):
            problems.append(f"Theme {code}: its {kind} actions must be numbered 1, 2, 3 ... in order, not {numbers}.")
    return problems


def _themes_problems(themes: Any, *, seen_actions: set[str]) -> list[str]:
    if not isinstance(themes, list):
        return ["The themes must be a list."]
    problems = []
    seen_themes: set[str] = set()
    for theme in themes:
        if not isinstance(theme, dict) or not _text(theme.get("code")):
            problems.append("Every theme must be an object with a code.")
            continue
        code = theme["code"]
        if code in seen_themes:
            problems.append(f"Theme {code}: the code is used twice.")
        seen_themes.add(code)
        if not _text(theme.get("title")):
            problems.append(f"Theme {code}: the title is empty.")
        actions = theme.get("actions", [])
        if not isinstance(actions, list):
            problems.append(f"Theme {code}: its actions must be a list.")
            continue
        for action in actions:
            problems += _action_problems(action, theme_code=code, seen=seen_actions)
        if not any(isinstance(a, dict) and a.get("kind") == "mandatory" for a in actions):
            problems.append(f"Theme {code}: it has no mandatory action.")
        problems += _numbering_problems(theme)
    return problems


def template_themes_validate(*, themes: list[dict[str, Any]]) -> None:
    """Refuse, with every problem named, themes that break the rules of a template's content.

    Theme codes are unique and each theme has a title and at least one mandatory action; action codes
    are unique in the template, read ``<THEME>-M<n>`` or ``<THEME>-O<n>`` matching their kind, are
    numbered 1..n in order, and each action has a title of at most 120 characters.
    """
    problems = _themes_problems(themes, seen_actions=set())
    if problems:
        raise ValidationError(problems)


def _london_theme_problems(theme: Any, *, title: str, minimum: tuple[int, int]) -> list[str]:
    if not isinstance(theme, dict):
        return ["Every theme must be an object."]
    code = theme.get("code")
    problems = []
    if set(theme) != LONDON_THEME_KEYS:
        problems.append(f"Theme {code}: has the keys {sorted(theme)}, not {sorted(LONDON_THEME_KEYS)}.")
    if theme.get("title") != title:
        problems.append(f"Theme {code}: the title must be {title!r}, not {theme.get('title')!r}.")
    if not _text(theme.get("description")):
        problems.append(f"Theme {code}: the description is empty.")
    actions = [a for a in theme.get("actions", []) if isinstance(a, dict)]
    for (prefix, kind), least in zip(KINDS.items(), minimum, strict=True):
        count = sum(1 for a in actions if str(a.get("code", "")).startswith(f"{code}-{prefix}"))
        if count < least:
            problems.append(f"Theme {code}: has {count} {kind} actions; it needs at least {least}.")
    for action in actions:
        problems += _london_action_problems(action)
    return problems


def _london_action_problems(action: dict[str, Any]) -> list[str]:
    code = action.get("code")
    problems = []
    if set(action) != LONDON_ACTION_KEYS:
        problems.append(f"Action {code}: has the keys {sorted(action)}, not {sorted(LONDON_ACTION_KEYS)}.")
    if not _text(action.get("guidance")):
        problems.append(f"Action {code}: the guidance is empty.")
    example = action.get("example")
    if not isinstance(example, dict) or set(example) != LONDON_EXAMPLE_KEYS:
        keys = sorted(example) if isinstance(example, dict) else example
        problems.append(f"Action {code}: the example has the keys {keys}, not {sorted(LONDON_EXAMPLE_KEYS)}.")
        return problems
    empty = sorted(k for k, v in example.items() if not _text(v))
    if empty:
        problems.append(f"Action {code}: the example's {', '.join(empty)} is empty.")
    elif not re.search(r"\d", example["baseline"]):
        problems.append(f"Action {code}: the example's baseline needs a number.")
    return problems


def _count_problem(items: Iterable[Any], *, what: str, least: int, most: int) -> list[str]:
    count = len(list(items))
    return [] if least <= count <= most else [f"{what}: has {count}; it needs {least} to {most}."]


def london_template_problems(*, content: dict[str, Any]) -> list[str]:
    """Every way ``content`` breaks the rules of London's reference template (empty when it follows them)."""
    if not isinstance(content, dict) or set(content) != LONDON_KEYS:
        keys = sorted(content) if isinstance(content, dict) else type(content).__name__
        return [f"The file must hold exactly {sorted(LONDON_KEYS)}, not {keys}."]
    shapes = {
        "themes_2021": list,
        "vawg_theme": dict,
        "retired_in_2022": list,
        "new_actions_2022": dict,
        "local_action_examples": list,
        "progress_updates": list,
    }
    wrong = [f"{key}: must be a {kind.__name__}." for key, kind in shapes.items() if not isinstance(content[key], kind)]
    wrong += (
        [
            f"new_actions_2022: {k} must be a list."
            for k, v in content["new_actions_2022"].items()
            if not isinstance(v, list)
        ]
        if not wrong
        else []
    )
    if wrong:
        return wrong
    themes, vawg = content["themes_2021"], content["vawg_theme"]
    seen: set[str] = set()
    problems = _themes_problems(themes, seen_actions=seen) + _themes_problems([vawg], seen_actions=seen)
    codes = [t.get("code") for t in themes if isinstance(t, dict)]
    if codes != list(LONDON_THEMES):
        problems.append(f"themes_2021: the themes must be {list(LONDON_THEMES)} in that order, not {codes}.")
    for theme in themes:
        code = theme.get("code") if isinstance(theme, dict) else None
        if code in LONDON_THEMES:
            minimum = LONDON_MINIMUMS.get(code, LONDON_DEFAULT_MINIMUM)
            problems += _london_theme_problems(theme, title=LONDON_THEMES[code], minimum=minimum)
    if not isinstance(vawg, dict) or vawg.get("code") != "VAWG":
        problems.append("vawg_theme: its code must be VAWG.")
    else:
        problems += _london_theme_problems(vawg, title=VAWG_TITLE, minimum=LONDON_DEFAULT_MINIMUM)

    actions_2021 = {
        a.get("code"): a for t in themes if isinstance(t, dict) for a in t.get("actions", []) if isinstance(a, dict)
    }
    retired = content["retired_in_2022"]
    problems += _count_problem(retired, what="retired_in_2022", least=1, most=2)
    if len(set(retired)) != len(retired):
        problems.append(f"retired_in_2022: lists a code twice ({retired}).")
    for code in retired:
        if code not in actions_2021:
            problems.append(f"retired_in_2022: {code} is not an action of themes_2021.")
        elif actions_2021[code].get("kind") != "optional":
            problems.append(f"retired_in_2022: {code} is mandatory; only optional actions can be retired.")

    new = content["new_actions_2022"]
    problems += _count_problem(new, what="new_actions_2022", least=1, most=2)
    by_code = {t.get("code"): t for t in themes if isinstance(t, dict)}
    for theme_code, actions in new.items():
        if theme_code not in by_code:
            problems.append(f"new_actions_2022: {theme_code} is not a theme of themes_2021.")
            continue
        if len(actions) != 1:
            problems.append(f"new_actions_2022: {theme_code} must have exactly 1 new action, not {len(actions)}.")
        optional = [
            a for a in by_code[theme_code].get("actions", []) if isinstance(a, dict) and a.get("kind") == "optional"
        ]
        for offset, action in enumerate(actions, start=1):
            if not isinstance(action, dict):
                problems.append(f"new_actions_2022: {theme_code} has an action that is not an object.")
                continue
            problems += _action_problems(action, theme_code=theme_code, seen=seen)
            problems += _london_action_problems(action)
            if action.get("kind") != "optional":
                problems.append(f"Action {action.get('code')}: new 2022 actions must be optional.")
            following = f"{theme_code}-O{len(optional) + offset}"
            if action.get("code") != following:
                problems.append(f"Action {action.get('code')}: must continue the optional numbering as {following}.")

    locals_ = content["local_action_examples"]
    problems += _count_problem(locals_, what="local_action_examples", least=10, most=15)
    for item in locals_:
        title = item.get("title") if isinstance(item, dict) else None
        if not isinstance(item, dict) or set(item) != LONDON_LOCAL_KEYS:
            keys = sorted(item) if isinstance(item, dict) else item
            problems.append(f"Local action {title!r}: has the keys {keys}, not {sorted(LONDON_LOCAL_KEYS)}.")
            continue
        if item["theme"] not in {*LONDON_THEMES, "VAWG"}:
            problems.append(f"Local action {title!r}: {item['theme']!r} is not a London theme.")
        empty = sorted(k for k, v in item.items() if not _text(v))
        if empty:
            problems.append(f"Local action {title!r}: {', '.join(empty)} is empty.")
        elif len(str(title)) > TITLE_MAX:
            problems.append(f"Local action {title!r}: the title has {len(str(title))} characters; at most {TITLE_MAX}.")
        elif not re.search(r"\d", item["baseline"]):
            problems.append(f"Local action {title!r}: the baseline needs a number.")

    updates = content["progress_updates"]
    problems += _count_problem(updates, what="progress_updates", least=18, most=25)
    if not all(_text(u) for u in updates):
        problems.append("progress_updates: every update must be non-empty text.")
    elif len(set(updates)) != len(updates):
        problems.append("progress_updates: an update is listed twice.")
    return problems


def london_template_load(*, path: Path = LONDON_TEMPLATE_PATH) -> LondonTemplate:
    """Read and check London's template content; ``ValidationError`` naming every problem if it is wrong."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationError(f"{path.name}: cannot be read as JSON ({exc}).") from exc
    problems = london_template_problems(content=content)
    if problems:
        raise ValidationError([f"{path.name}: {p}" for p in problems])
    return LondonTemplate(**{k: v for k, v in content.items() if k != "about"})


@cache
def london_template() -> LondonTemplate:
    """London's reference template content, read and checked once per process."""
    return london_template_load()
