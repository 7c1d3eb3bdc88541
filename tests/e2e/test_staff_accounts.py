"""Issue 13 in the browser: a staff account by invitation and a second approver, the first
sign-in with a second factor, a password change, and a payment action refused without one."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from django.core import mail
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from caseworks.accounts.constants import Role
from caseworks.accounts.models import User
from caseworks.accounts.tests.factories import TEST_PASSWORD, UserFactory

from .conftest import assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "slow-river-under-granite-bridges"
CHANGED_PASSWORD = "seven-herons-over-the-quiet-bay"


def _new_page(browser: Browser, locale: str = "en-CA") -> Page:
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    return context.new_page()


def _code_for_key(key_text: str) -> str:
    raw = base64.b32decode(key_text.replace(" ", "") + "=" * (-len(key_text.replace(" ", "")) % 8))
    return f"{TOTP(raw).token():06d}"


def test_invitation_second_approver_first_sign_in_password_change(
    browser: Browser, page: Page, live_server: Any, partner: Any
) -> None:
    base = live_server.url
    inviter = UserFactory(role=Role.PARTNER_ADMIN, delivery_partner=partner)
    approver = UserFactory(role=Role.PARTNER_ADMIN, delivery_partner=partner)

    # The administrator invites a caseworker: a money role, so it waits for a second approver.
    login(page, base, inviter.username, TEST_PASSWORD)
    page.goto(f"{base}/staff/invitations/")
    assert_accessible(page, "staff invitations")
    page.fill("#id_invite-username", "new.caseworker")
    page.fill("#id_invite-email", "new.caseworker@example.org")
    page.fill("#id_invite-first_name", "Noor")
    page.select_option("#id_invite-role", "caseworker")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator("body")).to_contain_text("Another administrator must approve it")
    expect(page.get_by_role("button", name=re.compile("^Approve"))).to_have_count(0)  # inviter
    assert mail.outbox == []

    # A second administrator approves, in French: the link goes out.
    second = _new_page(browser)
    login(second, base, approver.username, TEST_PASSWORD)
    second.goto(f"{base}/staff/invitations/")
    with second.expect_navigation():
        second.get_by_role("button", name="Français").click()
    assert_accessible(second, "staff invitations (fr)")
    with second.expect_navigation():
        second.get_by_role("button", name=re.compile("new.caseworker")).first.click()
    expect(second.locator("body")).to_contain_text("l’invitation est envoyée")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/invitation/\S+/", mail.outbox[0].body)
    assert link is not None
    path = link.group(0).split("/invitation/", 1)[1]

    # The invited person sets their own password, then enrols an authenticator.
    newcomer = _new_page(browser)
    newcomer.goto(f"{base}/invitation/{path}")
    assert_accessible(newcomer, "invitation: choose a password")
    newcomer.fill("#id_new_password1", NEW_PASSWORD)
    newcomer.fill("#id_new_password2", NEW_PASSWORD)
    with newcomer.expect_navigation():
        newcomer.get_by_role("button", name="Set my password").click()
    expect(newcomer).to_have_url(re.compile(r"/second-factor/setup/"))
    assert_accessible(newcomer, "second factor set-up")
    screenshot(newcomer, "second-factor-setup")
    newcomer.goto(f"{base}/")  # nothing before the second factor
    expect(newcomer).to_have_url(re.compile(r"/second-factor/setup/"))
    key = newcomer.locator("#totp-key").inner_text()
    newcomer.fill("#id_code", _code_for_key(key))
    with newcomer.expect_navigation():
        newcomer.get_by_role("button", name="Finish set-up").click()
    expect(newcomer.locator("#recovery-codes li")).to_have_count(10)
    assert_accessible(newcomer, "recovery codes")
    with newcomer.expect_navigation():
        newcomer.get_by_role("link", name="I have kept them: continue").click()
    expect(newcomer.locator("h1")).not_to_contain_text("second factor")
    user = User.objects.get(username="new.caseworker")
    assert user.role == Role.CASEWORKER
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1

    # Password change from the "Password and sign-in" page.
    newcomer.get_by_role("link", name="Password and sign-in").click()
    assert_accessible(newcomer, "password and sign-in")
    newcomer.get_by_role("link", name="Change password").click()
    newcomer.fill("#id_old_password", NEW_PASSWORD)
    newcomer.fill("#id_new_password1", CHANGED_PASSWORD)
    newcomer.fill("#id_new_password2", CHANGED_PASSWORD)
    with newcomer.expect_navigation():
        newcomer.get_by_role("button", name="Change password").click()
    user.refresh_from_db()
    assert user.check_password(CHANGED_PASSWORD)

    # The next sign-in asks for the code again, with the new password.
    later = _new_page(browser)
    later.goto(f"{base}/login/")
    later.fill("#id_username", "new.caseworker")
    later.fill("#id_password", CHANGED_PASSWORD)
    with later.expect_navigation():
        later.get_by_role("button", name="Sign in").click()
    expect(later).to_have_url(re.compile(r"/second-factor/"))
    assert_accessible(later, "second factor")


def test_a_payment_action_is_refused_without_the_second_factor(
    browser: Browser, live_server: Any, partner: Any
) -> None:
    base = live_server.url
    supervisor = UserFactory(role=Role.SUPERVISOR, delivery_partner=partner)
    TOTPDevice.objects.create(user=supervisor, name="phone")
    page = _new_page(browser)
    page.goto(f"{base}/login/")
    page.fill("#id_username", supervisor.username)
    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    # Password only: the payment runs page is not shown; the second-factor page is.
    page.goto(f"{base}/payments/runs/")
    expect(page).to_have_url(re.compile(r"/second-factor/\?next=%2Fpayments%2Fruns%2F"))
    expect(page.locator("h1")).to_have_text("Confirm it is you")
    # The API refuses the release of a run from this session, in JSON.
    answer = page.request.post(f"{base}/api/payments/runs/1/release", data="{}")
    assert answer.status == 403
    assert answer.json()["detail"][0]["code"] == "second_factor_required"
    # A wrong code keeps the door shut.
    page.fill("#id_code", "000000")
    with page.expect_navigation():
        page.locator("#second-factor-submit").click()
    expect(page.locator(".error-summary, [role=alert]").first).to_be_visible()
    page.goto(f"{base}/payments/runs/")
    expect(page).to_have_url(re.compile(r"/second-factor/"))
