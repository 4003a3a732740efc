"""Nicknames on the class board: one script, no markup, no look-alike mixes, never echoed back."""

import pytest

from digitlib.classroom import inputs
from digitlib.classroom.store import ClassStore
from digitlib.errors import InvalidSettingError
from tests.support.class_store import BOARD


@pytest.mark.parametrize("typed, kept", [
    ("Ada", "Ada"), ("  Ada  ", "Ada"), ("Jean-Luc O'Neil", "Jean-Luc O'Neil"), ("team_7.b", "team_7.b"),
    ("Zoë", "Zoë"), ("Zoe\u0308", "Zoë"),  # composed by NFKC
    ("Ｚｏｅ ２", "Zoe 2"), ("ﬁne", "fine"), ("ℌans", "Hans"),  # compatibility forms folded by NFKC
    ("Иван", "Иван"), ("Ελένη", "Ελένη"), ("山田たろう", "山田たろう"), ("김민수", "김민수"), ("देवनागरी", "देवनागरी"),
    ("x" * 20, "x" * 20), ("", None), ("   ", None), (None, None),
])
def test_plain_nicknames_are_kept_normalised(typed, kept):
    assert inputs.nickname(typed) == kept


LOOK_ALIKES = [
    "\u0410da",          # Cyrillic А + Latin "da"
    "Ad\u0430",          # Latin "Ad" + Cyrillic а
    "p\u0430ypal",       # Cyrillic а inside a Latin word
    "\u039fscar",        # Greek Ο + Latin
    "Ivan \u0418\u0432\u0430\u043d",  # two scripts, a space apart
]
MARKUP = ["[x](http://e.vil)", "**bold**", "`code`", "<b>x</b>", "# title", "a*b", "x(1)", "a|b", "a\\b",
          "{x}", "a~b", "a>b", "a=b", "@here", "$x$", "a!", "a:b", "a/b", "a,b", "a&b", "😀", "a\u200db",
          "a\u202eb", "tab\there", "new\nline", "\u3164", "\u0301a", "a\u0301\u0301\u0301\u0301", "...", "- _",
          "x" * 21, "⑴", 5, b"Ada"]


@pytest.mark.parametrize("typed", LOOK_ALIKES + MARKUP)
def test_look_alikes_markup_and_odd_characters_are_refused_without_echo(typed):
    with pytest.raises(InvalidSettingError) as caught:
        inputs.nickname(typed)
    # One fixed sentence whatever was typed, so nothing typed is ever shown back.
    assert str(caught.value) in (
        "A nickname has at most 20 characters: letters of one alphabet, digits 0-9, spaces and - _ . ' "
        "(no other signs); choose another one.", "A nickname must be text.")


def test_the_store_keeps_the_normalised_nickname_and_refuses_the_rest(tmp_path):
    store = ClassStore(f"sqlite:///{tmp_path / 'class.sqlite'}")
    klass = store.create_class()
    store.record_experiment(klass.code, "me", **BOARD, nickname=" Ｚｏｅ ")
    with pytest.raises(InvalidSettingError):
        store.record_experiment(klass.code, "you", **BOARD, nickname="\u0410da")
    assert [e.nickname for e in store.experiments(klass.code)] == ["Zoe"]
    store.close()
