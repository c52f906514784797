"""Marks a database that holds the synthetic demo district (every page footer then says so)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class DemoDataset(models.Model):
    seed = models.IntegerField()
    built_at = models.DateTimeField(default=timezone.now)
    description = models.CharField(max_length=255, blank=True, default="")
    # Volume multiplier for operational records (later issues); the org tree is the same at any scale.
    scale = models.PositiveIntegerField(default=1)
    # How many of the ``scale - 1`` extra copies of the registry are committed (``--scale N``
    # builds them one transaction per copy after the base volume; a rerun resumes from here).
    copies_done = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "演示数据集"

    @property
    def complete(self) -> bool:
        return self.copies_done >= self.scale - 1

    @classmethod
    def current(cls) -> DemoDataset | None:
        return cls.objects.order_by("-built_at").first()
