"""ONS area codes: the one place that says which codes an area, a CSP or a police force may carry.

A Community Safety Partnership carries an ONS CSP code (E22 in England, W14 in Wales). London's boroughs
keep their local authority district code (E09) as their code in vrhub, with the CSP code beside it; other
CSPs use the CSP code itself. Police force areas are E23 (England) or W15 (Wales).
"""

import re

from django.core.exceptions import ValidationError

CSP_CODE = re.compile(r"(E22|W14)\d{6}")
# Local authority districts: unitary (E06), non-metropolitan (E07), metropolitan (E08), London (E09), Welsh (W06).
LAD_CODE = re.compile(r"(E06|E07|E08|E09|W06)\d{6}")
POLICE_FORCE_CODE = re.compile(r"(E23|W15)\d{6}")


def is_csp_code(code: str) -> bool:
    return bool(CSP_CODE.fullmatch(code or ""))


def is_area_code(code: str) -> bool:
    """A code a CSP area may carry in vrhub: its CSP code, or (London) its district code."""
    return bool(CSP_CODE.fullmatch(code or "") or LAD_CODE.fullmatch(code or ""))


def is_police_force_code(code: str) -> bool:
    return bool(POLICE_FORCE_CODE.fullmatch(code or ""))


def csp_code_check(code: str, *, field: str = "csp_code") -> None:
    if not is_csp_code(code):
        raise ValidationError(
            {field: f"“{code[:40]}” is not an ONS Community Safety Partnership code (E22 or W14 and six digits)."}
        )


def area_code_check(code: str, *, field: str = "code") -> None:
    if not is_area_code(code):
        raise ValidationError(
            {
                field: f"“{code[:40]}” is not an ONS code for a Community Safety Partnership area "
                "(E22 or W14, or a district code E06, E07, E08, E09 or W06, then six digits)."
            }
        )


def police_force_code_check(code: str, *, field: str = "code") -> None:
    if not is_police_force_code(code):
        raise ValidationError(
            {field: f"“{code[:40]}” is not an ONS police force area code (E23 or W15 and six digits)."}
        )
