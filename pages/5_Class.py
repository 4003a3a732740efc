"""Our class: a class code, the class's own handwriting, and a board of its experiments."""

import streamlit as st

from ui import frame

frame.page("Our class", ":material/groups:")
st.title("Our class")
st.info("Coming soon.")
