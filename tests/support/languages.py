"""What a page shows in words, to compare one language with another (AppTest)."""

from scripts.unmarked_text import is_text

# The element kinds whose text a student reads, and what of each is text.
_TEXTS = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success")
_KINDS = (*_TEXTS, "button", "toggle", "checkbox", "radio", "selectbox", "select_slider", "slider", "number_input",
          "text_input", "metric", "expander", "tabs", "multiselect", "text_area")


def _texts_of(element, kind: str) -> list[str]:
    texts = []
    # A widget's value is what it holds (an option's key such as "bundled"), not what it shows.
    for attribute in ("value", "label", "body") if kind in (*_TEXTS, "metric") else ("label",):
        value = getattr(element, attribute, None)
        if isinstance(value, str):
            texts.append(value)
    for option in getattr(element, "options", None) or []:
        if isinstance(option, str):
            texts.append(option)
    help_text = getattr(getattr(element, "proto", None), "help", "")
    if help_text:
        texts.append(help_text)
    return texts


def shown_texts(at) -> set[str]:
    """Every readable text of the page, its sidebar included: labels, options, help, messages, links."""
    texts = set()
    for kind in _KINDS:
        try:
            elements = at.get(kind)
        except (AttributeError, KeyError):
            continue
        for element in elements:
            texts.update(_texts_of(element, kind))
    for link in at.get("page_link"):
        texts.add(link.proto.label)
    return {text.strip() for text in texts if text and is_text(text)}


def left_in_english(english, other) -> set[str]:
    """Texts the page shows word for word in both languages: what was left untranslated."""
    return shown_texts(english) & shown_texts(other)
