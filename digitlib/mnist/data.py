"""Loading MNIST from the bundled copy, from keras, or from a file the user names.

Every loader returns the four uint8 arrays that ``tf.keras.datasets.mnist.load_data()``
returns: x_train (60000, 28, 28), y_train (60000,), x_test (10000, 28, 28), y_test (10000,).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import lzma
import math
import struct
import subprocess
import sys
import tempfile
import tokenize
import zipfile
import zlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from digitlib import serving
from digitlib.errors import DataFileError, DataSourceUnavailable
from digitlib.language import N_, _
from digitlib.language.messages import Message

BUNDLED_PATH = Path(__file__).resolve().parent.parent / "assets" / "mnist.npz"
REPO_ROOT = serving.REPO_ROOT
USE_BUNDLED = N_("Choose the bundled copy of MNIST instead; it holds the same images.")
KERAS_TIMEOUT = 600  # seconds for the keras child: importing tensorflow and an 11 MB download
NPZ_KEYS = ("x_train", "y_train", "x_test", "y_test")
IDX_NAMES = {
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}
IMAGE_MAGIC = 0x00000803
LABEL_MAGIC = 0x00000801
SOURCES = ("bundled", "keras", "file")
# The largest MNIST array, train-images-idx3-ubyte, holds 47,040,000 data bytes. Nothing bigger is
# unpacked or allocated: a hostile header or a gzip or zip bomb is refused after at most this much.
MAX_ARRAY_BYTES = 48 * 2**20
# TRANSLATORS: ends a sentence such as "x_train unpacks to 90,000,000 bytes, more than the …"
_TOO_BIG = Message(N_("more than the {limit} bytes this app accepts for one array (MNIST's largest, the training "
                      "images, has {mnist})"), limit=MAX_ARRAY_BYTES, mnist=47_040_000)
# All four arrays together: MNIST's hold 54,950,000 bytes. Every declared size is summed from the
# headers (.npy or IDX) before any array is read, so four arrays of 48 MiB each are refused unread.
MAX_TOTAL_BYTES = 54 * 2**20
HEADER_ALLOWANCE = 2**16  # room for a header: .npy headers are a few hundred bytes, IDX ones 16
# A zip's central directory lists its members; zipfile parses all of it on opening, at about
# 400 bytes of memory per listed member. Four arrays need a few hundred bytes.
MAX_ZIP_DIRECTORY = 2**16
# What reading a damaged or hostile .npz can raise (zipfile, zlib, lzma, numpy's header parser);
# tests/unit/mnist/test_data_faults.py fuzzes it.
_NPZ_ERRORS = (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error, lzma.LZMAError,
               NotImplementedError, RuntimeError, struct.error, OverflowError, KeyError, TypeError,
               SyntaxError, tokenize.TokenError)


@dataclass(frozen=True)
class Mnist:
    """The four MNIST arrays (uint8) and a short description of where they came from."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str | Message  # a Message: written in the reader's language where it is shown

    def as_tuple(self):
        """``((x_train, y_train), (x_test, y_test))``, as keras returns them."""
        return (self.x_train, self.y_train), (self.x_test, self.y_test)

    @cached_property
    def fingerprint(self) -> str:
        """A short hash of all four arrays: names this exact data in model keys."""
        digest = hashlib.sha256()
        for key in NPZ_KEYS:
            arr = getattr(self, key)
            digest.update(str(arr.shape).encode())
            digest.update(np.ascontiguousarray(arr).tobytes())
        return digest.hexdigest()[:16]

    def shapes(self) -> dict[str, tuple[int, ...]]:
        """Name -> shape of each array."""
        return {k: getattr(self, k).shape for k in NPZ_KEYS}


