"""Exporting a class set for download and importing one from an uploaded file.

A class set travels as an ``.npz`` in keras's MNIST layout (``x_train`` and ``y_train``
hold the drawings, ``x_test`` and ``y_test`` are empty) with, optionally, a CSV of its
labels (``index,label,drawer,saved_at``). Importing never unpickles and looks at every
array's header before unpacking it, so a hostile or enormous file costs almost nothing.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from datetime import date, datetime

import numpy as np

from digitlib.errors import ClassFileError, DataFileError, InvalidSettingError
from digitlib.language import N_, _, formats
from digitlib.language.messages import Message
from digitlib.mnist import data
from digitlib.mnist.data import _NPZ_ERRORS, _short

from .wording import Later

MAX_IMAGES = 10_000
CSV_HEADER = ("index", "label", "drawer", "saved_at")
SPLITS = ("train", "test")
# An .npz is at most about as big as its arrays stored uncompressed: 784 pixel bytes and at
# most 8 label bytes per image, plus headers. A file over twice that is refused unopened.
_BYTES_PER_IMAGE = 2 * 792
_FILE_ALLOWANCE = 2**20


def to_npz(images: np.ndarray, labels: np.ndarray) -> bytes:
    """The drawings as a compressed ``.npz`` in keras's MNIST layout (empty test split)."""
    images, labels = np.asarray(images), np.asarray(labels)
    if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != (28, 28):
        raise InvalidSettingError(N_("Expected the drawings as 28x28 images of pixel bytes (uint8)."))
    if labels.shape != (len(images),) or not _all_digits(labels):
        raise InvalidSettingError(N_("Expected one label 0-9 per drawing."))
    buf = io.BytesIO()
    np.savez_compressed(
        buf,
        x_train=images,
        y_train=labels.astype(np.uint8),
        x_test=np.zeros((0, 28, 28), np.uint8),
        y_test=np.zeros(0, np.uint8),
    )
    return buf.getvalue()


def to_csv(ids, labels, drawers, saved_at) -> bytes:
    """The labels as UTF-8 CSV, one row per drawing in the ``.npz``'s order.

    ``index`` is the drawing's row in the ``.npz``; ``ids`` (the database's) only fix how
    many rows there are, since a downloaded file needs no database keys.
    """
    columns = [np.asarray(c) for c in (ids, labels, drawers)] + [list(saved_at)]
    if len({len(c) for c in columns}) != 1:
        raise InvalidSettingError(N_("ids, labels, drawers and saved_at must have one entry per drawing."))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for index, (label, drawer, when) in enumerate(zip(columns[1], columns[2], columns[3], strict=True)):
        writer.writerow((index, int(label), str(drawer), _iso(when)))
    return out.getvalue().encode("utf-8")


def pseudonyms(drawers) -> list[str]:
    """Each drawer's id replaced by "student k", numbered in order of first appearance;
    imported drawings stay "import". An export then never carries a session's id."""
    names: dict[str, str] = {}
    for drawer in drawers:
        if drawer not in names:
            names[drawer] = "import" if drawer == "import" else f"student {len(names) + 1 - ('import' in names)}"
    return [names[d] for d in drawers]


def shown(pseudonym: str) -> str:
    """A name from ``pseudonyms`` as a page shows it, in the current language (the files keep "student k")."""
    if pseudonym == "import":
        # TRANSLATORS: who drew the drawings the teacher imported from a file.
        return _("import")
    number = pseudonym.removeprefix("student ")
    # TRANSLATORS: a student of the class, named by number only (no names are kept).
    return _("student {number}").format(number=number) if number.isdigit() else pseudonym


def _iso(when) -> str:
    """ISO-8601 text of a datetime, numpy datetime64 or already-formatted string."""
    if when is None:
        return ""
    if isinstance(when, np.datetime64):
        return str(np.datetime_as_string(when, unit="s"))
    if isinstance(when, (datetime, date)):  # pandas Timestamps are datetimes
        return when.isoformat(timespec="seconds") if isinstance(when, datetime) else when.isoformat()
    return str(when)


