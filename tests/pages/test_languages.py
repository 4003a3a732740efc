"""Every page in German, Spanish and French: no English left, numbers written the language's way, and the
language kept in every link; an unknown language falls back to English and says so."""

import pytest

from digitlib.language import LANGUAGES, use
from digitlib.language.catalogs import catalog
from tests.support.apptest import link_queries, page
from tests.support.class_pages import CLASS, save_some
from tests.support.drawn import DRAW, SEVEN, as_sent
from tests.support.languages import left_in_english, shown_texts

PAGES = {  # each page with what it needs to show its lesson
    "app.py": {},
    "pages/1_Explore.py": {"index": "6"},
    "pages/2_Train.py": {"n": "100"},
    "pages/3_Evaluate.py": {"n": "100", "cell": "6-2"},
    "pages/4_Draw.py": {},
    "pages/5_Class.py": {},
    "pages/6_Neural.py": {"n": "100"},
}
OTHER = [lang for lang in LANGUAGES if lang != "en"]


@pytest.fixture(autouse=True)
def english_after():
    yield
    use("en")


def translated(lang, english):
    return catalog(lang).gettext(english)


def metric_values(at):
    return {m.label: m.value for m in at.metric}


@pytest.fixture(scope="module")
def english_pages():
    return {path: page(path, **query) for path, query in PAGES.items()}


@pytest.mark.parametrize("lang", OTHER)
@pytest.mark.parametrize("path", list(PAGES))
def test_no_english_left_on_the_page(path, lang, english_pages):
    at = page(path, lang=lang, **PAGES[path])
    assert not at.exception
    left = left_in_english(english_pages[path], at)
    assert not left, f"{len(left)} texts left in English on {path} in {lang}: {sorted(left)[:10]}"


def test_train_in_german_shows_the_lessons_068():
    at = page("pages/2_Train.py", n="100", lang="de")
    assert metric_values(at)[translated("de", "Accuracy on the first 100 test images")] == "0,68"
    assert at.title[0].value == translated("de", "Train a model") != "Train a model"


def test_evaluate_in_spanish_shows_088():
    at = page("pages/3_Evaluate.py", n="500", lang="es")
    assert metric_values(at)[translated("es", "Accuracy")] == "0,88"


def test_an_unknown_language_gives_english_with_a_notice():
    at = page("pages/2_Train.py", n="100", lang="xx")
    assert metric_values(at)["Accuracy on the first 100 test images"] == "0.68"
    assert any("lang=xx" in i.value and "English" in i.value for i in at.info)


def test_the_browser_language_is_used_without_a_link(monkeypatch):
    import streamlit as st

    monkeypatch.setattr(type(st.context), "locale", property(lambda self: "fr-FR"))
    at = page("pages/2_Train.py", n="100")
    assert at.title[0].value == translated("fr", "Train a model")
    assert "lang" not in link_queries(at)[translated("fr", "Evaluate")]  # the browser's own choice: no need to say


def test_every_link_keeps_the_language():
    at = page("pages/2_Train.py", n="100", lang="de")
    queries = link_queries(at)
    assert queries and all("lang=de" in query for query in queries.values())


def test_choosing_a_language_in_the_sidebar_translates_the_page_and_its_links():
    at = page("pages/2_Train.py", n="100")
    at.sidebar.selectbox[0].set_value("es").run()
    assert at.query_params["lang"] == ["es"] or at.query_params["lang"] == "es"
    assert at.title[0].value == translated("es", "Train a model")
    assert all("lang=es" in query for query in link_queries(at).values())


def test_numbers_in_the_sidebar_and_slider_are_grouped_the_languages_way():
    at = page("pages/2_Train.py", n="100", lang="de")
    assert any("60.000" in text for text in shown_texts(at))


def test_draw_in_french_answers_a_drawing_with_french_labels(canvas):
    canvas["sent"] = as_sent(SEVEN)
    english, french = page(DRAW), page(DRAW, lang="fr")
    assert not french.exception
    assert metric_values(english)  # the drawing is answered
    assert list(metric_values(french)) == [translated("fr", label) for label in metric_values(english)]
    assert list(metric_values(french).values()) == list(metric_values(english).values())  # the same digit
    assert not left_in_english(english, french)


@pytest.mark.parametrize("lang", OTHER)
def test_no_english_left_on_the_teachers_class_page_with_drawings(lang, store, new_class):
    save_some(store, new_class.code)

    def teachers(**query):
        at = page(CLASS, **{"class": new_class.code, "teacher": new_class.token, **query})
        return at.run()  # AppTest's second run drops the token, as the browser's reload does

    english, other = teachers(), teachers(lang=lang)
    assert not other.exception
    assert len(shown_texts(other)) > 40  # the teacher's controls, the board and the drawings are shown
    left = left_in_english(english, other) - {new_class.code}  # the class's code is a name
    assert not left, f"{len(left)} texts left in English on the teacher's Class page in {lang}: {sorted(left)[:10]}"


@pytest.mark.parametrize("lang", OTHER)
def test_no_english_left_on_draw_in_a_class_after_a_drawing(lang, canvas, new_class):
    canvas["sent"] = as_sent(SEVEN)
    english, other = page(DRAW, **{"class": new_class.code}), page(DRAW, lang=lang, **{"class": new_class.code})
    assert not other.exception
    left = left_in_english(english, other) - {new_class.code}
    assert not left, f"{len(left)} texts left in English on Draw in a class in {lang}: {sorted(left)[:10]}"
