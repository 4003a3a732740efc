"""digitlib.mnist.data on faults and hostile files: each is a DataFileError, and nothing big is unpacked
or allocated."""

import gzip
import io
import random
import struct
import tracemalloc
import zlib

import numpy as np
import pytest

from digitlib.errors import DataFileError
from digitlib.mnist import data

MIB = 2**20


def _small(mnist):
    return {"x_train": mnist.x_train[:8], "y_train": mnist.y_train[:8],
            "x_test": mnist.x_test[:4], "y_test": mnist.y_test[:4]}


def _npy(array=None, header=None, body=b""):
    """The bytes of a .npy member: an array, or a hand-made header dict followed by ``body``."""
    buf = io.BytesIO()
    if array is not None:
        np.lib.format.write_array(buf, np.asarray(array), allow_pickle=True)
    else:
        np.lib.format.write_array_header_1_0(buf, header)
        buf.write(body)
    return buf.getvalue()


def _zip(members):
    """A zip archive built by hand: ``members`` maps name -> (data, method, crc, declared size)."""
    local, central = b"", b""
    for name, (payload, method, crc, size) in members.items():
        fields = (20, 0, method, 0, 0, crc, len(payload), size, len(name), 0)
        central += struct.pack("<IH", 0x02014B50, 20) + struct.pack("<HHHHHIIIHH", *fields) + \
            struct.pack("<HHHII", 0, 0, 0, 0, len(local)) + name.encode()
        local += struct.pack("<I", 0x04034B50) + struct.pack("<HHHHHIIIHH", *fields) + name.encode() + payload
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(local), 0)
    return local + central + end


def _stored(payload):
    return payload, 0, zlib.crc32(payload), len(payload)


def _npz(mnist, **override):
    """A .npz (built by hand) of the small arrays, with some members replaced by raw member tuples."""
    members = {f"{k}.npy": _stored(_npy(v)) for k, v in _small(mnist).items()}
    members.update({f"{k}.npy": v for k, v in override.items()})
    return _zip(members)