def from_npz(raw: bytes, labels_csv: bytes | None = None, max_images: int = MAX_IMAGES
             ) -> tuple[np.ndarray, np.ndarray]:
    """The drawings (uint8, (n, 28, 28)) and labels (uint8, (n,)) of an uploaded ``.npz``.

    Reads our own export and keras's ``mnist.npz`` alike (train and test together, in that
    order). With ``labels_csv``, labels come from its ``label`` column by ``index`` and the
    file's ``y_`` arrays are not needed. Raises ``ClassFileError`` for anything wrong.
    """
    limit = max_images * _BYTES_PER_IMAGE + _FILE_ALLOWANCE
    if len(raw) > limit:
        raise _fail(N_("it is {size} MB, more than a set of at most {most} drawings can take up"),
                    size=_megabytes(len(raw)), most=max_images)
    want_labels = labels_csv is None
    try:
        data.check_zip_directory(io.BytesIO(raw), "the class set")  # before zipfile reads the member list
    except DataFileError as exc:
        raise _fail(exc.problem) from None
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = {name.removesuffix(".npy"): archive.getinfo(name) for name in archive.namelist()}
            keys = _keys(members, want_labels)
            headers = {key: _header(archive, members[key], key) for key in keys}
            _check_headers(headers, want_labels, max_images)
            arrays = {key: _read(archive, members[key], key) for key in keys}
    except ClassFileError:
        raise
    except _NPZ_ERRORS as exc:
        raise _fail(N_("it is not a readable .npz file ({reason})"), reason=_short(exc, 60)) from None
    splits = [s for s in SPLITS if f"x_{s}" in arrays]
    images = np.concatenate([_pixels(arrays[f"x_{s}"], f"x_{s}") for s in splits])
    if labels_csv is not None:
        return images, _labels_from_csv(labels_csv, len(images))
    labels = np.concatenate([arrays[f"y_{s}"] for s in splits])
    if not _all_digits(labels):
        raise _fail(N_("it has labels from {low} to {high}; digits must be 0-9"),
                    low=str(int(labels.min())), high=str(int(labels.max())))
    return images, labels.astype(np.uint8)


def _fail(problem: str, **values) -> ClassFileError:
    """The error for a file that cannot be imported; ``problem`` (marked ``N_``) says why."""
    problem = problem if isinstance(problem, Message) else Message(problem, **values)
    return ClassFileError(N_("This file cannot be imported as a class set: {problem}."), problem=problem)


def _megabytes(size: int) -> Later:
    """A file's size in MB with one decimal, written in the reader's language: 12.5 · 12,5."""
    return Later(lambda: formats.decimal(size / 2**20, 1))


def _keys(members: dict, want_labels: bool) -> list[str]:
    """Which arrays to read: x_train (and x_test if there), with their labels unless a CSV gives them."""
    if "x_train" not in members:
        raise _fail(N_("it has no x_train array of drawings (export a class set, or use keras's mnist.npz)"))
    splits = [s for s in SPLITS if f"x_{s}" in members]
    keys = [f"x_{s}" for s in splits]
    if want_labels:
        missing = [f"y_{s}" for s in splits if f"y_{s}" not in members]
        if missing:
            raise _fail(N_("it has no {arrays} array of labels (add the labels .csv)"), arrays=" or ".join(missing))
        keys += [f"y_{s}" for s in splits]
    return keys


def _header(archive: zipfile.ZipFile, info: zipfile.ZipInfo, key: str):
    """Shape, dtype and whether the member's size fits them, from its .npy header alone."""
    with archive.open(info) as fp:
        version = np.lib.format.read_magic(fp)
        read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, _fortran_order, dtype = read(fp)
        header_size = fp.tell()
    if dtype.hasobject:
        raise _fail(N_("{key} holds Python objects rather than numbers, and such files could run code "
                       "when opened"), key=key)
    if dtype.kind not in "iu" or dtype.itemsize > 8:
        raise _fail(N_("{key} holds {dtype} values; pixels and labels must be whole numbers"),
                    key=key, dtype=_short(dtype, 30))
    if any(d < 0 for d in shape):
        raise _fail(N_("{key} has an impossible shape"), key=key)
    return shape, dtype, info.file_size == header_size + math.prod(shape) * dtype.itemsize


