"""Calculators over the venue registry (culture.venues): facilities that must exist
(``facilities``), rules on each venue's record (``flags``) and opening hours (``opening``).
``base`` holds what they share."""
