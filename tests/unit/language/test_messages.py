"""Messages translated when shown: an error raised in one language reads in the reader's."""

import pytest

from digitlib.errors import DataFileError, DigitsError
from digitlib.language import N_, _, catalogs, ngettext, use
from digitlib.language.messages import Message


@pytest.fixture(autouse=True)
def english_after():
    yield
    use("en")


def first_translated(lang):
    """A message the catalog of ``lang`` translates (to test against real catalogs, whatever they hold)."""
    catalog = catalogs.catalog(lang)
    for msgid in getattr(catalog, "_catalog", {}):
        if isinstance(msgid, str) and msgid and "{" not in msgid and catalog.gettext(msgid) != msgid:
            return msgid, catalog.gettext(msgid)
    pytest.skip(f"the {lang} catalog translates nothing yet")


def test_gettext_answers_in_the_threads_language():
    msgid, german = first_translated("de")
    use("de")
    assert _(msgid) == german
    use("en")
    assert _(msgid) == msgid


def test_an_error_raised_in_english_reads_in_german_when_shown_in_german():
    msgid, german = first_translated("de")
    error = DigitsError(msgid)
    use("de")
    assert str(error) == german


def test_numbers_in_a_message_are_written_by_the_reader():
    message = Message(N_("{n} of {total} images"), n=1500, total=60000)
    assert str(message) == "1,500 of 60,000 images"
    use("de")
    assert str(message) == "1.500 of 60.000 images"  # no translation of this made-up message: numbers still German


def test_data_file_error_names_file_and_problem():
    error = DataFileError("mnist.npz", "it is empty")
    assert str(error) == "Cannot use the data file 'mnist.npz': it is empty"
    assert error.path == "mnist.npz"


def test_plural_forms_follow_the_count():
    assert ngettext("{n} drawing", "{n} drawings", 1) == "{n} drawing"
    assert ngettext("{n} drawing", "{n} drawings", 2) == "{n} drawings"


def test_a_thread_that_never_chose_asks_the_registered_fallback():
    """A fragment's own rerun runs in a thread that never passed the page's top: it speaks the session's."""
    import threading

    heard, before = {}, catalogs._fallback  # the app's own, if a page test registered it
    catalogs.when_unset(lambda: "de")
    try:
        worker = threading.Thread(target=lambda: heard.update(lang=catalogs.current()))
        worker.start()
        worker.join()
        assert heard["lang"] == "de"
        catalogs.when_unset(lambda: None)  # a training job's thread: no session, English
        worker = threading.Thread(target=lambda: heard.update(lang=catalogs.current()))
        worker.start()
        worker.join()
        assert heard["lang"] == "en"
    finally:
        catalogs.when_unset(before)
