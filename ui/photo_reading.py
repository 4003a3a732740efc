"""Draw's photo of paper: a file or the camera, read once per photo and model.

The session keeps the last reading (its steps' images, each at most 1,600 px), keyed by a hash of the photo's
bytes and the model, so reruns (a correction, a save) do not read it again; the bytes themselves are read
from the upload only for that hash and the reading, never kept. A photo that cannot be read keeps its one
sentence instead, and the rest of the page works on.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from digitlib.errors import NoDigitsFoundError, TooManyDigitsError, UnreadablePhotoError
from digitlib.language import N_, _
from digitlib.paper import photo_bounds, reading
from ui import class_saving, class_session, number_view

LABEL = N_("Photo of a handwritten number")
CAMERA = N_("Take a photo")
# (hash of the photo and the model, NumberReading or None, (error, icon) or None); the error is kept, not its
# sentence, so it is written in the language of the run that shows it
_LAST = "photo_last"
# What each refusal looks like: a file that is no photo, a photo without a number, too many digits.
_ICONS = {UnreadablePhotoError: ":material/broken_image:", NoDigitsFoundError: ":material/search_off:",
          TooManyDigitsError: ":material/format_list_numbered:"}


def types() -> list[str]:
    """The file types the uploader offers: JPEG, PNG and WebP, and HEIC where this server reads it."""
    return ["jpg", "jpeg", "png", "webp"] + (["heic", "heif"] if photo_bounds.heic_supported() else [])


def section(reader) -> None:
    """The number read above the photo input (a file, or the camera once asked for), the digits boxed beside;
    then each step, each digit with its correction, and in a class the box that saves them. ``reader()`` gives
    the model (a Reader)."""
    left, right = st.columns([1, 1], gap="large")
    with left:
        answer = st.container()  # above the input, so a phone shows the number read without scrolling
        use_camera = st.toggle(_("Use the camera"), key="photo_camera",
                               help=_("The browser asks for the camera only when this is on."))
        if use_camera:
            shot = st.camera_input(_(CAMERA), resolution="1080p")
        else:
            shot = st.file_uploader(_(LABEL), type=types(), key="photo_file")
        st.caption(_("Write the number large and dark on white, plain, ruled or squared paper; photograph the "
                     "paper from above, close enough for the number to fill about half the picture."))
    if shot is None:
        st.session_state.pop(_LAST, None)
        answer.info(_("Upload a photo of a number written on paper (or turn on the camera) to see it read digit "
                      "by digit."), icon=":material/photo_camera:")
        return
    model = reader()
    found, problem = read(shot, model)
    if problem is not None:
        error, icon = problem
        answer.warning(str(error), icon=icon)
        return
    number_view.answer(answer, found)
    answer.caption(model.about)
    number_view.boxes(right, found, _("4 · Each digit boxed and numbered, left to right (steps 1-3 below)"))
    number_view.steps(found, photo=True)
    key = f"photo-{st.session_state[_LAST][0][:12]}"
    labels = number_view.digits(found, key)
    if class_session.code():
        class_saving.number_box(found.read, labels, key)


def read(upload, model) -> tuple[reading.NumberReading | None, tuple[Exception, str] | None]:
    """The number in an uploaded photo read by ``model`` (a Reader), or the error (and icon) saying why not;
    a photo and model read before in this session are not read again."""
    data = upload.getvalue()
    hashed = hashlib.blake2b(model.key.encode(), digest_size=16)
    hashed.update(data)
    digest = hashed.hexdigest()
    last = st.session_state.get(_LAST)
    if last is not None and last[0] == digest:
        return last[1], last[2]
    found, problem = None, None
    try:
        with st.spinner(_("Reading the photo…")):
            found = reading.read_photo(data, model.model)
    except (UnreadablePhotoError, NoDigitsFoundError, TooManyDigitsError) as exc:
        problem = (exc, next(icon for kind, icon in _ICONS.items() if isinstance(exc, kind)))
    del data
    st.session_state[_LAST] = (digest, found, problem)
    return found, problem
