"""Several servers, one school (issue 20), in chromium: Debian's nginx on loopback, configured as
deploy/nginx/digits.conf is, in front of two app servers sharing one PostgreSQL database and one model
folder. Each browser is sent to a server of our choosing by its route cookie (which names the server),
and nginx's access log says which server answered it. Checked: a class split across the servers sees
one class set, one board and one question; uploads pass nginx and Streamlit's XSRF check; a
model asked on both servers at once is trained once; a server killed mid-lesson sends its students and
teacher to the other one (their route cookie follows), with nothing saved lost and the teacher still
the teacher. The last test kills a server: keep it last."""

import os
import signal
import time

import numpy as np
import pytest

from digitlib.classroom.store import ClassStore
from digitlib.drawing import handwriting
from digitlib.paper import synthetic
from tests.support.browser import draw_and_save, expect, metric_value, require_chromium, wait_for_run
from tests.support.databases import fresh_postgres_schema
from tests.support.nginx import COOKIE, app_servers, nginx_proxy, open_through, require_nginx, route_of

pytestmark = pytest.mark.browser
TEACHER_CONTROLS = "Teacher: this class"


@pytest.fixture(scope="module")
def school(tmp_path_factory, postgres_test_url):
    """nginx's URL in front of two app servers (``.servers``), their database URL (``.database``)."""
    require_chromium()
    require_nginx()
    cache = tmp_path_factory.mktemp("school") / "models"
    with fresh_postgres_schema(postgres_test_url) as url:
        with app_servers(2, cache, DIGITS_DATABASE_URL=url, DIGITS_WARMUP="0",
                         STREAMLIT_SERVER_COOKIE_SECRET="one secret for every server of the school") as servers:
            with nginx_proxy([server.port for server in servers]) as proxy:
                proxy.servers, proxy.database, proxy.cache = servers, url, cache
                yield proxy


def via(browser, school, server, path):
    """A new browser whose route cookie sends it to ``server`` through nginx, opened on ``path``."""
    return open_through(browser, school, server.port, path)


def reconnected(school, page, server, timeout: float = 60.0) -> None:
    """Wait until ``page``'s browser has been moved to ``server`` by nginx and its script has run there."""
    deadline = time.monotonic() + timeout
    while route_of(page) != school.route_to(server.port):
        assert time.monotonic() < deadline, "the page did not reconnect to the other server"
        page.wait_for_timeout(250)
    wait_for_run(page)


def start_class(browser, school, server):
    teacher = via(browser, school, server, "/Class")
    teacher.get_by_role("button", name="Start a new class").click()
    wait_for_run(teacher)
    return teacher, metric_value(teacher, "Class code")


def test_a_class_split_across_servers_sees_one_class(browser, school):
    one, two = school.servers
    teacher, code = start_class(browser, school, one)
    teacher.get_by_role("tab", name="Guess first").click()
    teacher.get_by_role("button", name="Ask the class").click()
    wait_for_run(teacher)

    student = via(browser, school, two, f"/Class?class={code}")
    student.get_by_role("tab", name="Guess first").click()
    student.get_by_role("button", name="Submit my guess").click()
    expect(student.get_by_text("Guess submitted.")).to_be_visible(timeout=60_000)
    student.goto(f"{school}/Draw?class={code}")
    wait_for_run(student)
    draw_and_save(student, handwriting.random_drawing(7, np.random.default_rng(20)))
    student.goto(f"{school}/Train?class={code}&n=100")
    wait_for_run(student)
    student.get_by_role("button", name="Post to the class board").click(timeout=120_000)
    expect(student.get_by_text(f"This model is on class {code}'s board")).to_be_visible(timeout=120_000)

    teacher.reload()
    wait_for_run(teacher)
    assert metric_value(teacher, "Drawings saved") == "1"
    teacher.get_by_role("tab", name="Guess first").click()
    assert metric_value(teacher, "Guesses") == "1"
    store = ClassStore(school.database)
    assert [e.n for e in store.experiments(code)] == [100]
    assert set(school.served(route_of(teacher))) == {one.port} and set(school.served(route_of(student))) == {two.port}
    for page in (teacher, student):
        assert page.locator("[data-testid='stException']").count() == 0
        page.context.close()