def load(source: str = "bundled", path: str | Path | None = None) -> Mnist:
    """Load MNIST from ``"bundled"`` (default), ``"keras"`` or ``"file"`` (needs ``path``)."""
    if source == "bundled":
        return load_npz(BUNDLED_PATH, source=Message(N_("bundled copy (digitlib/assets/mnist.npz)")))
    if source == "keras":
        return load_keras()
    if source == "file":
        if path is None:
            raise DataFileError(_("(none)"), Message(N_("no file was named")))
        return load_path(path)
    raise ValueError(_("unknown data source {source}; choose one of {sources}").format(source=repr(source),
                                                                                    sources=SOURCES))


def load_keras() -> Mnist:
    """The lesson's own loader, run in a child process (``digitlib.mnist.keras_source``): importing tensorflow
    costs about 7 s and 750 MB, so the child fetches MNIST into a temporary ``.npz``; its exit code says what failed."""
    from digitlib.mnist import keras_source  # its exit codes (the module is tiny)
    env = serving.child_environment()
    with tempfile.TemporaryDirectory(prefix="digits-keras-") as folder:
        out = Path(folder) / "mnist.npz"
        try:
            done = subprocess.run([sys.executable, "-m", "digitlib.mnist.keras_source", str(out)],
                                  cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                                  errors="replace", timeout=KERAS_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise DataSourceUnavailable(
                N_("keras did not finish loading MNIST within {minutes} minutes (is the network slow?). {advice}"),
                minutes=max(1, round(KERAS_TIMEOUT / 60)), advice=Message(USE_BUNDLED)) from None
        except OSError as exc:
            raise DataSourceUnavailable(N_("The keras source could not be started ({reason}). {advice}"),
                                        reason=_short(exc), advice=Message(USE_BUNDLED)) from None
        if done.returncode == keras_source.NO_TENSORFLOW:
            raise DataSourceUnavailable(N_("TensorFlow is not installed, so the keras source cannot be used. {advice}"),
                                        advice=Message(USE_BUNDLED))
        if done.returncode == keras_source.DOWNLOAD_FAILED:
            raise DataSourceUnavailable(N_("keras could not download MNIST (is this computer offline?). {advice}"),
                                        advice=Message(USE_BUNDLED))
        if done.returncode != 0 or not out.exists():
            lines = (done.stderr or "").strip().splitlines()
            detail = f": {_short(lines[-1])}" if lines else ""
            raise DataSourceUnavailable(N_("The keras source stopped unexpectedly (exit code {code}{detail}). "
                                           "{advice}"), code=str(done.returncode), detail=detail,
                                        advice=Message(USE_BUNDLED))
        arrays = _read_npz(out, "keras")  # read fully into memory before the folder goes
    return _checked(arrays, Message(N_("keras (tf.keras.datasets.mnist.load_data)")), "keras")


def load_path(path: str | Path) -> Mnist:
    """Load a ``.npz`` with keras's keys, or a folder holding the four IDX files."""
    path = Path(path)
    if path.is_dir():
        return load_idx_dir(path)
    if not path.exists():
        raise DataFileError(path, Message(N_("the file does not exist")))
    return load_npz(path)


def load_npz(path: str | Path, source: str | None = None) -> Mnist:
    """Load an ``.npz`` file holding x_train, y_train, x_test and y_test."""
    path = Path(path)
    if not path.exists():
        raise DataFileError(path, Message(N_("the file does not exist")))
    return _checked(_read_npz(path, path), source or Message(N_("file {path}"), path=str(path)), path)


def _read_npz(file, name) -> dict[str, np.ndarray]:
    """The four arrays of an ``.npz`` (a path or a file object), without pickles.

    Each member's unpacked size and its .npy header (shape, dtype) are checked before
    anything is unpacked, so a huge declared array or a zip bomb costs nothing.
    """
    try:
        check_zip_directory(file, name)
        with zipfile.ZipFile(file) as archive:
            members = {m.removesuffix(".npy"): m for m in archive.namelist()}
            missing = [k for k in NPZ_KEYS if k not in members]
            if missing:
                raise DataFileError(name, Message(N_("it lacks the arrays {names}"), names=", ".join(missing)))
            sizes = [_npy_member_size(archive, members[k], k, name) for k in NPZ_KEYS]
            _check_total(sum(sizes), name)
            return {k: _read_npy_member(archive, members[k]) for k in NPZ_KEYS}
    except DataFileError:
        raise
    except _NPZ_ERRORS as exc:
        raise DataFileError(name, Message(N_("it is not a readable .npz file ({reason})"),
                                          reason=_short(exc))) from None


def check_zip_directory(file, name) -> None:
    """``DataFileError`` for a zip whose central directory is longer than a few arrays need, before zipfile
    parses it: read from the end record, found as zipfile finds it; a zip64 end record is refused."""
    if isinstance(file, (str, Path)):
        with open(file, "rb") as fp:
            return check_zip_directory(fp, name)
    size = file.seek(0, io.SEEK_END)
    file.seek(max(0, size - 22 - 2**16))
    tail = file.read()
    file.seek(0)
    end = len(tail) - 22 if tail[-22:-18] == b"PK\x05\x06" and tail[-2:] == b"\0\0" else tail.rfind(b"PK\x05\x06")
    if end < 0:
        return  # not a zip file: zipfile says so
    directory = struct.unpack("<I", tail[end + 12:end + 16])[0]
    if directory > MAX_ZIP_DIRECTORY or tail[max(0, end - 20):end].startswith(b"PK\x06\x07"):
        raise DataFileError(name, Message(N_("its list of members takes {size} bytes; four arrays need a few hundred"),
                                          size=directory))


def _check_total(declared: int, name) -> None:
    if declared > MAX_TOTAL_BYTES:
        raise DataFileError(name, Message(
            N_("its arrays declare {size} bytes in all, more than the {limit} this app accepts (MNIST's four arrays "
               "hold {mnist})"), size=declared, limit=MAX_TOTAL_BYTES, mnist=54_950_000))


def _npy_member_size(archive: zipfile.ZipFile, member: str, key: str, name) -> int:
    """The bytes one array of an open ``.npz`` declares, from its zip entry and .npy header alone;
    refused if it is too big or not whole numbers."""
    info = archive.getinfo(member)
    if info.file_size > MAX_ARRAY_BYTES + HEADER_ALLOWANCE:
        raise DataFileError(name, Message(N_("{key} unpacks to {size} bytes, {too_big}"), key=key,
                                          size=info.file_size, too_big=_TOO_BIG))
    with archive.open(info) as fp:
        version = np.lib.format.read_magic(fp)
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, _fortran_order, dtype = read_header(fp)
    if dtype.hasobject:
        raise DataFileError(name, Message(N_("{key} holds Python objects, not pixel bytes 0-255"), key=key))
    if dtype.kind not in "iu":
        raise DataFileError(name, Message(N_("{key} holds {type} values, not pixel bytes 0-255"), key=key,
                                          type=_short(dtype)))
    count = math.prod(shape)
    if min(shape, default=0) < 0 or count * dtype.itemsize > MAX_ARRAY_BYTES:
        raise DataFileError(name, Message(N_("{key} declares shape {shape} of {type}, {too_big}"), key=key,
                                          shape=_short(shape), type=str(dtype), too_big=_TOO_BIG))
    return count * dtype.itemsize


def _read_npy_member(archive: zipfile.ZipFile, member: str) -> np.ndarray:
    with archive.open(member) as fp:
        return np.lib.format.read_array(fp, allow_pickle=False)


def _short(thing, limit: int = 80) -> str:
    """``str(thing)``, cut to ``limit`` characters: headers and exception texts can be long."""
    text = str(thing)
    return text if len(text) <= limit else text[:limit] + "…"


def load_idx_dir(folder: str | Path) -> Mnist:
    """Load the four IDX files (gzipped or not) from a folder, by their usual names."""
    folder = Path(folder)
    arrays = {}
    for key, stem in IDX_NAMES.items():
        candidates = [folder / (stem + ".gz"), folder / stem]
        found = next((p for p in candidates if p.exists()), None)
        if found is None:
            raise DataFileError(folder / stem, Message(N_("the file is missing (looked for it with and without .gz)")))
        arrays[key] = read_idx(found)
    return _checked(arrays, Message(N_("IDX files in {folder}"), folder=str(folder)), folder)


def read_idx(path: str | Path) -> np.ndarray:
    """Read one IDX file of unsigned bytes (images or labels), gzipped or not."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_ARRAY_BYTES + HEADER_ALLOWANCE:
            raise DataFileError(path, Message(N_("it has {size} bytes, {too_big}"), size=size, too_big=_TOO_BIG))
        raw = path.read_bytes()
    except OSError as exc:
        raise DataFileError(path, Message(N_("it cannot be read ({reason})"),
                                          reason=str(exc.strerror or exc))) from None
    return parse_idx(_gunzip(raw, path), path)


def _gunzip(raw: bytes, name, limit: int = MAX_ARRAY_BYTES + 16, head: bool = False) -> bytes:
    """The bytes themselves, or their decompression: never more than ``limit`` bytes (by default one
    MNIST file's data plus its header); with ``head``, only the first ``limit`` bytes, unchecked."""
    if raw[:2] != b"\x1f\x8b":
        return raw[:limit] if head else raw
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as stream:
            out = stream.read(limit if head else limit + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise DataFileError(name, Message(N_("it is a damaged gzip file ({reason})"), reason=_short(exc))) from None
    if len(out) > limit:
        raise DataFileError(name, Message(
            N_("it unpacks to more than {limit} bytes, more than an MNIST file of its header; it is not one (perhaps "
               "a gzip bomb)"), limit=limit))
    return out


def parse_idx(raw: bytes, name: str | Path = "(bytes)") -> np.ndarray:
    """Parse the bytes of an IDX file of unsigned bytes into an array."""
    header, dims = idx_header(raw, name)
    expected = math.prod(dims)
    actual = len(raw) - header
    if actual < expected:
        raise DataFileError(name, Message(N_("it is truncated: {actual} of {expected} data bytes are there"),
                                          actual=str(actual), expected=str(expected)))
    if actual > expected:
        raise DataFileError(name, Message(N_("it has {extra} bytes more than its header announces"),
                                          extra=str(actual - expected)))
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(dims)


def idx_header(raw: bytes, name: str | Path = "(bytes)") -> tuple[int, tuple[int, ...]]:
    """The header's length and the array's shape, from the first bytes of an IDX file; refused
    when the shape holds more than one MNIST file's bytes."""
    if len(raw) < 8:
        raise DataFileError(name, Message(N_("it is too short to be an IDX file")))
    magic = int.from_bytes(raw[:4], "big")
    if magic not in (IMAGE_MAGIC, LABEL_MAGIC):
        raise DataFileError(name, Message(
            N_("wrong magic number {magic} (IDX images start with {images}, labels with {labels})"),
            magic=f"0x{magic:08x}", images=f"0x{IMAGE_MAGIC:08x}", labels=f"0x{LABEL_MAGIC:08x}"),
        )
    ndim = raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise DataFileError(name, Message(N_("its header is cut short")))
    dims = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected = math.prod(dims)
    if expected > MAX_ARRAY_BYTES:
        shape = " × ".join(f"{d:,}" for d in dims)
        raise DataFileError(name, Message(N_("its header announces {shape} = {size} bytes, {too_big}"),
                                          shape=shape, size=expected, too_big=_TOO_BIG))
    return header, dims


def _checked(arrays: dict, source, name) -> Mnist:
    """Validate shapes, counts and labels; return uint8 arrays in an ``Mnist``."""
    out = {}
    for key, arr in arrays.items():
        arr = np.asarray(arr)
        if arr.dtype != np.uint8:
            if not np.issubdtype(arr.dtype, np.integer) or arr.min(initial=0) < 0 or arr.max(initial=0) > 255:
                raise DataFileError(name, Message(N_("{key} holds {type} values, not pixel bytes 0-255"), key=key,
                                                  type=str(arr.dtype)))
            arr = arr.astype(np.uint8)
        out[key] = arr
    for split in ("train", "test"):
        x, y = out[f"x_{split}"], out[f"y_{split}"]
        if x.ndim != 3 or x.shape[1:] != (28, 28):
            raise DataFileError(name, Message(N_("{key} has shape {shape}, expected (n, 28, 28) images"),
                                              key=f"x_{split}", shape=str(x.shape)))
        if y.ndim != 1:
            raise DataFileError(name, Message(N_("{key} has shape {shape}, expected one label per image"),
                                              key=f"y_{split}", shape=str(y.shape)))
        if len(x) != len(y):
            raise DataFileError(name, Message(
                N_("{images} {split} images but {labels} {split} labels: the counts differ"), images=str(len(x)),
                split=split, labels=str(len(y))))
        if len(x) == 0:
            raise DataFileError(name, Message(N_("there are no {split} images"), split=split))
        if y.max() > 9:
            raise DataFileError(name, Message(N_("{key} has labels up to {label}; digits must be 0-9"),
                                              key=f"y_{split}", label=str(int(y.max()))))
    return Mnist(source=source, **out)


def to_npz_bytes(mnist: Mnist) -> bytes:
    """Serialise to a compressed ``.npz`` with keras's keys (the bundled format)."""
    buf = io.BytesIO()
    np.savez_compressed(buf, **{k: getattr(mnist, k) for k in NPZ_KEYS})
    return buf.getvalue()


def flatten(images: np.ndarray) -> np.ndarray:
    """Reshape (n, 28, 28) images to (n, 784) rows, as the lesson does; stays uint8."""
    return images.reshape(len(images), -1)


def to_idx_bytes(array: np.ndarray) -> bytes:
    """Encode a uint8 array as an IDX file (the inverse of :func:`parse_idx`)."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    magic = IMAGE_MAGIC if array.ndim == 3 else LABEL_MAGIC
    header = (magic & 0xFFFFFF00 | array.ndim).to_bytes(4, "big")
    header += b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return header + array.tobytes()


def from_uploads(files: dict[str, bytes]) -> Mnist:
    """Load uploaded files: one ``.npz``, or the four IDX files (gzipped or not) by name."""
    if not files:
        raise DataFileError(_("(upload)"), Message(N_("no file was uploaded")))
    npz = [name for name in files if name.lower().endswith(".npz")]
    if npz:
        if len(files) > 1:
            raise DataFileError(", ".join(files),
                                Message(N_("upload either one .npz file or the four IDX files, not both")))
        name = npz[0]
        return _checked(_read_npz(io.BytesIO(files[name]), name), Message(N_("uploaded file {name}"), name=name), name)
    names = {}
    for key, stem in IDX_NAMES.items():
        matches = [name for name in files if stem in name]
        if len(matches) != 1:
            raise DataFileError(stem, Message(N_("upload exactly one file with this name (with or without .gz)")))
        names[key] = matches[0]
    # Every header first (the first bytes of each file, unpacked if gzipped), then only what they declare.
    headers = {key: idx_header(_gunzip(files[name], name, 4 + 4 * 255, head=True), name) for key, name in names.items()}
    _check_total(sum(math.prod(dims) for _header, dims in headers.values()), ", ".join(files))
    arrays = {key: parse_idx(_gunzip(files[name], name, headers[key][0] + math.prod(headers[key][1])), name)
              for key, name in names.items()}
    return _checked(arrays, Message(N_("uploaded IDX files")), ", ".join(files))
