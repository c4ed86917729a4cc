"""Plain words: a glossary entry for every figure, money and ratios people can read, codes shown as labels,
and a methodology page that opens for councillors (code names only under "For analysts")."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from metrics import FIGURES
from metrics.format import format_value, money
from metrics.glossary import GLOSSARY, TERMS, VALUE_LABELS, help_text, label_values, value_label
from metrics.methodology import methodology_markdown

CODE_NAME = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def test_every_figure_has_a_glossary_entry_and_no_entry_is_orphaned():
    missing = [fid for fid in FIGURES if not GLOSSARY.get(fid, "").strip()]
    assert not missing, f"add plain words to metrics/glossary.py for: {missing}"
    assert set(GLOSSARY) <= set(FIGURES), set(GLOSSARY) - set(FIGURES)


@pytest.mark.parametrize("figure_id", list(FIGURES))
def test_glossary_entry_is_councillor_language(figure_id):
    words = GLOSSARY[figure_id]
    assert not CODE_NAME.search(words), f"{figure_id}: code name in {words!r}"
    assert not set(words) & set("÷Σ`_"), f"{figure_id}: formula or code in {words!r}"
    assert len(words) <= 240, f"{figure_id}: {len(words)} characters; keep it to a sentence or two"
    polarity = FIGURES[figure_id].polarity
    if polarity == "lower_is_better":
        assert "lower is better" in words.lower(), figure_id
    elif polarity == "higher_is_better":
        assert "higher is better" in words.lower(), figure_id


def test_terms_are_plain_too():
    for term, words in TERMS.items():
        assert not CODE_NAME.search(term + " " + words), term


def test_help_text_puts_the_plain_words_first_then_the_definition():
    text = help_text("agency_rate", "Agency FTE as a share of all FTE in post.")
    assert text.startswith(GLOSSARY["agency_rate"])
    assert text.endswith("**Exactly:** Agency FTE as a share of all FTE in post.")
    assert help_text("no_such_figure", "Just the definition.") == "Just the definition."


def test_leaving_reasons_are_shown_as_labels_and_the_data_is_not_changed():
    reasons = pd.DataFrame({"leaving_reason": ["not known", "resignation", "moved to agency work", "something new"],
                            "leavers_headcount": [3, 10, 4, 1]})
    shown = label_values(reasons)
    assert shown["leaving_reason"].tolist() == ["Reason not recorded", "Resigned", "Moved to agency work",
                                                "Something new"]
    assert reasons["leaving_reason"].tolist()[0] == "not known"  # the input frame is left alone
    assert shown["leavers_headcount"].tolist() == [3, 10, 4, 1]
    assert value_label("team", "not known") == "not known"  # only coded columns are relabelled


def test_every_leaving_reason_of_the_data_contract_has_a_label():
    contract = ["resignation", "retirement", "end of contract", "dismissal", "redundancy", "moved to agency work",
                "internal transfer", "other", "not known"]
    assert set(VALUE_LABELS["leaving_reason"]) == set(contract)


@pytest.mark.parametrize(("value", "expected"), [
    (41_250, "£41,250"),          # a salary: every pound
    (99_999, "£99,999"),
    (100_000, "£100k"),           # large amounts: three significant figures
    (412_345, "£412k"),
    (999_499, "£999k"),
    (999_500, "£1.00m"),          # would round to £1,000k
    (7_962_384, "£7.96m"),        # the example
    (12_345_678, "£12.3m"),
    (123_456_789, "£123m"),
    (-1_500_000, "-£1.50m"),
])
def test_money_is_rounded_as_people_say_it(value, expected):
    assert money(value) == expected
    assert format_value(value, "gbp") == expected


def test_money_stays_exact_in_the_command_line_table():
    assert format_value(7_962_384, "gbp", plain=True) == "£7,962,384"


def test_ratios_carry_a_times_sign_and_averages_one_decimal():
    assert format_value(1.4567, "ratio") == "1.46×"
    assert format_value(8.333, "average") == "8.3"
    assert FIGURES["agency_premium"].unit == "ratio"
    assert FIGURES["average_span_of_control"].unit == "average"  # reports per manager, not a multiple
    assert FIGURES["applications_per_advert"].unit == "average"


def test_methodology_opens_for_councillors_and_keeps_code_names_for_analysts():
    text = methodology_markdown()
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings[0] == "What the figures mean"
    assert headings[-1] == "For analysts"
    councillors, analysts = text.split("## For analysts")
    assert not CODE_NAME.search(councillors.replace("`c`", "")), CODE_NAME.findall(councillors)
    assert "generated" not in councillors.lower()  # the note for developers is in the analysts' part
    for fid, figure in FIGURES.items():
        assert f"**{figure.label}.** {GLOSSARY[fid]}" in councillors, fid
        assert f"(`{fid}`)" in analysts, fid
    for term in TERMS:
        assert f"**{term}**" in councillors
