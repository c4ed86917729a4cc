"""Comparator groups: which workforce a service area, team or role belongs to, so it meets the right benchmark.

A figure is judged only against a comparator of the same group. The DfE's
children's social work workforce statistics cover children and family social
workers, not health visitors, school nurses or educational psychologists, so a
School Nurse row must never be marked worse than the DfE figure. Every name the
data uses (a service area such as "Public Health Nursing", a sub-service such as
"Health visitors", a role such as "Senior Practitioner") is mapped here to a
**role family** ("Children's social work", "Health visiting", ...); a comparator
(reference.comparators) and a standard (metrics.settings) name a family or a name
as the council writes it.

The default families below are the common names; a council adds its own
spellings in workforce_lens.toml:

    [groups]
    "Health visiting" = ["0-19 Health Visiting", "HV Team"]

A name no family lists is its own group (it can still be given a comparator or
standard under that name). Roles come before service areas: a Health Visitor in
Public Health Nursing is compared as health visiting.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import settings

CHILDRENS_SOCIAL_WORK = "Children's social work"
"""The family the DfE children's social work workforce statistics cover."""

FAMILIES: dict[str, tuple[str, ...]] = {
    CHILDRENS_SOCIAL_WORK: (
        # service areas
        "Children's Social Work", "Children's Social Care", "Children and Families", "Children and Family Services",
        "Children's Social Work Services", "Social Care", "Family Social Work",
        # roles of registered children and family social workers (the DfE census's scope)
        "Social Worker", "Social Workers", "Children's Social Worker", "Senior Social Worker", "Senior Practitioner",
        "Advanced Practitioner", "Consultant Social Worker", "Practice Supervisor", "Practice Educator",
        "Team Manager", "Assistant Team Manager", "Deputy Team Manager", "Independent Reviewing Officer", "IRO",
        "Child Protection Chair", "Child Protection Conference Chair", "Principal Social Worker",
        "Newly Qualified Social Worker", "NQSW", "ASYE Social Worker", "ASYE", "Children and family social workers",
        "Children's social workers",
    ),
    "Educational psychology": (
        "Education Psychology", "Educational Psychology", "Educational Psychology Service", "Educational Psychologist",
        "Educational Psychologists", "Senior Educational Psychologist", "Principal Educational Psychologist",
        "Specialist Senior Educational Psychologist", "Trainee Educational Psychologist",
    ),
    "Public health nursing": (
        "Public Health Nursing", "0-19 Service", "0-19 Public Health Nursing", "Healthy Child Programme",
        "Public health nurses", "0-19 Healthy Child Service",
    ),
    "Health visiting": (
        "Health Visiting", "Health Visitor", "Health Visitors", "HV", "Specialist Community Public Health Nurse",
        "SCPHN Health Visitor",
    ),
    "School nursing": (
        "School Nursing", "School Nurse", "School Nurses", "SCPHN School Nurse",
    ),
    "SEND": (
        "SEND", "SEND 0-25", "SEND Service", "Special Educational Needs", "Special Educational Needs and Disabilities",
        "SEN", "SEND Officer", "SEND Caseworker", "SEND Case Officer", "EHCP Coordinator", "EHC Plan Coordinator",
        "SEND Team Manager", "SEND Service Manager",
    ),
    "Early help": (
        "Early Help", "Early Help Service", "Family Help", "Early Help Worker", "Early Help Practitioner",
        "Family Support", "Family Support Worker", "Family Support Workers",
    ),
    "Residential care": (
        "Residential Care", "Children's Homes", "Residential Services", "Residential Child Care",
        "Residential Care Worker", "Residential Child Care Worker", "Residential Support Worker",
    ),
}
"""Default role families: family name → the service areas, sub-services and roles that belong to it."""


def key(name: object) -> str:
    """A name as compared: lower case, '&' as 'and', every run of other characters one space."""
    return _key(str(name or ""))


@lru_cache(maxsize=1 << 16)
def _key(text: str) -> str:
    """`key` of a text, remembered: a million staff rows have a few thousand names, each looked up many times."""
    text = text.lower().replace("&", " and ").replace("’", "'").replace("'", "")
    return " ".join(_NOT_ALNUM.sub(" ", text).split())


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


@cache
def _lookup() -> dict[str, str]:
    """Normalised name → family, from the defaults and workforce_lens.toml [groups] (the file wins)."""
    out: dict[str, str] = {}
    families = {family: list(names) for family, names in FAMILIES.items()}
    for family, names in settings.section("groups").items():
        if isinstance(names, str):
            names = [names]
        families.setdefault(str(family), [])
        for name in names:
            for other in families.values():  # a name the council moves leaves its default family
                while name in other:
                    other.remove(name)
            families[str(family)].append(str(name))
    for family, names in families.items():
        out[key(family)] = family
        for name in names:
            out[key(name)] = family
    return out


def families() -> list[str]:
    """Every family name (defaults and the settings file's), in order."""
    return list(dict.fromkeys([*FAMILIES, *(str(f) for f in settings.section("groups"))]))


def family_of(name: object) -> str | None:
    """The family of a service area, sub-service, team or role name (None when no family lists it).

    A name shown with its service area ("Health visitors (Public Health Nursing)") is its own name's family,
    else its service area's.
    """
    if name is None or (isinstance(name, float) and name != name):
        return None
    return _family_of_text(str(name))


@lru_cache(maxsize=1 << 16)
def _family_of_text(name: str) -> str | None:
    """`family_of` a name, remembered until `reset` (the families are read once, like `_lookup`)."""
    found = _lookup().get(key(name))
    if found is None:
        own, area = split_label(name)
        if area is not None:
            found = _lookup().get(key(own)) or _lookup().get(key(area))
    return found


def split_label(name: object) -> tuple[str, str | None]:
    """'Service Management (SEND 0-25)' → ('Service Management', 'SEND 0-25'): a team or sub-service shown with
    its service area (a name without one → (name, None))."""
    text = str(name or "").strip()
    match = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", text)
    return (match.group(1).strip(), match.group(2).strip()) if match else (text, None)


def group_of(name: object) -> str:
    """The comparator group of a name: its family, or the name itself when it has none."""
    return family_of(name) or str(name)


def same_group(a: object, b: object) -> bool:
    """True when two names (a comparator's group and a row's name) are the same comparator group."""
    return key(group_of(a)) == key(group_of(b))


def row_group(service_area: object = None, role: object = None, team: object = None) -> str | None:
    """The comparator group of a row or a view: the role's family, else the team's, else the service area's.

    Each is used only when it is known (not None, blank, "All" or "Not recorded"). A role or team with
    no family of its own falls back to the service area's group; a role with no family and no service
    area is its own group.
    """
    def known(value: object) -> bool:
        return value is not None and value == value and str(value).strip() not in ("", "All", "Not recorded")

    for name in (role, team):
        if known(name) and family_of(name) is not None:
            return family_of(name)
    if known(service_area):
        return group_of(service_area)
    if known(role):
        return str(role)
    return None


def reset() -> None:
    """Forget the settings file's groups (tests that change the file)."""
    _lookup.cache_clear()
    _family_of_text.cache_clear()