def _deflated_zeros(prefix: bytes, total: int) -> bytes:
    """A raw deflate stream of ``prefix`` then zeros, ``total`` bytes in all, from one 64 MiB block
    repeated (each block is flushed so it stands alone): gigabytes in a few megabytes."""
    first = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = first.compress(prefix + bytes(64 * MIB - len(prefix))) + first.flush(zlib.Z_FULL_FLUSH)
    again = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = again.compress(bytes(64 * MIB)) + again.flush(zlib.Z_FULL_FLUSH)
    return head + block * (total // (64 * MIB) - 1) + zlib.compressobj(9, zlib.DEFLATED, -15).flush()


def _peak_mib(fn):
    """Run ``fn`` (which must raise DataFileError); return the error and the peak traced memory in MiB."""
    tracemalloc.start()
    try:
        with pytest.raises(DataFileError) as err:
            fn()
        return err.value, tracemalloc.get_traced_memory()[1] / MIB
    finally:
        tracemalloc.stop()


def test_fuzzed_uploads_load_or_give_a_clear_error(mnist):
    """Seeded mutations (bytes changed, cut, inserted, or all random) of small valid uploads."""
    small = _small(mnist)
    idx = {data.IDX_NAMES[k]: data.to_idx_bytes(v) for k, v in small.items()}
    idx_gz = {name + ".gz": gzip.compress(raw) for name, raw in idx.items()}
    npz_compressed = data.to_npz_bytes(data.Mnist(source="test", **small))
    plain = io.BytesIO()
    np.savez(plain, **small)
    rng = random.Random(8)

    def mutate(raw):
        raw = bytearray(raw)
        op = rng.randrange(4)
        if op == 0:
            for _ in range(rng.randint(1, 8)):
                raw[rng.randrange(len(raw))] = rng.randrange(256)
        elif op == 1:
            del raw[rng.randrange(len(raw)):]
        elif op == 2:
            at = rng.randrange(len(raw))
            raw[at:at] = rng.randbytes(rng.randint(1, 16))
        else:
            return rng.randbytes(rng.randint(0, 3000))
        return bytes(raw)

    outcomes = {"loaded": 0, "refused": 0}
    for _ in range(600):
        kind = rng.randrange(4)
        if kind < 2:
            files = {"mine.npz": mutate((npz_compressed, plain.getvalue())[kind])}
        else:
            files = dict(idx if kind == 2 else idx_gz)
            victim = rng.choice(list(files))
            files[victim] = mutate(files[victim])
        try:
            data.from_uploads(files)
            outcomes["loaded"] += 1
        except DataFileError as exc:
            assert str(exc).startswith("Cannot use the data file") and len(str(exc)) < 400
            outcomes["refused"] += 1
    assert outcomes["refused"] > 500  # most mutations break the file; a changed pixel does not


@pytest.mark.parametrize("cut", range(16))
def test_idx_header_cut_short(mnist, cut):
    header = data.to_idx_bytes(mnist.x_test[:2])[:cut]
    with pytest.raises(DataFileError, match="too short|cut short|wrong magic|truncated"):
        data.parse_idx(header, "t10k-images-idx3-ubyte")


@pytest.mark.parametrize("gzipped", [False, True])
def test_idx_header_declaring_a_billion_images_is_refused_unread(gzipped):
    raw = struct.pack(">IIII", data.IMAGE_MAGIC, 10**9, 28, 28) + bytes(784)
    files = {data.IDX_NAMES["x_train"] + (".gz" if gzipped else ""): gzip.compress(raw) if gzipped else raw}
    with pytest.raises(DataFileError, match="announces 1,000,000,000 × 28 × 28 = 784,000,000,000 bytes"):
        data.parse_idx(data._gunzip(next(iter(files.values())), "x"), "x")


def _idx_uploads(mnist, **override):
    """The four small IDX files, gzipped, with some replaced by raw bytes."""
    files = {data.IDX_NAMES[k] + ".gz": gzip.compress(data.to_idx_bytes(v)) for k, v in _small(mnist).items()}
    files.update({data.IDX_NAMES[k] + ".gz": v for k, v in override.items()})
    return files


def _gzip_bomb(header: bytes) -> bytes:
    """4 GiB of zeros behind ``header``, as 64 gzip members of 64 MiB (a 4 MB file)."""
    return gzip.compress(header) + gzip.compress(bytes(64 * MIB), compresslevel=9) * 64


def test_gzip_bomb_is_refused_after_one_mnist_file_worth(mnist):
    bomb = _gzip_bomb(struct.pack(">IIII", data.IMAGE_MAGIC, 60000, 28, 28))
    assert len(bomb) < 5 * MIB
    error, peak = _peak_mib(lambda: data.from_uploads(_idx_uploads(mnist, x_train=bomb)))
    assert "gzip bomb" in str(error)
    assert peak < 200  # MiB: it stopped after one MNIST file's worth, never inflating the 4 GiB


def test_gzip_bomb_is_refused_after_what_its_header_declares(mnist):
    """A header declaring 10 images: unpacking stops after their 7,840 bytes, not after 48 MiB."""
    bomb = _gzip_bomb(struct.pack(">IIII", data.IMAGE_MAGIC, 10, 28, 28))
    error, peak = _peak_mib(lambda: data.from_uploads(_idx_uploads(mnist, x_train=bomb)))
    assert "more than 7,856 bytes" in str(error) and "gzip bomb" in str(error)
    assert peak < 2


def test_idx_headers_declaring_too_much_in_all_are_refused_before_unpacking_any(mnist):
    """Two image files of 60,000 each pass one at a time (47 MB) but not together: refused from the
    headers, before either 4 GiB bomb behind them is unpacked."""
    images = _gzip_bomb(struct.pack(">IIII", data.IMAGE_MAGIC, 60000, 28, 28))
    error, peak = _peak_mib(lambda: data.from_uploads(_idx_uploads(mnist, x_train=images, x_test=images)))
    assert "declare 94,080,012 bytes in all" in str(error)
    assert peak < 2


def test_npz_arrays_declaring_too_much_in_all_are_refused_before_reading_any(mnist, monkeypatch):
    header = _npy(header={"descr": "|u1", "fortran_order": False, "shape": (60000, 28, 28)}, body=bytes(100))
    monkeypatch.setattr(data, "_read_npy_member", lambda *a: pytest.fail("an array was read"))
    with pytest.raises(DataFileError, match="declare 94,080,012 bytes in all"):
        data.from_uploads({"twice.npz": _npz(mnist, x_train=_stored(header), x_test=_stored(header))})


def _listing(entries: int, zip64: bool = False) -> bytes:
    """A zip that lists ``entries`` members (its central directory only), optionally behind a zip64 locator."""
    entry = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0) + b"a"
    central = entry * entries
    locator = struct.pack("<IIQI", 0x07064B50, 0, 0, 1) if zip64 else b""
    return central + locator + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, entries, entries, len(central), 0, 0)


