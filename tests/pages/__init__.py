"""The app's pages headless under Streamlit's AppTest, and what pages share (URL settings, resources, config)."""
