"""The worker's training under the model lock (no TensorFlow: its training is replaced): a network another
server trained while this one waited is read, not trained again."""

import json

from digitlib.neural import worker

KEY = "cnn-first-100-0123456789abcdef"


class Saved:
    meta = {"test_accuracy": 0.75, "fit_seconds": 3.5}


def _request(tmp_path):
    sample = tmp_path / "input.npz.tmp"
    sample.write_bytes(b"the sample")
    return {"op": "train", "job": KEY, "key": KEY, "folder": str(tmp_path), "input": str(sample)}


def _events(capsys):
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_a_network_trained_meanwhile_is_read_not_trained(tmp_path, monkeypatch, capsys):
    trained = []
    monkeypatch.setattr(worker, "_train", lambda keras, request: trained.append(request))
    monkeypatch.setattr(worker.files, "load", lambda folder, key: Saved() if key == KEY else None)
    request = _request(tmp_path)
    worker._train_once(None, request)
    assert trained == []
    done = _events(capsys)[-1]
    assert (done["event"], done["job"], done["accuracy"], done["fit_seconds"]) == ("done", KEY, 0.75, 3.5)
    assert not (tmp_path / "input.npz.tmp").exists()  # its input is not needed


def test_a_network_not_there_is_trained_once_and_said_in_the_log(tmp_path, monkeypatch, capsys):
    trained = []
    monkeypatch.setattr(worker, "_train", lambda keras, request: trained.append(request))
    monkeypatch.setattr(worker.files, "load", lambda folder, key: None)
    request = _request(tmp_path)
    worker._train_once(None, request)
    assert trained == [request]
    assert f"digits: training {KEY}" in capsys.readouterr().err


def test_while_another_trains_it_the_worker_says_it_is_waiting_then_reads_its_network(tmp_path, monkeypatch, capsys):
    import threading

    from digitlib.servers import model_lock

    monkeypatch.setattr(model_lock, "TELL_EVERY", 0.1)
    monkeypatch.delenv("DIGITS_DATABASE_URL", raising=False)  # the file lock
    saved, holding, trained = [], threading.Event(), []
    monkeypatch.setattr(worker, "_train", lambda keras, request: trained.append(request))
    monkeypatch.setattr(worker.files, "load", lambda folder, key: saved[0] if saved else None)

    def other_server():
        with model_lock.held(KEY, tmp_path):
            holding.set()
            threading.Event().wait(1.0)
            saved.append(Saved())

    other = threading.Thread(target=other_server)
    other.start()
    holding.wait(10)
    worker._train_once(None, _request(tmp_path))
    other.join()
    kinds = [event["event"] for event in _events(capsys)]
    assert trained == [] and kinds[-1] == "done"
    assert kinds.count("waiting") >= 3  # the watchdog hears from it while it waits
