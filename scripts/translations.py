"""The catalogs of the app's languages, managed with Babel: ``python -m scripts.translations <command>``.

* ``extract``: collect every marked message of the code into ``digitlib/language/locale/digits.pot``.
* ``update``: bring each language's ``.po`` up to date with the template (new messages empty, changed ones fuzzy).
* ``init LANG``: start a new language's ``.po`` from the template (then add it to ``LANGUAGES``).
* ``check``: what the tests check: every message translated, none fuzzy, the same placeholders on both sides.

After editing the code: ``extract``, ``update``, translate what is new (any PO editor, such as Poedit), ``check``.
"""

from __future__ import annotations

import os
import string
import sys
import tempfile
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from digitlib.language.catalogs import DEFAULT, DOMAIN, LANGUAGES, LOCALE_DIR

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
EXTRACT_OPTIONS = ["-F", "babel.cfg", "--add-comments=TRANSLATORS:", "--add-location=file",
                   "--sort-by-file", "--project=digits", "--copyright-holder=the digits authors",
                   "--msgid-bugs-address=", "--omit-header"]


def _babel(*args: str) -> None:
    here = os.getcwd()
    os.chdir(ROOT)  # the catalogs name files relative to the project
    try:
        CommandLineInterface().run(["pybabel", "-q", *args])
    finally:
        os.chdir(here)


def extract(output: Path = TEMPLATE) -> Path:
    """Write the template of every marked message in the code to ``output``."""
    _babel("extract", *EXTRACT_OPTIONS, "-o", str(output), ".")
    return output


def update() -> None:
    _babel("update", "-i", str(TEMPLATE), "-d", str(LOCALE_DIR), "-D", DOMAIN, "--ignore-obsolete")


def init(lang: str) -> None:
    _babel("init", "-i", str(TEMPLATE), "-d", str(LOCALE_DIR), "-D", DOMAIN, "-l", lang)


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(path: Path):
    with path.open("rb") as f:
        return read_po(f, locale=None if path.suffix == ".pot" else path.parts[-3])


def code_messages() -> set:
    """The message ids marked in the code now (a fresh extraction, not the committed template)."""
    with tempfile.TemporaryDirectory() as folder:
        return {m.id for m in read(extract(Path(folder) / "now.pot")) if m.id}


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a message (``{{`` is a brace, not a field)."""
    try:
        return {field for _text, field, _spec, _conv in string.Formatter().parse(text) if field is not None}
    except ValueError:
        return {"<unbalanced braces>"}


def problems(lang: str, wanted: set | None = None) -> list[str]:
    """What is wrong with ``lang``'s catalog: missing, empty or fuzzy translations, and placeholders that differ."""
    catalog = read(po_path(lang))
    found = []
    have = {m.id: m for m in catalog if m.id}
    for msgid in sorted(wanted if wanted is not None else have, key=str):
        message = have.get(msgid)
        english = msgid if isinstance(msgid, tuple) else (msgid,)
        if message is None:
            found.append(f"{lang}: missing {english[0]!r}")
            continue
        translations = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(translations):
            found.append(f"{lang}: {'fuzzy' if message.fuzzy else 'untranslated'} {english[0]!r}")
            continue
        fields = set().union(*map(placeholders, english))
        for text in translations:
            if placeholders(text) != fields:
                found.append(f"{lang}: placeholders {sorted(placeholders(text))} instead of {sorted(fields)} "
                             f"in {text!r}")
    return found


def check() -> list[str]:
    wanted = code_messages()
    return [problem for lang in LANGUAGES if lang != DEFAULT for problem in problems(lang, wanted)]


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "extract":
        print(f"{len(read(extract()))} messages in {TEMPLATE.relative_to(ROOT)}")
    elif command == "update":
        update()
    elif command == "init":
        init(sys.argv[2])
    elif command == "check":
        issues = check()
        print("\n".join(issues) or "Every language has every message, with the same placeholders.")
        sys.exit(1 if issues else 0)
    else:
        sys.exit(__doc__)
