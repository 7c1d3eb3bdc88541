"""Issue 17: a passkey as the client's second factor (django-allauth MFA, WebAuthn), on a phone,
in English and in French, with axe on every page.

The passkey lives in Chromium's virtual authenticator (DevTools protocol, `WebAuthn` domain): a
platform authenticator ("internal" transport) with user verification, as a phone's fingerprint
reader or screen lock is. The client adds it from "Sign-in security", signs out, signs in again
with the password and the passkey as the second step, and opens the bank-details page, which
needs a second factor passed in the last minutes (caseworks.portal.views.second_factor_recent).

WebAuthn needs a secure context and a relying-party id that is a domain: pytest-django's live
server listens on http://localhost, which browsers treat as secure and fido2 accepts as an
origin (fido2.rpid.verify_rp_id), with the RP id "localhost" (allauth takes it from the Host
header). On http://127.0.0.1 the ceremony cannot work: an IP address is not a valid RP id for
the browser, and fido2 refuses a plain-http origin other than localhost (unless
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN, which only DEBUG sets). The first test checks that the live
server is on localhost, so that a change there fails clearly rather than as a timeout.
"""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import Browser, Page, expect

from caseworks.payments.models import BankDetailChange

from .conftest import assert_accessible, screenshot
from .portal_world import PASSWORD, PNG, client_with_account, phone_context, sign_in
from .steps import StepCounter

pytestmark = pytest.mark.django_db(transaction=True)

AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
}
SIGN_OUT = {"en": "Sign out", "fr": "Se déconnecter"}


class PostedPages:
    """Form posts that load a page (main-frame POST navigations). allauth's WebAuthn script
    posts its form with form.submit(), which fires no submit event, so StepCounter does not see
    those; the person still pressed one button for each."""

    def __init__(self, page: Page) -> None:
        self.count = 0
        page.on("request", self._seen)

    def _seen(self, request: Any) -> None:
        if request.is_navigation_request() and request.method == "POST":
            self.count += 1

    def reset(self) -> None:
        self.count = 0


