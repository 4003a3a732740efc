"""The app's pages, listed once: each page's file, title, icon and, for the lesson's steps, its card on
Home. The sidebar, Home's cards, every link between pages and each page's frame read this list."""

from __future__ import annotations

from dataclasses import dataclass

from digitlib.language import N_


@dataclass(frozen=True)
class Page:
    path: str         # the script Streamlit runs (app.py, or a file in pages/)
    title: str        # the sidebar's label and the browser tab's title (marked N_; shown with _(title))
    icon: str
    card: str = ""    # the lesson step's label on Home ("1 · Explore"), if it is one
    card_text: str = ""


HOME = Page("app.py", N_("Home"), ":material/home:")
EXPLORE = Page("pages/1_Explore.py", N_("Explore the data"), ":material/image_search:",
               N_("1 · Explore"), N_("See an image the way the computer does: a grid of numbers."))
TRAIN = Page("pages/2_Train.py", N_("Train a model"), ":material/model_training:",
             N_("2 · Train"), N_("Move the slider to choose how many images the model learns from."))
EVALUATE = Page("pages/3_Evaluate.py", N_("Evaluate"), ":material/fact_check:",
                N_("3 · Evaluate"), N_("Check the model on test images it has never seen."))
DRAW = Page("pages/4_Draw.py", N_("Draw a digit"), ":material/draw:",
            N_("4 · Draw"), N_("Draw your own digit and see what the model thinks it is."))
CLASS = Page("pages/5_Class.py", N_("Our class"), ":material/groups:")
NEURAL = Page("pages/6_Neural.py", N_("Compare with a neural network"), ":material/hub:",
              N_("5 · Neural network"), N_("Put a neural network beside the SVM on the same images."))

PAGES = (HOME, EXPLORE, TRAIN, EVALUATE, DRAW, CLASS, NEURAL)  # in the sidebar's order
STEPS = tuple(page for page in PAGES if page.card)  # the lesson's steps, as Home's cards
