"""Extraction: the only code that reads PDFs."""


def preload() -> None:
    """Import the PDF and image libraries now (before worker processes fork)."""
    import PIL.Image  # noqa: F401
    import pikepdf  # noqa: F401
    import pypdfium2
    import pypdfium2.raw  # noqa: F401
