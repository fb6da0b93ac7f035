"""Django's admin is Django's markup: axe finds a few problems in it that we do not fix. They are
recorded in admin_axe_baseline.json; any finding that is not there fails.

After a change to the admin, look at the new findings, fix ours, and re-record Django's with
`COPROD_UPDATE_AXE_BASELINE=1 pytest tests/browser/test_admin.py`."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from coprod.models import User
from coprod.services.people import create_person
from tests.browser.support import Tab, axe_findings, load_baseline

pytestmark = pytest.mark.browser

BASELINE = Path(__file__).with_name("admin_axe_baseline.json")
ADMIN_PAGES = {
    "index": "/admin/",
    "person-changelist": "/admin/coprod/person/",
}


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_page_axe_findings_within_baseline(
    tab: Tab, sign_in: Callable[[User], None], admin_user: User, name: str
) -> None:
    create_person(chosen_name="Referred person")
    sign_in(admin_user)
    tab.goto(ADMIN_PAGES[name])

    findings = axe_findings(tab.axe_violations())

    if os.environ.get("COPROD_UPDATE_AXE_BASELINE") == "1":
        baseline = load_baseline(BASELINE)
        baseline[name] = findings
        BASELINE.write_text(json.dumps(baseline, indent=2, sort_keys=True) + "\n")
    new = sorted(set(findings) - set(load_baseline(BASELINE).get(name, [])))
    assert tab.page.url == tab.url(ADMIN_PAGES[name])
    assert new == [], "axe findings not in the admin baseline:\n" + "\n".join(new)
