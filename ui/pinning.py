"""Evaluate's pinned model: kept in the session and in the URL (``pin_n``, ``pin_C``… like the model's own)."""

from __future__ import annotations

import streamlit as st

from digitlib import links
from digitlib.registry import ModelSpec
from ui import settings

PREFIX = "pin_"
PARAMS = tuple(PREFIX + name for name in links.MODEL_PARAMS)
_PINNED = "eval_pin"  # session key: the pinned ModelSpec, or None


def pinned() -> ModelSpec | None:
    """The pinned model: from the link's ``pin_…`` settings, else the session's; None if none."""
    settings.start_value(_PINNED, PARAMS, lambda: settings.from_url(PREFIX))
    return st.session_state[_PINNED]


def params() -> dict[str, str | None]:
    """The pinned model's settings as URL parameters (None: absent), for ``settings.keep``."""
    spec = st.session_state.get(_PINNED)
    written = {PREFIX + k: v for k, v in links.params(spec).items()} if spec else {}
    return {name: written.get(name) for name in PARAMS}


def pin(spec: ModelSpec | None) -> None:
    """Pin ``spec`` (None: unpin)."""
    st.session_state[_PINNED] = spec
