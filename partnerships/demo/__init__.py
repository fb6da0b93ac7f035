"""Partnerships' demo data (`manage.py seed_demo [--scale N]`): the organisations and
partnerships first (`partnerships.demo.base`), then each area's own module, which finds the
partnerships by their titles and adds what is missing (safe to run again)."""

from __future__ import annotations

import importlib

from coprod.doors import DemoRun

# Each area's demo module (partnerships.demo.<name>) with a `seed(run)`, run in this order.
AREAS = ("base", "meetings", "influence", "library", "assessment")


def seed(run: DemoRun) -> None:
    for name in AREAS:
        importlib.import_module(f"partnerships.demo.{name}").seed(run)