def _check_headers(headers: dict, want_labels: bool, max_images: int) -> None:
    """Shapes that fit together, a count within bounds, and sizes that match the shapes."""
    total = 0
    for split in SPLITS:
        if f"x_{split}" not in headers:
            continue
        shape, dtype, _sized_right = headers[f"x_{split}"]
        if dtype.itemsize != 1:  # wider pixels would let a small file unpack to many times its size
            raise _fail(N_("{key} holds {dtype} pixels; a class set's pixels are bytes (uint8, 0-255)"),
                        key=f"x_{split}", dtype=str(dtype))
        if len(shape) != 3 or shape[1:] != (28, 28):
            raise _fail(N_("{key} holds an array of shape {shape}, not 28x28 images"),
                        key=f"x_{split}", shape=_short(shape, 40))
        if want_labels:
            label_shape = headers[f"y_{split}"][0]
            if label_shape != (shape[0],):
                raise _fail(N_("{key} has {n} images but {labels} is not one label per image (shape {shape})"),
                            key=f"x_{split}", n=int(shape[0]), labels=f"y_{split}", shape=_short(label_shape, 40))
        total += shape[0]
    if total == 0:
        raise _fail(N_("it holds no drawings"))
    if total > max_images:
        raise _fail(N_("it holds {n} drawings, more than the {most} a class set may have"),
                    n=int(total), most=max_images)
    for key, (_shape, _dtype, sized_right) in headers.items():
        # Bigger than its header says is a zip bomb or damage; smaller is a cut-off file.
        if not sized_right:
            raise _fail(N_("{key} is damaged: its size does not match its shape"), key=key)


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, key: str) -> np.ndarray:
    with archive.open(info) as fp:
        array = np.lib.format.read_array(fp, allow_pickle=False)
        # Reading on to the end makes zipfile verify the checksum.
        if fp.read(1):
            raise _fail(N_("{key} is damaged: it has more data than its shape says"), key=key)
    return array


def _pixels(images: np.ndarray, key: str) -> np.ndarray:
    if images.dtype != np.uint8:
        if images.size and (images.min() < 0 or images.max() > 255):
            raise _fail(N_("{key} has pixel values outside 0-255"), key=key)
        images = images.astype(np.uint8)
    return images


def _all_digits(labels: np.ndarray) -> bool:
    return np.issubdtype(labels.dtype, np.integer) and (labels.size == 0 or (labels.min() >= 0 and labels.max() <= 9))


def _labels_from_csv(raw: bytes, n: int) -> np.ndarray:
    """One label per drawing from a CSV's ``index`` and ``label`` columns."""

    def fail(problem: str, **values) -> ClassFileError:
        return ClassFileError(N_("The labels file cannot be used: {problem}."), problem=Message(problem, **values))

    if len(raw) > n * _BYTES_PER_IMAGE + _FILE_ALLOWANCE:
        raise fail(N_("it is {size} MB, far more than {n} labels take up"), size=_megabytes(len(raw)), n=n)
    try:
        rows = csv.reader(io.StringIO(raw.decode("utf-8-sig")))
        header = [h.strip().lower() for h in next(rows, [])]
        if "index" not in header or "label" not in header:
            raise fail(N_("its first line must name the columns, including index and label"))
        at_index, at_label = header.index("index"), header.index("label")
        labels = np.full(n, -1, dtype=np.int16)
        for row in rows:
            line = rows.line_num  # a quoted cell may span lines
            if not any(cell.strip() for cell in row):
                continue
            if len(row) <= max(at_index, at_label):
                raise fail(N_("line {line} has too few columns"), line=str(line))
            index, label = row[at_index].strip(), row[at_label].strip()
            if not (index.isascii() and index.isdigit() and len(index) <= 9 and int(index) < n):
                raise fail(N_("line {line} has the index '{index}'; indexes run from 0 to {last}, "
                              "one per drawing in the .npz"), line=str(line), index=_short(index, 12), last=n - 1)
            if label not in {str(d) for d in range(10)}:
                raise fail(N_("line {line} has the label '{label}'; labels must be digits 0-9"),
                           line=str(line), label=_short(label, 12))
            if labels[int(index)] >= 0:
                raise fail(N_("line {line} repeats index {index}"), line=str(line), index=index)
            labels[int(index)] = int(label)
    except UnicodeDecodeError:
        raise fail(N_("it is not a text (UTF-8) CSV file")) from None
    except csv.Error as exc:
        raise fail(N_("it is not a readable CSV file ({reason})"), reason=_short(exc, 60)) from None
    missing = np.flatnonzero(labels < 0)
    if len(missing):
        raise fail(N_("it has no label for {missing} of the {n} drawings (the first is index {first})"),
                   missing=len(missing), n=n, first=str(missing[0]))
    return labels.astype(np.uint8)
