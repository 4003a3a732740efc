"""The neural network in a real browser: /Neural?n=2000 trains in the worker and shows its accuracy
beside the SVM's, while the app server itself never loads TensorFlow; Draw then reads with it."""

import re
import subprocess
from pathlib import Path

import pytest

from digitlib.drawing import handwriting
from tests.support.browser import draw_strokes, expect, metric_value, new_page, open_draw, prediction, wait_for_run

pytestmark = pytest.mark.browser
TRAIN = "Train the neural network"


def mapped_libraries(pid: int) -> str:
    """Every file mapped into the process's memory, as /proc shows them."""
    return Path(f"/proc/{pid}/maps").read_text()


def worker_pids(server_pid: int) -> list[int]:
    """The neural worker processes started by the app server."""
    out = subprocess.run(["ps", "-o", "pid=,args=", "--ppid", str(server_pid)], capture_output=True, text=True).stdout
    return [int(line.split()[0]) for line in out.splitlines() if "digitlib.neural.worker" in line]


def test_neural_page_trains_once_beside_the_svm_and_the_server_never_loads_tensorflow(browser, server):
    first = new_page(browser, server + "/Neural?n=2000")
    second = new_page(browser, server + "/Neural?n=2000")  # a second student asks for the same network
    assert worker_pids(server.pid) == []  # nothing started until someone asks
    first.get_by_role("button", name=TRAIN).click()
    second.get_by_role("button", name=TRAIN).click()
    expect(first.get_by_text(re.compile(r"Training: pass \d+ of 30|Starting the worker"))).to_be_visible(timeout=60_000)

    expect(first.get_by_text("Neural network accuracy")).to_be_visible(timeout=300_000)
    wait_for_run(first)
    network = float(metric_value(first, "Neural network accuracy"))
    svm = float(metric_value(first, "SVM accuracy"))
    assert network > 0.95 and svm > 0.9  # at N = 2,000: SVM 0.94 on the 10,000 test images
    assert float(metric_value(second, "Neural network accuracy")) == network
    expect(first.get_by_text("The network right, the SVM wrong")).to_be_visible()
    expect(first.get_by_role("heading", name="What the network looks for")).to_be_visible()
    assert first.locator("[data-testid='stException']").count() == 0

    workers = worker_pids(server.pid)
    assert len(workers) == 1  # one worker, started on demand
    assert "tensorflow" in mapped_libraries(workers[0])  # the check can see TensorFlow where it is
    assert "tensorflow" not in mapped_libraries(server.pid).lower()
    trained = list((Path(server.cache_dir) / "neural").glob("cnn-first-2000-*.json"))
    assert len(trained) == 1  # one training for both students


def test_draw_reads_with_the_network_and_labels_its_probabilities(browser, server):
    page = open_draw(browser, server)
    page.get_by_text(re.compile(r"^The neural network \(")).click()
    wait_for_run(page)
    three = next(d for d in handwriting.drawing_set(per_digit=1, seed=3) if d.digit == 3)
    draw_strokes(page, page.locator("[data-testid='stMain'] canvas").last, three.strokes)
    assert prediction(page) == "3"
    expect(page.get_by_text("The bars are its probabilities")).to_be_visible()
    assert "tensorflow" not in mapped_libraries(server.pid).lower()
