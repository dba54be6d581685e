"""Streamlit helpers shared by the pages: the store, links, live updates and safe text."""
