"""Explore: one image as a picture and as numbers, and the whole set at a glance."""

import numpy as np
import streamlit as st

from digitlib.display import plots
from digitlib.language import N_, _, formats
from digitlib.mnist import data
from ui import alt_text, code_panel, frame, resources, site_map, url_params

frame.page(site_map.EXPLORE, params=("split", "index"))
mnist = resources.current_data()
ZOOM = 10  # rows and columns of pixels the zoom shows, large enough to read on a phone

st.title(_("Explore the data"))
st.markdown(_("Every image is a 28 × 28 grid of numbers from 0 (blank paper, shown white) to 255 (the darkest "
              "ink, shown black). Every picture on this page shows them that way: the more ink, the darker."))

st.subheader(_("Shapes"))
flat = data.flatten(mnist.x_train)
c1, c2 = st.columns([2, 3])  # the reshape lines are longer
c1.code(f"x_train.shape  →  {mnist.x_train.shape}\nx_test.shape   →  {mnist.x_test.shape}", language="text")
c2.code(
    f"x_train.reshape({len(flat)}, 784).shape  →  {flat.shape}\n"
    f"x_test.reshape({len(mnist.x_test)}, 784).shape   →  {data.flatten(mnist.x_test).shape}",
    language="text",
)
st.caption(_("The model does not see a picture: each image becomes one row of 784 numbers."))

st.subheader(_("One image"))
split_names = {"train": N_("Training images"), "test": N_("Test images")}
split_default = url_params.choice_query_param("split", list(split_names), "train")
left, right = st.columns([2, 3], gap="large")  # on a phone, one under the other
with left:
    # TRANSLATORS: which set of images: the training images or the test images
    split = st.radio(_("Set"), list(split_names), format_func=lambda key: _(split_names[key]),
                     index=list(split_names).index(split_default), horizontal=True)
    images = mnist.x_train if split == "train" else mnist.x_test
    labels = mnist.y_train if split == "train" else mnist.y_test
    index = st.number_input(
        _("Image index (0 – {last})").format(last=formats.count(len(images) - 1)),
        min_value=0,
        max_value=len(images) - 1,
        value=url_params.int_query_param("index", 0, 0, len(images) - 1),
        step=1,
    )
    image = images[index]
    picture = st.empty()  # drawn once the zoom below is chosen
    st.markdown(_("Label: **{label}**").format(label=labels[index]))
    start = plots.ink_centre(image, ZOOM)  # the zoom opens on the ink; each image keeps its own
    top = st.select_slider(_("Zoom on rows"), list(range(28 - ZOOM + 1)), start[0], key=f"zoom_rows_{split}_{index}",
                           format_func=lambda r: f"{r} – {r + ZOOM - 1}")
    left_column = st.select_slider(_("Zoom on columns"), list(range(28 - ZOOM + 1)), start[1],
                                   key=f"zoom_columns_{split}_{index}", format_func=lambda c: f"{c} – {c + ZOOM - 1}")
    box = (top, left_column, ZOOM)
    picture.image(resources.figure("digit", image, true=int(labels[index]), box=box), width=300,
                  alt=alt_text.digit(int(labels[index]), what=_("Image {index}").format(index=index))
                  + " " + _("An orange square outlines the zoom."))
with right:
    st.markdown(_("**Zoom: rows {top} – {bottom}, columns {left} – {right}**, the orange square on the picture").format(
        top=top, bottom=top + ZOOM - 1, left=left_column, right=left_column + ZOOM - 1))
    st.image(resources.figure("pixel_array", image, top, left_column, ZOOM),
             alt=_("The pixel values of rows {top} to {bottom}, columns {left} to {right}, each a number from 0 to "
                   "255; all 784 are in the table below.").format(top=top, bottom=top + ZOOM - 1, left=left_column,
                                                                 right=left_column + ZOOM - 1))
    st.caption(_("Each number is one pixel: 0 is blank paper (white), 255 the darkest ink (black). "
                 "Move the zoom with the sliders under the picture."))
st.markdown(_("**All 784 numbers**, shaded as the picture (the zoom outlined in orange; on a phone, scroll sideways)"))
st.html(plots.pixel_grid(image, box))
with st.expander(_("The raw pixel array, as Python prints it")):
    with np.printoptions(linewidth=200, threshold=10_000):
        st.code(repr(image), language="text")
code_panel.the_code("Explore", None, index=index, split=split)

st.subheader(_("The whole set"))
c1, c2 = st.columns(2)
for where, y, title in ((c1, mnist.y_train, _("Digits in all training images")),
                        (c2, mnist.y_test, _("Digits in all test images"))):
    where.image(resources.figure("label_counts", y, title), alt=alt_text.label_counts(y, title))

st.subheader(_("Examples of each digit"))
per_digit = 10
picks = [i for d in range(10) for i in np.flatnonzero(mnist.y_train == d)[:per_digit]]
st.image(resources.figure("gallery", mnist.x_train[picks], [f"#{i}" for i in picks], columns=per_digit),
         alt=_("Ten rows of handwritten digits, 0 to 9: the first {n} training images of each digit.").format(
             n=per_digit))
st.caption(_("Each row shows the first ten training images of one digit, with their index."))

st.subheader(_("The average digit, and the pixels that matter"))
pixel = resources.pixel_summary(mnist)
st.image(resources.figure("mean_digits", pixel.means, pixel.digit_counts),
         alt=_("The average training image of each digit, 0 to 9: blurred grey digits, darkest where most pens went."))
st.markdown(_("Each picture is the average of all the training images of one digit: a pixel (one square of the "
              "28 × 28 grid) is dark where most people's pen went, and blurry where people write that digit in "
              "many ways."))
left, right = st.columns(2, gap="large", vertical_alignment="center")
left.image(resources.figure("ink_map", pixel.ink_share),
           alt=_("A 28 × 28 map of how often each pixel holds ink: most in the middle, never at the edges "
                 "({blank} pixels are 0 in every training image).").format(blank=formats.count(pixel.blank_count)))
with right:
    n_pixels = pixel.ink_counts.size
    # TRANSLATORS: a metric's value: "95 of 784" pixels
    st.metric(_("Pixels that are 0 in every training image"), _("{count} of {total}").format(
        count=formats.count(pixel.blank_count), total=formats.count(n_pixels)))
    st.metric(_("Pixels with ink in fewer than 1 in 1,000 images"), _("{count} of {total}").format(
        count=formats.count(pixel.rare_count()), total=formats.count(n_pixels)))
    st.markdown(_("The map shows how often each pixel holds any ink: {blank} of the {total} pixels are blank in every "
                  "one of the {images} training images, and {rare} ({share}) have ink in fewer than 1 in 1,000 of "
                  "them. So although each image is {total} numbers, the ones near the edge are almost always 0 and "
                  "tell the model almost nothing.").format(
        blank=formats.count(pixel.blank_count), total=formats.count(n_pixels), images=formats.count(pixel.n_images),
        rare=formats.count(pixel.rare_count()), share=formats.percent(pixel.rare_count() / n_pixels, 0)))
