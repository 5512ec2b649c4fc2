"""One module per dashboard page, each with ``PATH``, ``TITLE_KEY``, ``layout(lang)`` and ``register_callbacks(app, data)``."""
