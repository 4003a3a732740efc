"""The catalogs: every message of the code translated in every language, with the same placeholders."""

import pytest

from digitlib.language import LANGUAGES
from scripts import translations

OTHER_LANGUAGES = [lang for lang in LANGUAGES if lang != "en"]


@pytest.fixture(scope="module")
def code_messages():
    return translations.code_messages()


def test_the_code_has_marked_messages(code_messages):
    assert len(code_messages) > 300


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_every_message_is_translated_with_the_same_placeholders(lang, code_messages):
    problems = translations.problems(lang, code_messages)
    assert not problems, f"{len(problems)} problems, first: " + "\n".join(problems[:20])


def test_the_template_is_current(code_messages):
    """The committed digits.pot, from which a new language starts, holds exactly the code's messages."""
    template = {m.id for m in translations.read(translations.TEMPLATE) if m.id}
    assert template == code_messages, "run: python -m scripts.translations extract"


def test_placeholders_are_read_as_python_formats_them():
    assert translations.placeholders("{n} of {total}") == {"n", "total"}
    assert translations.placeholders("{{literal}} {n:,}") == {"n"}
    assert translations.placeholders("{n") == {"<unbalanced braces>"}


def test_a_translation_with_other_placeholders_is_found(tmp_path, monkeypatch):
    po = tmp_path / "xx" / "LC_MESSAGES" / "digits.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid "{n} images"\nmsgstr "{m} Bilder"\n\nmsgid "Seed"\nmsgstr ""\n\n'
                  '#, fuzzy\nmsgid "Train"\nmsgstr "Trainieren"\n', encoding="utf-8")
    monkeypatch.setattr(translations, "LOCALE_DIR", tmp_path)
    found = translations.problems("xx", {"{n} images", "Seed", "Train", "Clear"})
    assert len(found) == 4
    assert any("placeholders ['m']" in p for p in found)
    assert any("untranslated 'Seed'" in p for p in found)
    assert any("fuzzy 'Train'" in p for p in found)
    assert any("missing 'Clear'" in p for p in found)
