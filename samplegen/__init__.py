"""Sample disclosure PDFs with ground truth, rebuilt from the seed document."""
