"""Every setting of Train, Evaluate and Draw lives in the URL, and travels with the sidebar's links.

The *view* is what the session last showed: the model settings (``n mode seed C gamma kernel``,
digitlib/display/model_links.py) and a page's own (Evaluate's ``test`` and ``index``). A page reads them from
its URL, checked: odd values get a notice and the lesson's are used. Streamlit drops a page's
parameters when the session moves to another page, so whatever a link left out is put back
from the view first. ``keep`` writes the view into the URL (only when it changed) and into the
sidebar's links, so the address bar is always a link to what the page shows.
"""

from __future__ import annotations

import threading

import streamlit as st

from digitlib.display import model_links
from digitlib.language import N_, _, formats
from digitlib.mnist import sampling
from digitlib.svm.model import KERNELS
from digitlib.svm.model_spec import ModelSpec
from ui import class_session, page_language, resources, site_map, url_params

MODEL_PARAMS = model_links.MODEL_PARAMS
# The lesson's steps, as the Train page offers them (labels marked N_, shown with _()).
PRESETS = {
    N_("Step 1: 100 images"): ModelSpec(n=100),
    N_("Step 2: 500 images"): ModelSpec(n=500),
    N_("All 60,000"): ModelSpec(n=60_000),
}
# The Train page's widgets: their session-state keys, by what they set.
WIDGETS = {"n": "train_n", "mode": "train_mode", "seed": "train_seed", "C": "train_C",
           "gamma": "train_gamma", "gamma_value": "train_gamma_value", "kernel": "train_kernel"}
GAMMA_CHOICES = [*model_links.GAMMA_WORDS, "custom"]
CUSTOM_GAMMA = 0.03
_VIEW = "url_view"  # session key: the view, as URL parameters
# Longest value a page link passes on untouched from a URL it did not read.
_PASS_ON_LIMIT = 40
# This script run's sidebar links (redrawn when the view changes what they carry), and whether the run
# is the first of its page since the session showed another.
_run = threading.local()
_SHOWN = "page_shown"  # session key: the page the session showed last


def sizes(mnist=None) -> list[int]:
    """The sample sizes this server offers: those it may train, and bigger ones that come ready-made."""
    mnist = mnist or resources.current_data()
    shipped = resources.registry(mnist).shipped
    return [n for n in resources.SLIDER_SIZES if n <= len(mnist.x_train)
            and (n <= resources.MAX_TRAIN or ModelSpec(n=n) in shipped)]


def from_url(prefix: str = "") -> ModelSpec | None:
    """The model settings in the URL (each name after ``prefix``: ``pin_n``), checked; None if it has none."""
    if not any(prefix + name in st.query_params for name in MODEL_PARAMS):
        return None
    lesson, options = ModelSpec(), sizes()
    n = url_params.int_query_param(prefix + "n", lesson.n, options[0], options[-1])
    mode = url_params.choice_query_param(prefix + "mode", list(sampling.MODES), lesson.mode)
    seed = url_params.int_query_param(prefix + "seed", lesson.seed, *model_links.SEED_RANGE)
    C = url_params.float_query_param(prefix + "C", lesson.C, model_links.C_VALUES[0], model_links.C_VALUES[-1])
    gamma = url_params.float_query_param(prefix + "gamma", lesson.gamma, *model_links.GAMMA_RANGE,
                                         words=model_links.GAMMA_WORDS)
    kernel = url_params.choice_query_param(prefix + "kernel", list(KERNELS), lesson.kernel)
    C = model_links.nearest(C, model_links.C_VALUES, log=True)
    return model_links.spec(model_links.nearest(n, options), mode, seed, C, gamma, kernel)


def chosen() -> ModelSpec | None:
    """The model settings of this view: from the URL (the view's put back if a link left them out),
    else the model this session used last; None if there are none."""
    _put_back()
    return from_url() or resources.session_spec()


