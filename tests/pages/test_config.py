"""The production settings in .streamlit/config.toml: present, as intended, and read by Streamlit."""

import json
import os
import subprocess
import sys
import tomllib

import pytest

from digitlib.classroom import transfer
from digitlib.drawing import image_bounds
from digitlib.mnist import data
from tests.support.paths import ROOT

CONFIG = ROOT / ".streamlit" / "config.toml"
INTENDED = {
    "client": {"showSidebarNavigation": False, "toolbarMode": "minimal", "showErrorDetails": "none",
               "showErrorLinks": False},
    "runner": {"fastReruns": True, "postScriptGC": False},
    "logger": {"level": "warning"},
    "browser": {"gatherUsageStats": False},
    "server": {"headless": True, "runOnSave": False, "fileWatcherType": "none", "enableXsrfProtection": True,
               "enableCORS": True, "maxUploadSize": 12, "maxMessageSize": 1},
}
# The values Streamlit 1.67 allows for the options that take a word (`streamlit config show`).
ALLOWED = {
    "client.showErrorDetails": {"full", "stacktrace", "type", "none"},
    "client.toolbarMode": {"auto", "developer", "viewer", "minimal"},
    "server.fileWatcherType": {"auto", "watchdog", "poll", "none"},
    "logger.level": {"error", "warning", "info", "debug"},
}
# MNIST as published (train-images-idx3-ubyte.gz) and as keras downloads it (mnist.npz, the bundled copy).
MNIST_TRAIN_IMAGES_GZ = 9_912_422
MNIST_TRAIN_IMAGES_IDX = 47_040_016
# What chromium sent for one canvas holding 120 strokes of 30 points each (Fabric paths and the PNG).
CANVAS_120_STROKES = 212_004


@pytest.fixture(scope="module")
def settings():
    return tomllib.loads(CONFIG.read_text())


# Run in a fresh interpreter in the repository, so Streamlit reads this config.toml and no other
# test's settings; hidden options (runner.postScriptGC) count too, unknown keys are flagged.
READ_OPTIONS = """
import json, sys
from streamlit import config
known = config._config_options_template
print(json.dumps({k: config.get_option(k) if k in known else "<not an option>" for k in json.loads(sys.argv[1])}))
"""


@pytest.fixture(scope="module")
def as_streamlit_reads_them(settings):
    """``section.key`` -> the value Streamlit itself reads for every key in the file."""
    keys = [f"{section}.{key}" for section, values in settings.items() for key in values]
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    out = subprocess.run([sys.executable, "-c", READ_OPTIONS, json.dumps(keys)], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True, timeout=60).stdout
    return json.loads(out.splitlines()[-1])


@pytest.mark.parametrize("section, key", [(s, k) for s, keys in INTENDED.items() for k in keys])
def test_setting_has_its_intended_value_and_streamlit_reads_it(settings, as_streamlit_reads_them, section, key):
    assert settings[section][key] == INTENDED[section][key]
    assert as_streamlit_reads_them[f"{section}.{key}"] == INTENDED[section][key]
    if f"{section}.{key}" in ALLOWED:
        assert settings[section][key] in ALLOWED[f"{section}.{key}"]


def test_every_key_in_the_file_is_a_streamlit_option(settings, as_streamlit_reads_them):
    """A misspelt key would be silently ignored; Streamlit must know each one and read its value."""
    for section, keys in settings.items():
        for key, value in keys.items():
            assert as_streamlit_reads_them[f"{section}.{key}"] == value, f"{section}.{key}"


def test_upload_limit_fits_compressed_mnist_and_a_class_set_but_not_unpacked_mnist(settings):
    limit = settings["server"]["maxUploadSize"] * 2**20  # Streamlit counts MiB per file
    assert limit >= data.BUNDLED_PATH.stat().st_size  # keras's mnist.npz
    assert limit >= MNIST_TRAIN_IMAGES_GZ
    assert limit >= transfer.MAX_IMAGES * 785 + 2**16  # the largest class set, stored unpacked
    assert limit < MNIST_TRAIN_IMAGES_IDX  # each upload stays in memory for its session: 45 MiB is too much
    assert limit < 2 * data.BUNDLED_PATH.stat().st_size


def test_message_limit_fits_the_largest_drawing_the_canvas_can_send(settings):
    limit = settings["server"]["maxMessageSize"] * 10**6  # Streamlit counts 10^6 bytes
    longest_data_url = len(image_bounds.DATA_URL_PREFIX) + 4 * (image_bounds.max_png_bytes(280, 280) // 3 + 1)
    assert longest_data_url + CANVAS_120_STROKES * 2 < limit  # and 240 strokes' paths besides
    assert limit <= 2 * 10**6  # what a crafted message can make a session hold
