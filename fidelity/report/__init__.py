"""Renderers: one module per output format, each turning a ``Report`` into text."""
