import csv
import io
import struct
import tracemalloc
import zlib
from datetime import UTC, datetime

import numpy as np
import pytest

from digitlib.classroom import transfer
from digitlib.errors import ClassFileError, InvalidSettingError
from digitlib.mnist import data

MIB = 2**20


@pytest.fixture(scope="module")
def small(mnist):
    return mnist.x_train[:40].copy(), mnist.y_train[:40].copy()


def _npz(**arrays) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def _npy_header(shape, descr="|u1") -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": descr, "fortran_order": False, "shape": shape})
    return buf.getvalue()


def _zip(members: dict) -> bytes:
    """A zip built by hand, so sizes and checksums can lie: name -> (payload, method, crc, unpacked size)."""
    local = central = b""
    for name, (payload, method, crc, size) in members.items():
        fields = struct.pack("<HHHHHIIIHH", 20, 0, method, 0, 0, crc, len(payload), size, len(name), 0)
        central += (struct.pack("<IH", 0x02014B50, 20) + fields + struct.pack("<HHHII", 0, 0, 0, 0, len(local))
                    + name.encode())
        local += struct.pack("<I", 0x04034B50) + fields + name.encode() + payload
    return local + central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                                         len(central), len(local), 0)


def _stored(payload: bytes):
    return payload, 0, zlib.crc32(payload), len(payload)