@pytest.mark.parametrize("zip64", [False, True])
def test_a_zip_listing_thousands_of_members_is_refused_before_zipfile_parses_it(monkeypatch, zip64):
    """zipfile would build an object for each of 65,535 listed members (23 MiB from this 3 MB file)."""
    raw = _listing(4 if zip64 else 65535, zip64)
    monkeypatch.setattr(data.zipfile, "ZipFile", lambda *a, **k: pytest.fail("zipfile opened it"))
    with pytest.raises(DataFileError, match="its list of members takes"):
        data.from_uploads({"many.npz": raw})


@pytest.mark.parametrize("honest", [True, False])
def test_npz_zip_bomb_is_refused_without_unpacking_it(mnist, honest):
    """x_train.npy inflates to 3 GiB. Declared honestly, the size alone refuses it; declared as
    one MNIST array, reading stops there and the checksum fails."""
    header = _npy(header={"descr": "|u1", "fortran_order": False, "shape": (60000, 28, 28)})
    stream = _deflated_zeros(header, 3 * 1024 * MIB)
    declared = 3 * 1024 * MIB if honest else len(header) + 60000 * 784
    bomb = _npz(mnist, x_train=(stream, 8, 0, declared))
    assert len(bomb) < 4 * MIB
    error, peak = _peak_mib(lambda: data.from_uploads({"bomb.npz": bomb}))
    assert ("unpacks to 3,221,225,472 bytes" if honest else "not a readable .npz") in str(error)
    assert peak < 200


@pytest.mark.parametrize("shape, dtype, message", [
    ((10**9, 28, 28), "|u1", r"declares shape \(1000000000, 28, 28\)"),
    ((60000, 28, 28), "<i8", r"declares shape \(60000, 28, 28\) of int64"),
    ((-5, 28, 28), "|u1", "declares shape"),
    ((8, 28, 28), "<f8", "holds float64 values"),
    ((8, 28, 28), "|O", "holds Python objects"),
    ((8, 28, 28), [("a", "|u1"), ("b", "|O")], "holds Python objects"),
    ((8, 28, 28), [(f"field{i}", "<c16") for i in range(40)], "values, not pixel bytes"),
    ((8, 28, 28), "<U3", "holds <U3 values"),
])
def test_npz_headers_are_checked_before_loading(mnist, shape, dtype, message):
    """The .npy header alone decides: only a few bytes of data follow each of these."""
    member = _npy(header={"descr": dtype, "fortran_order": False, "shape": shape}, body=bytes(100))
    with pytest.raises(DataFileError, match=message) as err:
        data.from_uploads({"odd.npz": _npz(mnist, x_train=_stored(member))})
    assert len(str(err.value)) < 400


def test_hand_built_npz_of_the_small_arrays_loads(mnist):
    assert data.from_uploads({"ok.npz": _npz(mnist)}).x_train.shape == (8, 28, 28)


def test_npz_with_a_real_object_array_is_refused(mnist, tmp_path):
    path = tmp_path / "objects.npz"
    np.savez(path, x_train=np.array([{"a": 1}, None], dtype=object), y_train=mnist.y_train[:2],
             x_test=mnist.x_test[:2], y_test=mnist.y_test[:2])
    with pytest.raises(DataFileError, match="x_train holds Python objects"):
        data.load("file", path)


def test_oversized_local_idx_file_is_refused_unread(tmp_path):
    big = tmp_path / "train-images-idx3-ubyte"
    with open(big, "wb") as f:
        f.truncate(data.MAX_ARRAY_BYTES + 2 * MIB)  # sparse: no disk used
    with pytest.raises(DataFileError, match="more than the 50,331,648 bytes"):
        data.read_idx(big)


def test_full_size_mnist_passes_the_limits(mnist):
    """The real thing stays within them: an uncompressed .npz and the gzipped training images."""
    plain = io.BytesIO()
    np.savez(plain, **{k: getattr(mnist, k) for k in data.NPZ_KEYS})
    assert data.from_uploads({"mnist.npz": plain.getvalue()}).x_train.shape == (60000, 28, 28)
    raw = data.to_idx_bytes(mnist.x_train)
    assert data._gunzip(gzip.compress(raw, compresslevel=1), "x") == raw
