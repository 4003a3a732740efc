"""The app's pages, listed once: each page's file, title, icon and, for the lesson's steps, its card on
Home. The sidebar, Home's cards, every link between pages and each page's frame read this list."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    path: str         # the script Streamlit runs (app.py, or a file in pages/)
    title: str        # the sidebar's label and the browser tab's title
    icon: str
    card: str = ""    # the lesson step's label on Home ("1 · Explore"), if it is one
    card_text: str = ""


HOME = Page("app.py", "Home", ":material/home:")
EXPLORE = Page("pages/1_Explore.py", "Explore the data", ":material/image_search:",
               "1 · Explore", "See an image the way the computer does: a grid of numbers.")
TRAIN = Page("pages/2_Train.py", "Train a model", ":material/model_training:",
             "2 · Train", "Move the slider to choose how many images the model learns from.")
EVALUATE = Page("pages/3_Evaluate.py", "Evaluate", ":material/fact_check:",
                "3 · Evaluate", "Check the model on test images it has never seen.")
DRAW = Page("pages/4_Draw.py", "Draw a digit", ":material/draw:",
            "4 · Draw", "Draw your own digit and see what the model thinks it is.")
CLASS = Page("pages/5_Class.py", "Our class", ":material/groups:")
NEURAL = Page("pages/6_Neural.py", "Compare with a neural network", ":material/hub:",
              "5 · Neural network", "Put a neural network beside the SVM on the same images.")

PAGES = (HOME, EXPLORE, TRAIN, EVALUATE, DRAW, CLASS, NEURAL)  # in the sidebar's order
STEPS = tuple(page for page in PAGES if page.card)  # the lesson's steps, as Home's cards
