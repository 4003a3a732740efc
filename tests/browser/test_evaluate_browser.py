"""Evaluate in a real browser: click a confusion square, see its images, open one; pin and compare; download."""

import re

import numpy as np
import pytest
import skops.io as sio

from tests.support.browser import expect, metric_value, new_page, wait_for_run
from tests.support.evaluate_page import click_square, most_frequent_mistake
from tests.support.readme import readme_load

pytestmark = pytest.mark.browser


def test_click_a_confusion_square_and_open_one_of_its_images(server, browser, lesson_500):
    true, predicted, found = most_frequent_mistake(lesson_500)
    assert len(found) >= 2
    page = new_page(browser, server + "/Evaluate?n=500")
    try:
        expect(page.get_by_text("0.88", exact=True)).to_be_visible(timeout=60_000)
        click_square(page, true, predicted)
        page.wait_for_url(re.compile(rf"cell={true}-{predicted}"))
        expect(page.get_by_role("heading", name=f"Square: true {true}, predicted {predicted}")).to_be_visible()
        tiles = page.locator(".st-key-eval_cell_images")
        expect(tiles.locator("img")).to_have_count(len(found))
        expect(tiles.get_by_role("button", name=re.compile(r"^#[0-9]+$"))).to_have_text([f"#{i}" for i in found])
        expect(page.get_by_label(re.compile("Test image index"))).to_have_value(str(found[0]))  # the first, on show

        tiles.get_by_role("button", name=f"#{found[1]}").click()
        wait_for_run(page)
        expect(page.get_by_label(re.compile("Test image index"))).to_have_value(str(found[1]))
        assert f"index={found[1]}" in page.url

        page.get_by_role("button", name="Close").click()
        wait_for_run(page)
        expect(tiles).to_have_count(0)
        assert "cell=" not in page.url
        click_square(page, true, predicted)  # the same square again opens again
        expect(tiles.locator("img")).to_have_count(len(found))
        assert page.locator("[data-testid='stException']").count() == 0
    finally:
        page.context.close()


@pytest.mark.parametrize("screen", ["projector", "phone"])
def test_a_clicked_square_shows_its_images_in_sight_and_the_first_in_the_viewer(server, browser, lesson_500,
                                                                                screen):
    """A 1280 x 800 projector (images beside the matrix) and a 390 x 844 phone (images under it, tapped)."""
    phone = screen == "phone"
    size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 800}
    context = browser.new_context(viewport=size, is_mobile=phone, has_touch=phone)
    try:
        page = context.new_page()
        page.goto(server + "/Evaluate?n=500")
        wait_for_run(page)
        expect(page.get_by_text("0.88", exact=True)).to_be_visible(timeout=60_000)
        for true, predicted, found in [most_frequent_mistake(lesson_500), (1, 1, lesson_500.cell_indices(1, 1))]:
            click_square(page, true, predicted, tap=phone)
            page.wait_for_url(re.compile(rf"cell={true}-{predicted}"))
            heading = page.get_by_role("heading", name=f"Square: true {true}, predicted {predicted}")
            tiles = page.locator(".st-key-eval_cell_images img")
            expect(tiles).to_have_count(len(found))
            expect(heading).to_be_in_viewport()
            expect(tiles.first).to_be_in_viewport()  # no scrolling needed to see what the click did
            matrix = page.locator("[data-testid='stVegaLiteChart']").first.bounding_box()
            first = tiles.first.bounding_box()
            if phone:  # right under the matrix
                assert matrix["y"] + matrix["height"] <= first["y"] <= matrix["y"] + matrix["height"] + 200
            else:  # beside it
                assert first["x"] > matrix["x"] + matrix["width"] and first["y"] < matrix["y"] + matrix["height"]
            expect(page.get_by_label(re.compile("Test image index"))).to_have_value(str(found[0]))
            expect(page.get_by_text(f"Test image {found[0]}", exact=True)).to_have_count(1)  # the viewer's caption
            assert f"index={found[0]}" in page.url
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]  # nothing wider than the screen
        assert page.locator("[data-testid='stException']").count() == 0
    finally:
        context.close()


def test_the_buttons_above_the_page_stay_on_one_row_on_a_projector(server, browser):
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    try:
        page.goto(server + "/Evaluate?n=500")
        wait_for_run(page)
        tops = {round(page.get_by_role("button", name=name, exact=True).bounding_box()["y"])
                for name in ("Copy link", "Pin this model", "Download")}
        assert len(tops) == 1
    finally:
        page.context.close()


def test_pin_train_another_and_compare(server, browser):
    page = new_page(browser, server + "/Evaluate?n=500")
    try:
        page.get_by_role("button", name="Pin this model").click()
        wait_for_run(page)
        expect(page.get_by_text("The pinned model is the one on this page.")).to_be_visible()
        page.locator("[data-testid='stSidebar'] [data-testid='stPageLink'] a", has_text="Train a model").click()
        wait_for_run(page)
        page.get_by_role("button", name="Step 1: 100 images").click()
        expect(page.get_by_text("0.68", exact=True)).to_be_visible(timeout=60_000)
        page.locator("[data-testid='stSidebar'] [data-testid='stPageLink'] a", has_text="Evaluate").click()
        expect(page.get_by_role("heading", name="Compare with the pinned model")).to_be_visible(timeout=60_000)
        wait_for_run(page)
        assert (metric_value(page, "Pinned model"), metric_value(page, "This model")) == ("0.88", "0.68")
        expect(page.get_by_text("Now right: 2", exact=True)).to_be_visible()  # images 44 and 65, the other way
        expect(page.get_by_text("Now wrong: 22", exact=True)).to_be_visible()
        assert "pin_n=500" in page.url and "n=100" in page.url
    finally:
        page.context.close()


def test_the_downloaded_model_loads_in_scikit_learn_as_the_readme_says(server, browser, lesson_500, mnist, tmp_path):
    page = new_page(browser, server + "/Evaluate?n=500")
    try:
        page.get_by_role("button", name="Download", exact=True).click()  # the menu of downloads
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name="Download the model (.skops)").click()
        assert info.value.suggested_filename == "digits-svc-n500.skops"
        data = (tmp_path / "model.skops")
        info.value.save_as(data)
    finally:
        page.context.close()
    assert sio.get_untrusted_types(data=data.read_bytes()) == []  # nothing beyond skops's safe types
    assert np.array_equal(readme_load(data)["predicted"], lesson_500.y_pred)  # the README's block, run