def upload_photo(page, folder):
    """Upload a synthetic photo of a number on Draw's photo mode; the number it shows."""
    photo = synthetic.make_photo(3, paper="ruled", pen="pen")
    path = folder / "number.jpg"
    path.write_bytes(photo.jpeg)
    page.locator("[data-testid='stFileUploader'] input[type=file]").set_input_files(str(path))
    assert metric_value(page, "Number read") == photo.number


def test_uploads_pass_nginx_and_the_xsrf_check(browser, school, tmp_path):
    page = via(browser, school, school.servers[1], "/Draw?read=photo")
    upload_photo(page, tmp_path)
    assert any(c["name"] == "_streamlit_xsrf" for c in page.context.cookies())  # the check was on
    page.goto(school + "/")  # Home's own files: the server reads the upload and says what is wrong with it
    wait_for_run(page)
    page.get_by_text("My own files").click()
    wait_for_run(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
        [{"name": "mnist.npz", "mimeType": "application/octet-stream", "buffer": b"not a zip file"}])
    expect(page.get_by_text("it is not a readable .npz file")).to_be_visible(timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0
    page.context.close()


def test_a_model_asked_on_both_servers_at_once_is_trained_once(browser, school):
    url = "/Train?n=10000&C=3"  # not shipped with the app: a few seconds of training
    pages = []
    for server in school.servers:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies([{"name": COOKIE, "value": school.route_to(server.port), "url": school}])
        pages.append(context.new_page())
    for page in pages:  # both ask before either has finished
        page.goto(school + url, wait_until="commit")
    fit_times = []
    for page in pages:
        wait_for_run(page)
        fit_times.append(metric_value(page, "Fit time"))
        assert metric_value(page, "Accuracy on the first 100 test images")
        page.context.close()
    assert fit_times[0] == fit_times[1]  # the same model: one fit, read by the other server
    files = list(school.cache.glob("svc-first-10000-*.skops"))
    assert len(files) == 1
    logs = [(school.cache.parent / f"streamlit-{server.port}.log").read_text() for server in school.servers]
    assert sum(log.count(f"digits: training {files[0].stem} ") for log in logs) == 1


def test_a_killed_server_sends_its_class_to_the_other_with_nothing_lost(browser, school, tmp_path):
    one, two = school.servers
    teacher, code = start_class(browser, school, one)
    student = via(browser, school, one, f"/Draw?class={code}")
    rng = np.random.default_rng(21)
    for digit in (1, 4):
        draw_and_save(student, handwriting.random_drawing(digit, rng))
    store = ClassStore(school.database)
    assert store.count(code) == 2

    os.kill(one.pid, signal.SIGKILL)  # mid-lesson
    # Streamlit's pages reconnect by themselves; nginx finds the first server gone and tries the other.
    for page in (teacher, student):
        reconnected(school, page, two)
    expect(teacher.get_by_text(TEACHER_CONTROLS)).to_be_visible()  # on the new server's session
    draw_and_save(student, handwriting.random_drawing(2, rng))
    assert sorted(store.drawings(code).labels.tolist()) == [1, 2, 4]
    assert len(set(store.drawings(code).drawers)) == 1  # still one student: the anonymous id is a cookie

    # An upload from the moved tab (no reload): its XSRF token came from the first server.
    student.get_by_role("radio", name="Photo of paper").click()
    wait_for_run(student)
    upload_photo(student, tmp_path)

    teacher.reload()
    wait_for_run(teacher)
    expect(teacher.get_by_text(TEACHER_CONTROLS)).to_be_visible()  # the teacher's key is a cookie
    assert metric_value(teacher, "Drawings saved") == "3"
    assert metric_value(teacher, "Students who saved") == "1"
    for page in (teacher, student):
        assert route_of(page) == school.route_to(two.port)
        assert page.locator("[data-testid='stException']").count() == 0
        page.context.close()
