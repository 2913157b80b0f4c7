"""Speed measurements of mathnn and the book, side by side with the alternatives: ``make bench``."""