def keep(spec: ModelSpec | None = None, **page: int | str | None) -> None:
    """Make ``spec`` and the page's own settings (``test=…``; None: absent) the view: in the URL, the
    sidebar links, the session."""
    view = dict(_view())
    if spec is not None:
        view = {k: v for k, v in view.items() if k not in MODEL_PARAMS} | model_links.params(spec)
    view.update({name: str(value) for name, value in page.items() if value is not None})
    view = {name: value for name, value in view.items() if page.get(name, "") is not None}
    st.session_state[_VIEW] = view
    owned = (MODEL_PARAMS if spec is not None else ()) + tuple(page)
    _write({name: view[name] for name in owned if name in view}, owned)
    _draw_sidebar_links()


def own_model() -> ModelSpec | None:
    """For Draw: the view's model settings, kept in its URL; None if there are none or this server
    can neither find nor train that model."""
    spec = chosen()
    if spec is None:
        return None
    keep(spec)
    return spec if reachable(spec) else None


def link_params() -> dict[str, str]:
    """The model settings every page link carries: the view's, else those this page's URL came with."""
    view = {k: v for k, v in _view().items() if k in MODEL_PARAMS}
    return view or {k: st.query_params[k] for k in MODEL_PARAMS
                    if k in st.query_params and len(st.query_params[k]) <= _PASS_ON_LIMIT}


def page_link_params() -> dict[str, str]:
    """What every link between pages carries: the class code and the model settings."""
    return {**class_session.link_params(), **page_language.link_params(), **link_params()}


def note_page(path: str) -> None:
    """Record which page this run shows (``arrived`` then says whether the session just came to it)."""
    _run.arrived = st.session_state.get(_SHOWN) != path
    st.session_state[_SHOWN] = path


def arrived() -> bool:
    """Whether this run is the first of its page since the session showed another page (or none)."""
    return getattr(_run, "arrived", True)


def sidebar_links() -> None:
    """The sidebar's page links, here; redrawn whenever the view changes what they carry."""
    _run.links, _run.params = st.empty(), None
    _draw_sidebar_links()


def _draw_sidebar_links() -> None:
    params = page_link_params()
    if getattr(_run, "links", None) is None or params == _run.params:
        return
    _run.params = params
    with _run.links.container():
        for page in site_map.PAGES:
            st.page_link(page.path, label=_(page.title), icon=page.icon, query_params=params)


def reachable(spec: ModelSpec) -> bool:
    """Whether this server has the model for ``spec`` or may train it (``DIGITS_MAX_TRAIN``)."""
    registry = resources.registry()
    return spec.n <= resources.MAX_TRAIN or registry.cached(spec) is not None or registry.on_disk(spec)


def stop_if_out_of_reach(spec: ModelSpec) -> None:
    """Say why and stop the page if this server can neither find nor train ``spec``'s model."""
    if not reachable(spec):
        st.info(_("This server trains models on at most {max} images. Above that, only the "
                  "lesson's settings (first N, C=1, gamma 'scale', rbf) are available, ready-made. "
                  "Choose those settings, or fewer images.").format(max=formats.count(resources.MAX_TRAIN)),
                icon=":material/memory:")
        st.stop()


# -- the Train page's widgets ------------------------------------------------------------
def train_widgets(options: list[int]) -> None:
    """Give the Train widgets (on Train and Neural) the view's settings when the page opens, and when a
    link brings others.

    Streamlit names a widget after its page as well as its key, so a key the other page's widget
    left in the session holds nothing for this page's: on arrival they are always set.
    """
    wanted = chosen() or ModelSpec()
    if arrived() or WIDGETS["n"] not in st.session_state or model_links.params(wanted) != _model_view():
        _set_widgets(wanted, options)
    st.session_state.setdefault(WIDGETS["gamma_value"], CUSTOM_GAMMA)


