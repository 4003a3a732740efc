"""Streamlit's AppTest, headless: open a page with a query, read its metrics and buttons, click,
and follow a sidebar link as a browser does."""

from streamlit.testing.v1 import AppTest

from tests.support.paths import ROOT

TIMEOUT = 120


def page(path, **query):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if path != "app.py":
        at.switch_page(path)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def labels(elements):
    return [e.label for e in elements]


def link_queries(at):
    return {link.proto.label: link.proto.query_string for link in at.sidebar.get("page_link")}


def click(at, label):
    next(b for b in at.button if b.label == label).click()
    return at.run()


def follow(at, label, path):
    """Click a sidebar link as a browser does: the new page gets only the link's parameters."""
    query = link_queries(at)[label]
    at.query_params.clear()
    at.query_params.update(dict(pair.split("=", 1) for pair in query.split("&") if pair))
    return at.switch_page(path).run()


def copy_link_text(at):
    return next(c.value for c in at.code if "?" in c.value)
