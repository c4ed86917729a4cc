"""Reorganised authorities and joint returns: what changed, when, and the sentence that explains it.

A council's time series must not silently break where local government was
reorganised. These are the changes in the 2017–2025 indicator file; a newer
release with another reorganisation needs a line here (the refresh command
lists areas added and removed, which is the prompt to add one).
"""

from __future__ import annotations

from dataclasses import dataclass

JOINT_KINGSTON = "Kingston upon Thames / Richmond upon Thames"
JOINT_NORTHANTS = "North Northamptonshire / West Northamptonshire"


@dataclass(frozen=True)
class Change:
    """Areas `before` were replaced by areas `after` from reporting year `year`."""

    year: int
    before: tuple[str, ...]
    after: tuple[str, ...]
    note: str


CHANGES: tuple[Change, ...] = (
    Change(
        2019,
        ("Bournemouth", "Poole"),
        ("Bournemouth, Christchurch and Poole",),
        "Bournemouth and Poole (with Christchurch, previously part of Dorset) were replaced by "
        "Bournemouth, Christchurch and Poole in April 2019; its series starts in 2019.",
    ),
    Change(
        2019,
        ("Dorset",),
        ("Dorset",),
        "In April 2019 Dorset County Council (old LA code 835) was replaced by Dorset Council (838), "
        "without Christchurch, which joined Bournemouth, Christchurch and Poole: Dorset's figures before "
        "and after 2019 cover slightly different areas.",
    ),
    Change(
        2021,
        ("Northamptonshire",),
        (JOINT_NORTHANTS,),
        "Northamptonshire was replaced by North Northamptonshire and West Northamptonshire in April 2021; "
        "their children's services are run by one trust and make one joint return, reported against "
        "North Northamptonshire.",
    ),
    Change(
        2023,
        ("Cumbria",),
        ("Cumberland", "Westmorland and Furness"),
        "Cumbria was replaced by Cumberland and Westmorland and Furness in 2023.",
    ),
)
"""Boundary changes in the indicator file (first reporting year of the new arrangement)."""

JOINT_RETURNS: dict[str, str] = {
    JOINT_KINGSTON: (
        "Kingston upon Thames and Richmond upon Thames make one joint return (their children's services are "
        "run together by Achieving for Children), reported against Kingston upon Thames: the figures cover both."
    ),
    JOINT_NORTHANTS: (
        "North Northamptonshire and West Northamptonshire make one joint return (Northamptonshire Children's "
        "Trust), reported against North Northamptonshire: the figures cover both."
    ),
}
"""Areas of the file that are one return for two councils, and the sentence that says so."""

ALIASES: dict[str, str] = {
    "kingston upon thames": JOINT_KINGSTON,
    "richmond upon thames": JOINT_KINGSTON,
    "kingston": JOINT_KINGSTON,
    "richmond": JOINT_KINGSTON,
    "north northamptonshire": JOINT_NORTHANTS,
    "west northamptonshire": JOINT_NORTHANTS,
    "st helens": "St. Helens",
    "hull": "Kingston upon Hull, City of",
    "kingston upon hull": "Kingston upon Hull, City of",
    "bristol": "Bristol, City of",
    "herefordshire": "Herefordshire, County of",
    "bcp": "Bournemouth, Christchurch and Poole",
}
"""Other spellings of an area (lower case, punctuation kept) → its name in the indicator file."""


def key(name: str) -> str:
    """Lower-case, single-spaced form of an area name used for matching."""
    return " ".join(name.replace("&", "and").strip().lower().split())


def predecessors(area: str) -> list[tuple[str, Change]]:
    """Areas that `area` replaced (other than itself), each with the change."""
    return [(b, c) for c in CHANGES if area in c.after for b in c.before if b != area]


def successors(area: str) -> list[tuple[str, Change]]:
    """Areas that replaced `area` (other than itself), each with the change."""
    return [(a, c) for c in CHANGES if area in c.before for a in c.after if a != area]


def notes_for(area: str) -> list[str]:
    """Every sentence explaining a reorganisation or joint return that touches `area`."""
    notes = [c.note for c in CHANGES if area in c.before or area in c.after]
    if area in JOINT_RETURNS:
        notes.append(JOINT_RETURNS[area])
    return notes
