"""python manage.py seed_demo --seed 42 [--reset] [--scale N]"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from culture.core.errors import ServiceError
from culture.demo.services import (
    ALREADY_BUILT,
    RESUMED,
    demo_dataset_build,
    demo_dataset_reset,
)


class Command(BaseCommand):
    help = (
        "Build the synthetic demo district (拱墅区: 18 subdistricts, about 200 communities, about "
        "1.2 million residents, Voronoi boundaries) and its demo users, deterministically from "
        "--seed. Running it again with the same seed reports 'already built' and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="first delete the demo org tree and its people (all non-superuser accounts, "
            "staff records and residents); audit entries stay",
        )
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="volume multiplier for benchmarks: N - 1 extra copies of the teams and "
            "activities (scale 1 makes about 7,200 activity rows; --scale 700 about 5 million), "
            "one transaction per copy with a progress line each; a build that stopped resumes "
            "when run again with the same --seed and --scale. The org tree (units, boundaries, "
            "populations), the people and the venues are the same at every scale",
        )

    def handle(self, *args, seed: int, reset: bool, scale: int, **options):
        started = time.monotonic()
        try:
            if reset:
                self.stdout.write("Deleting the demo data set ...")
                demo_dataset_reset(stdout=self.stdout)
            dataset, outcome = demo_dataset_build(seed=seed, scale=scale, stdout=self.stdout)
        except ServiceError as exc:
            raise CommandError(str(exc.message)) from exc
        if outcome == ALREADY_BUILT:
            self.stdout.write(
                f"Demo data set already built (seed {dataset.seed}, scale {dataset.scale}); "
                "nothing changed. Use --reset to rebuild."
            )
            return
        done = "finished" if outcome == RESUMED else "built"
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data set {done} (seed {seed}, scale {scale}) in {time.monotonic() - started:.1f} s."
            )
        )
