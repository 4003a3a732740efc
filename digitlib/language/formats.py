"""Numbers, percentages and dates as the current language writes them, by Babel's CLDR data.

English 60,000 and 0.68; German 60.000 and 0,68; French 60 000 and 0,68 (a narrow no-break space).
"""

from __future__ import annotations

import datetime
import re

from babel import Locale, dates, numbers

from digitlib.language.catalogs import current


def count(value: int) -> str:
    """A whole number with the language's grouping: 60,000 · 60.000 · 60 000."""
    return numbers.format_decimal(int(value), locale=current())


def decimal(value: float, digits: int = 2) -> str:
    """A number with exactly ``digits`` decimals: 0.68 · 0,68."""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return numbers.format_decimal(value, format=pattern, locale=current(), decimal_quantization=True)


def number(value: float) -> str:
    """A number with as many decimals as it needs, at most three: 0.001 · 10 · 2,5."""
    return numbers.format_decimal(value, locale=current())


def percent(value: float, digits: int = 0) -> str:
    """A share as a percentage: 0.68 → 68% · 68 %."""
    pattern = Locale.parse(current()).percent_formats[None].pattern  # "#,##0%" · "#,##0 %"
    if digits > 0:
        pattern = re.sub(r"0(?=[^0#,.]*$)", "0." + "0" * digits, pattern, count=1)
    return numbers.format_percent(value, format=pattern, locale=current(), decimal_quantization=True)


def date(value: datetime.date | datetime.datetime) -> str:
    """A date in the language's medium form: Dec 5, 2026 · 05.12.2026 · 5 déc. 2026."""
    return dates.format_date(value, format="medium", locale=current())


def date_time(value: datetime.datetime) -> str:
    """A date and time, short: 12/5/26, 3:04 PM · 05.12.26, 15:04."""
    return dates.format_datetime(value, format="short", locale=current())


def localize(value) -> str:
    """Any value put into a message: numbers in the language's form, everything else as text."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return count(value)
    if isinstance(value, float):
        return number(value)
    return str(value)
