import subprocess
import sys

from digitlib import cli
from tests.support.paths import ROOT


def test_lesson_prints_the_lessons_numbers():
    out = subprocess.run([sys.executable, "-m", "digitlib", "lesson"], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    n100, n500 = out.split("N=100:")[1].split("N=500:")
    assert "accuracy on the first 100 test images = 0.68" in n100
    assert "test image 6: True: 4, Prediction: 9" in n100
    assert "accuracy on the first 100 test images = 0.88" in n500
    assert "test image 6: True: 4, Prediction: 4" in n500
    assert "test image 0: True: 7, Prediction: 7" in n500


def test_train_then_evaluate_uses_the_saved_model(capsys):
    assert cli.main(["train", "--samples", "300", "--sampling", "balanced", "--seed", "2"]) == 0
    assert "trained in" in capsys.readouterr().out
    assert cli.main(["evaluate", "--samples", "300", "--sampling", "balanced", "--seed", "2", "--test", "200"]) == 0
    out = capsys.readouterr().out
    assert "loaded from the model cache" in out and "first 200 test images" in out


def test_bad_input_is_a_message_not_a_traceback(capsys, tmp_path):
    assert cli.main(["evaluate", "--samples", "70000"]) == 2
    assert "between 1 and 60,000" in capsys.readouterr().err
    assert cli.main(["--source", "file", "--data-file", str(tmp_path / "none.npz"), "lesson"]) == 2
    assert "does not exist" in capsys.readouterr().err