def test_the_live_server_is_on_localhost_where_webauthn_works(live_server: Any) -> None:
    assert live_server.url.startswith("http://localhost:"), live_server.url


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_passkey_added_on_the_phone_is_the_second_factor_that_opens_bank_details(
    live_server: Any, browser: Browser, partner: Any, language: str, tmp_path: Any
) -> None:
    base = live_server.url
    client = client_with_account(partner)
    context = phone_context(browser)
    phone = context.new_page()
    cdp = context.new_cdp_session(phone)
    cdp.send("WebAuthn.enable")
    added = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})
    authenticator_id = added["authenticatorId"]
    sign_in(phone, base, language)
    assert phone.url == f"{base}/my/"
    steps = StepCounter(phone)
    posted = PostedPages(phone)

    # Add the passkey from "Sign-in security". django-allauth asks for the password again
    # before any change to the second factor, however recent the sign-in.
    phone.locator("nav.primary-nav a[href='/my/account/2fa/']").click()
    phone.wait_for_load_state("networkidle")
    assert_accessible(phone, f"sign-in security ({language})")
    phone.locator("main a[href='/my/account/2fa/webauthn/add/']").click()
    phone.wait_for_load_state("networkidle")
    assert "/my/account/reauthenticate/" in phone.url
    assert_accessible(phone, f"password again ({language})")
    phone.fill("#id_password", PASSWORD)
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").last.click()
    phone.wait_for_load_state("networkidle")
    assert phone.url == f"{base}/my/account/2fa/webauthn/add/"
    assert_accessible(phone, f"add a passkey ({language})")
    screenshot(phone, f"portal-passkey-add-{language}")
    phone.fill("#id_name", "Mon téléphone" if language == "fr" else "My phone")
    with phone.expect_navigation():
        phone.locator("#mfa_webauthn_add").click()
    phone.wait_for_load_state("networkidle")
    passkey = Authenticator.objects.get(user=client.account.user, type=Authenticator.Type.WEBAUTHN)
    assert passkey.wrap().name == ("Mon téléphone" if language == "fr" else "My phone")
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
    assert len(credentials["credentials"]) == 1
    # The first second factor also makes recovery codes, shown once.
    assert "/my/account/2fa/recovery-codes/" in phone.url
    assert_accessible(phone, f"recovery codes ({language})")
    # Two presses: the password again (a submit), then "Add" (posted by allauth's script).
    steps.assert_within(submits=1, journey="add a passkey (password again)")
    assert (steps.submits, posted.count) == (1, 2)

    # Sign out, then in again: the password, then the passkey as the second step.
    with phone.expect_navigation():
        phone.get_by_role("button", name=SIGN_OUT[language]).click()
    phone.wait_for_load_state("networkidle")
    steps.reset()
    posted.reset()
    phone.goto(f"{base}/my/login/")
    phone.fill("#id_login", "amira")
    phone.fill("#id_password", PASSWORD)
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").last.click()
    phone.wait_for_load_state("networkidle")
    assert "/my/account/2fa/authenticate/" in phone.url
    expect(phone.locator("html")).to_have_attribute("lang", language)
    assert_accessible(phone, f"second step at sign-in ({language})")
    screenshot(phone, f"portal-passkey-sign-in-{language}")
    with phone.expect_navigation():
        phone.locator("#mfa_webauthn_authenticate").click()
    phone.wait_for_load_state("networkidle")
    assert phone.url == f"{base}/my/"
    steps.assert_within(submits=1, journey="sign in with a passkey as the second step")
    assert (steps.submits, posted.count) == (1, 2)  # the password; the passkey button
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None

    # The bank-details page needs the second factor: the passkey just used is enough.
    steps.reset()
    posted.reset()
    phone.locator("nav.primary-nav a[href='/my/bank/']").click()
    phone.wait_for_load_state("networkidle")
    assert phone.url == f"{base}/my/bank/"
    expect(phone.locator("#id_holder_name")).to_be_visible()
    assert_accessible(phone, f"bank details after the passkey ({language})")
    proof = tmp_path / "cheque.png"
    proof.write_bytes(PNG)
    phone.fill("#id_holder_name", "Amira Haddad")
    phone.fill("#id_institution", "003")
    phone.fill("#id_transit", "54321")
    phone.fill("#id_account", "7654321")
    phone.set_input_files("#id_proof", str(proof))
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").click()
    phone.wait_for_load_state("networkidle")
    assert phone.url == f"{base}/my/"
    assert_accessible(phone, f"home, bank change sent ({language})")
    steps.assert_within(submits=1, journey="change bank details after a passkey sign-in")
    assert steps.submits == 1
    change = BankDetailChange.objects.get(benefit_unit=client.case)
    assert (change.status, change.requested_by_id) == ("pending", client.account.user_id)
    context.close()


def test_without_the_passkey_the_second_step_does_not_pass(
    live_server: Any, browser: Browser, partner: Any
) -> None:
    """The passkey is really checked: the same account on a phone whose authenticator holds
    no credential for it gets no further than the second step."""
    base = live_server.url
    client = client_with_account(partner)
    context = phone_context(browser)
    phone = context.new_page()
    cdp = context.new_cdp_session(phone)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})
    sign_in(phone, base, "en")
    phone.goto(f"{base}/my/account/2fa/webauthn/add/")
    phone.fill("#id_password", PASSWORD)
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").last.click()
    with phone.expect_navigation():
        phone.locator("#mfa_webauthn_add").click()
    assert Authenticator.objects.filter(
        user=client.account.user, type=Authenticator.Type.WEBAUTHN
    ).exists()
    context.close()

    other = phone_context(browser)  # another phone: its authenticator is empty
    thief = other.new_page()
    session = other.new_cdp_session(thief)
    session.send("WebAuthn.enable")
    session.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})
    sign_in(thief, base, "en")
    assert "/my/account/2fa/authenticate/" in thief.url
    errors: list[str] = []
    thief.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    thief.locator("#mfa_webauthn_authenticate").click()
    thief.wait_for_timeout(3_000)  # the browser finds no passkey for this site
    assert "/my/account/2fa/authenticate/" in thief.url
    thief.goto(f"{base}/my/bank/")
    assert "/my/bank/" not in thief.url.split("?")[0]
    other.close()
