"""The Kivy user interface. The only package that imports Kivy."""