def lesson_steps(current: ModelSpec, options: list[int]) -> None:
    """A button for each of the lesson's steps this server offers; the one on show is highlighted."""
    for label, spec in PRESETS.items():
        if spec.n in options:
            st.button(_(label), key=f"step-{spec.n}", on_click=_set_widgets, args=(spec, options),
                      type="primary" if spec == current else "secondary")


def _set_widgets(spec: ModelSpec, options: list[int]) -> None:
    state = st.session_state
    for key in (WIDGETS["seed"], WIDGETS["gamma_value"]):  # kept while unused (the first N need no seed),
        if key in state:                                   # and carried to another page's widgets
            state[key] = state[key]
    state[WIDGETS["n"]] = model_links.nearest(spec.n, options)
    state[WIDGETS["mode"]] = spec.mode
    if spec.mode != "first" or WIDGETS["seed"] not in state:
        state[WIDGETS["seed"]] = spec.seed
    state[WIDGETS["C"]] = spec.C
    state[WIDGETS["kernel"]] = spec.kernel
    if isinstance(spec.gamma, str):
        state[WIDGETS["gamma"]] = spec.gamma
    else:
        state[WIDGETS["gamma"]], state[WIDGETS["gamma_value"]] = "custom", spec.gamma


# -- a page's own settings ------------------------------------------------------------------
def start_int(key: str, name: str, default: int, low: int = 0, high: int = 0, options: list[int] | None = None) -> None:
    """Give widget ``key`` the whole number ``?name=`` (in low–high, or the nearest of ``options``) when
    the page opens or a link brings another; ``default`` once its value falls outside the range."""
    _put_back(name)
    low, high = (options[0], options[-1]) if options else (low, high)
    value = st.session_state.get(key)
    if value is None or st.query_params.get(name) != _view().get(name):
        value = url_params.int_query_param(name, default, low, high)
        value = model_links.nearest(value, options) if options else value
    if not low <= value <= high:
        value = default
    if st.session_state.get(key) != value:
        st.session_state[key] = value


def start_value(key: str, names: tuple[str, ...], read) -> None:
    """Give session key ``key`` the value ``read()`` takes from the URL's ``names`` when the page
    opens or a link brings others; keep the session's otherwise."""
    _put_back(*names)
    url = {name: st.query_params.get(name) for name in names if name in st.query_params}
    if key not in st.session_state or url != {name: _view()[name] for name in names if name in _view()}:
        st.session_state[key] = read()


# -- the link ---------------------------------------------------------------------------
def copy_link(*page_params: str) -> None:
    """A "Copy link" control with this view's full address: the class code and the settings,
    never the teacher's token."""
    view = _view()
    query = {**class_session.link_params(), **page_language.link_params(),
             **{k: view[k] for k in (*MODEL_PARAMS, *page_params) if k in view}}
    query.pop(class_session.TEACHER_PARAM, None)
    url = model_links.share_url(st.context.url or "", query)
    with st.popover(_("Copy link"), icon=":material/link:"):
        st.caption(_("This page as you see it, for the board or a message (copy button on the right):"))
        st.code(url, language=None, wrap_lines=True)


# -- the view and the URL ---------------------------------------------------------------------
def _view() -> dict[str, str]:
    return st.session_state.get(_VIEW, {})


def _model_view() -> dict[str, str]:
    return {k: v for k, v in _view().items() if k in MODEL_PARAMS}


def _put_back(*names: str) -> None:
    """Put into the URL what a page link left out: the view's model settings, and its ``names``."""
    back = {}
    if not any(name in st.query_params for name in MODEL_PARAMS):
        back.update(_model_view())
    back.update({name: _view()[name] for name in names if name in _view() and name not in st.query_params})
    if back:
        st.query_params.update(back)


def _write(params: dict[str, str], owned: tuple[str, ...]) -> None:
    """Make the URL's ``owned`` parameters exactly ``params``, leaving the others; only if it changes."""
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    wanted = {key: values for key, values in current.items() if key not in owned}
    wanted.update({key: [value] for key, value in params.items()})
    if wanted != current:
        st.query_params.from_dict(wanted)