def _deflated(prefix: bytes, zeros_mib: int) -> bytes:
    """A raw deflate stream of ``prefix`` then ``zeros_mib`` MiB of zeros, from one repeated 8 MiB block."""
    head = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = head.compress(prefix) + head.flush(zlib.Z_FULL_FLUSH)
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = block.compress(bytes(8 * MIB)) + block.flush(zlib.Z_FULL_FLUSH)
    return stream + block * (zeros_mib // 8) + zlib.compressobj(9, zlib.DEFLATED, -15).flush()


def _refused(raw, match, **kwargs) -> ClassFileError:
    with pytest.raises(ClassFileError, match=match) as err:
        transfer.from_npz(raw, **kwargs)
    assert len(str(err.value)) < 300
    return err.value


def test_round_trip(small):
    images, labels = small
    back_images, back_labels = transfer.from_npz(transfer.to_npz(images, labels))
    assert back_images.dtype == back_labels.dtype == np.uint8
    np.testing.assert_array_equal(back_images, images)
    np.testing.assert_array_equal(back_labels, labels)


def test_export_has_keras_layout_and_loads_without_pickle(small):
    images, labels = small
    with np.load(io.BytesIO(transfer.to_npz(images, labels)), allow_pickle=False) as f:
        assert sorted(f.files) == sorted(data.NPZ_KEYS)
        assert (f["x_train"].shape, f["x_train"].dtype) == ((40, 28, 28), np.uint8)
        assert (f["y_train"].shape, f["y_train"].dtype) == ((40,), np.uint8)
        assert f["x_test"].shape == (0, 28, 28) and f["y_test"].shape == (0,)
        assert f["x_test"].dtype == f["y_test"].dtype == np.uint8


def test_keras_mnist_file_reads_train_and_test_together():
    raw = data.BUNDLED_PATH.read_bytes()
    _refused(raw, "70,000 drawings, more than the 10,000")
    images, labels = transfer.from_npz(raw, max_images=70_000)
    assert images.shape == (70_000, 28, 28) and labels.shape == (70_000,)
    assert labels[:3].tolist() == [5, 0, 4] and labels[60_000:60_003].tolist() == [7, 2, 1]


def test_other_label_dtypes_and_a_file_without_a_test_split(small):
    images, labels = small
    got_images, got_labels = transfer.from_npz(_npz(x_train=images, y_train=labels.astype(np.int32)))
    np.testing.assert_array_equal(got_images, images)
    assert got_images.dtype == got_labels.dtype == np.uint8


@pytest.mark.parametrize("cut", [10, 200, 0.5, -30])
def test_truncated_file(small, cut):
    raw = transfer.to_npz(*small)
    end = int(len(raw) * cut) if isinstance(cut, float) else cut
    _refused(raw[:end], "not a readable .npz file")


def test_not_a_zip_at_all():
    _refused(b"index,label\n0,1\n", "not a readable .npz file")


def test_pickled_object_array_is_refused_unread(small, monkeypatch):
    import pickle

    monkeypatch.setattr(pickle, "loads", lambda *a, **k: pytest.fail("unpickled"))
    monkeypatch.setattr(pickle, "load", lambda *a, **k: pytest.fail("unpickled"))
    raw = _npz(x_train=np.array([{"a": 1}, None], dtype=object), y_train=small[1][:2])
    _refused(raw, "x_train holds Python objects")
    raw = _npz(x_train=small[0], y_train=np.array(list(small[1]), dtype=object))
    _refused(raw, "y_train holds Python objects")


@pytest.mark.parametrize("arrays, match", [
    ({"x_train": np.zeros((3, 28, 27), np.uint8), "y_train": np.zeros(3, np.uint8)}, r"shape \(3, 28, 27\), not 28x28"),
    ({"x_train": np.zeros((3, 784), np.uint8), "y_train": np.zeros(3, np.uint8)}, r"shape \(3, 784\)"),
    ({"x_train": np.zeros((3, 28, 28), np.uint8), "y_train": np.zeros(4, np.uint8)}, "3 images but y_train"),
    ({"x_train": np.zeros((3, 28, 28), np.uint8), "y_train": np.zeros((3, 1), np.uint8)}, "not one label per image"),
    ({"x_train": np.zeros((3, 28, 28), np.float32), "y_train": np.zeros(3, np.uint8)}, "float32 values"),
    ({"x_train": np.zeros((0, 28, 28), np.uint8), "y_train": np.zeros(0, np.uint8)}, "holds no drawings"),
    ({"x_train": np.full((3, 28, 28), -5, np.int8), "y_train": np.zeros(3, np.uint8)}, "outside 0-255"),
    ({"x_train": np.full((3, 28, 28), 300, np.int16), "y_train": np.zeros(3, np.uint8)}, "pixels are bytes"),
    ({"images": np.zeros((3, 28, 28), np.uint8)}, "no x_train array"),
    ({"x_train": np.zeros((3, 28, 28), np.uint8)}, "no y_train array of labels"),
    ({"x_train": np.zeros((3, 28, 28), np.uint8), "y_train": np.zeros(3, np.uint8),
      "x_test": np.zeros((2, 28, 28), np.uint8)}, "no y_test array"),
])
def test_wrong_shapes_and_types(arrays, match):
    _refused(_npz(**arrays), match)


@pytest.mark.parametrize("bad", [10, 255, -1])
def test_labels_out_of_range(small, bad):
    images, labels = small
    labels = labels.astype(np.int16)
    labels[7] = bad
    _refused(_npz(x_train=images, y_train=labels), "digits must be 0-9")


def test_too_many_images():
    images = np.zeros((51, 28, 28), np.uint8)
    _refused(transfer.to_npz(images, np.zeros(51, np.uint8)), "51 drawings, more than the 50", max_images=50)
    assert len(transfer.from_npz(transfer.to_npz(images[:50], np.zeros(50, np.uint8)), max_images=50)[0]) == 50
    # x_train and x_test count together
    raw = _npz(x_train=images[:30], y_train=np.zeros(30, np.uint8), x_test=images[:21], y_test=np.zeros(21, np.uint8))
    _refused(raw, "51 drawings", max_images=50)


def test_oversized_upload_is_refused_unopened():
    _refused(bytes(3 * MIB), "MB, more than a set of at most 100 drawings", max_images=100)


def _peak_mib(fn) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / MIB
    finally:
        tracemalloc.stop()


def test_header_claiming_a_billion_images_is_refused_unread(small):
    member = _npy_header((10**9, 28, 28)) + bytes(100)
    raw = _zip({"x_train.npy": _stored(member), "y_train.npy": _stored(_npy_header((10**9,)) + bytes(100))})
    assert len(raw) < 2000
    _refused(raw, "1,000,000,000 drawings, more than the 10,000")


@pytest.mark.parametrize("honest", [True, False])
def test_zip_bomb_is_refused_without_unpacking_it(small, honest):
    """x_train.npy inflates to 1 GiB from a 1 MB file. Declared honestly, its size does not match its
    shape; declared as 10,000 images, reading stops there and the checksum fails."""
    header = _npy_header((10_000, 28, 28))
    stream = _deflated(header, 1024)
    declared = len(header) + 1024 * MIB if honest else len(header) + 10_000 * 784
    y = io.BytesIO()
    np.lib.format.write_array(y, np.zeros(10_000, np.uint8))
    raw = _zip({"x_train.npy": (stream, 8, 0, declared), "y_train.npy": _stored(y.getvalue())})
    assert len(raw) < 2 * MIB
    match = "size does not match its shape" if honest else "not a readable .npz file"
    peak = _peak_mib(lambda: _refused(raw, match))
    assert peak < 40  # at most the 7.8 MB that 10,000 images take, never the gigabyte


def _csv(rows, header="index,label,drawer,saved_at") -> bytes:
    return (header + "\n" + "".join(r + "\n" for r in rows)).encode()


def test_csv_export_lists_every_drawing(small):
    when = [datetime(2026, 3, 1, 9, 30, 5, 123, tzinfo=UTC), np.datetime64("2026-03-01T09:31:00")]
    raw = transfer.to_csv(np.array([17, 4]), np.array([3, 8], np.uint8), np.array(["a1b2", "c3,d4"]), when)
    rows = list(csv.reader(io.StringIO(raw.decode())))
    assert rows == [["index", "label", "drawer", "saved_at"],
                    ["0", "3", "a1b2", "2026-03-01T09:30:05+00:00"],
                    ["1", "8", "c3,d4", "2026-03-01T09:31:00"]]
    assert datetime.fromisoformat(rows[1][3]) == when[0].replace(microsecond=0)


def test_csv_labels_override_the_file(small):
    images, labels = small
    relabelled = (labels + 1) % 10
    drawers = np.array([f"d{i % 3}" for i in range(40)])
    csv_raw = transfer.to_csv(np.arange(100, 140), relabelled, drawers, [datetime(2026, 1, 1)] * 40)
    got_images, got_labels = transfer.from_npz(transfer.to_npz(images, labels), labels_csv=csv_raw)
    np.testing.assert_array_equal(got_images, images)
    np.testing.assert_array_equal(got_labels, relabelled)
    # rows in any order, extra columns, a BOM (Excel) and blank lines; no y_train needed
    shuffled = ["1,7,x", "", "0,2,y", "2,9,z"]
    raw = b"\xef\xbb\xbf" + _csv(shuffled, header="Index, label ,note")
    _, got = transfer.from_npz(_npz(x_train=images[:3]), labels_csv=raw)
    assert got.tolist() == [2, 7, 9] and got.dtype == np.uint8


@pytest.mark.parametrize("csv_raw, match", [
    (_csv(["0,1", "1,2"], header="row,digit"), "must name the columns, including index and label"),
    (b"", "must name the columns"),
    (_csv(["0,1", "1,2"], header="index,label"), "no label for 1 of the 3 drawings .the first is index 2"),
    (_csv(["0,1", "1,2", "2,3", "3,4"], header="index,label"), "line 5 has the index '3'; indexes run from 0 to 2"),
    (_csv(["0,1", "1,2", "-2,3"], header="index,label"), "line 4 has the index '-2'"),
    (_csv(["0,1", "1,2", "x" * 500 + ",3"], header="index,label"), "index 'xxxxxxxxxxxx…'"),
    (_csv(["0,1", "1,12", "2,3"], header="index,label"), "line 3 has the label '12'; labels must be digits 0-9"),
    (_csv(["0,1", "1,", "2,3"], header="index,label"), "line 3 has the label ''"),
    (_csv(["0,1", "1,2", "1,3"], header="index,label"), "line 4 repeats index 1"),
    (_csv(["0,1", "1", "2,3"], header="index,label"), "line 3 has too few columns"),
    ("index,label\n0,1\n1,2\n2,\u00e9\n".encode("latin-1"), "not a text .UTF-8. CSV file"),
    (_csv(["0,1", "1,2", "2,3," + "y" * 200_000], header="index,label,note"), "not a readable CSV file"),
], ids=lambda v: None if isinstance(v, bytes) else v[:30])
def test_csv_errors(small, csv_raw, match):
    raw = _npz(x_train=small[0][:3], y_train=small[1][:3])
    with pytest.raises(ClassFileError, match=match) as err:
        transfer.from_npz(raw, labels_csv=csv_raw)
    assert str(err.value).startswith("The labels file cannot be used: ") and len(str(err.value)) < 300


def test_export_refuses_what_is_not_a_class_set():
    with pytest.raises(InvalidSettingError, match="28x28 images"):
        transfer.to_npz(np.zeros((2, 28, 28), np.float32), np.zeros(2, np.uint8))
    with pytest.raises(InvalidSettingError, match="one label 0-9"):
        transfer.to_npz(np.zeros((2, 28, 28), np.uint8), np.array([1, 10]))
    with pytest.raises(InvalidSettingError, match="one entry per drawing"):
        transfer.to_csv([1, 2], [3, 4], ["a"], [None, None])


def test_pseudonyms_number_the_drawers_in_order_and_keep_imports():
    assert transfer.pseudonyms(["x9", "import", "a1", "x9", "b2", "import"]) == [
        "student 1", "import", "student 2", "student 1", "student 3", "import"]
    assert transfer.pseudonyms([]) == []


def test_a_class_set_with_a_huge_member_list_is_refused_before_zipfile_reads_it():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for k in range(3000):
            archive.writestr(f"member-{k:05d}-with-a-long-name-to-make-the-directory-big.npy", b"")
    with pytest.raises(ClassFileError, match="list of members"):
        transfer.from_npz(buffer.getvalue())


def test_wide_pixels_are_refused_from_the_header():
    import io

    buffer = io.BytesIO()
    np.savez(buffer, x_train=np.zeros((10, 28, 28), dtype=np.int64), y_train=np.zeros(10, dtype=np.uint8))
    with pytest.raises(ClassFileError, match="pixels are bytes"):
        transfer.from_npz(buffer.getvalue())
