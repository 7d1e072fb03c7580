"""Permission-matrix rows of this area (see tests/test_permission_matrix.py): allauth's pages
under /konts/, the person's own pages under /mans/, joining a community and deciding requests.

Decisions worth knowing:
- The members page of a community and its decision URL answer 403 to a signed-in person who is
  neither an active leader of that community nor a coordinator (a superuser counts as one): the
  community is public, so refusing says nothing secret. A request that is not a waiting request
  of that community is answered "already decided" and changes nothing
  (tests/communities/test_membership.py).
- Deciding is POST only: a GET by someone allowed to decide is 405.
- Joining is POST only: a GET sends the person to the community's page, where the button is.
- The admin's own log-in page hands anonymous people to allauth's, and refuses signed-in people
  who are not staff (allauth's secure_admin_login).
"""

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str

from communities.models import Community, Membership
from tests.factories import UserFactory
from tests.permissions.roles import FORBIDDEN, FOUND, NOT_ALLOWED, NOT_FOUND, OK, ROLES, STAFF


def roles(default, **exceptions) -> dict:
    return {**dict.fromkeys(ROLES, default), **exceptions}


def signed_in(login_next: str, default, **exceptions) -> dict:
    """Anonymous people are sent to log in (with `login_next`, as quoted by the view)."""
    return roles(default, anonymous=(FOUND, f"/konts/login/?next={login_next}"), **exceptions)


def reauthenticate(next_quoted: str) -> tuple:
    """allauth asks for the password again before a sensitive page: a test's session holds no
    recent log-in."""
    return (FOUND, f"/konts/reauthenticate/?next={next_quoted}")


TO_MY_PAGE = (FOUND, "/mans/")
TOTP_ACTIVATE = "%2Fkonts%2F2fa%2Ftotp%2Factivate%2F"
TOTP_DEACTIVATE = "%2Fkonts%2F2fa%2Ftotp%2Fdeactivate%2F"
CODES_GENERATE = "%2Fkonts%2F2fa%2Frecovery-codes%2Fgenerate%2F"
PREILI_DECIDE = "/kopienas/preili/dalibnieki/{request}/"
AGLONA_DECIDE = "/kopienas/aglona/dalibnieki/{request}/"
# Verified people who may decide on Preiļi's requests.
DECIDES_PREILI = {"leader": NOT_ALLOWED, "coordinator": NOT_ALLOWED, "superuser": NOT_ALLOWED}

MATRIX: dict = {
    # --- allauth: entrance (signed-in people are sent on to their page) ---------------------
    "account_login": [
        ("/konts/login/", roles(TO_MY_PAGE, anonymous=OK)),
        ("/en/konts/login/", roles((FOUND, "/en/mans/"), anonymous=OK)),
    ],
    "account_signup": [("/konts/signup/", roles(TO_MY_PAGE, anonymous=OK))],
    "account_logout": [("/konts/logout/", roles(OK, anonymous=(FOUND, "/")))],
    "account_inactive": [("/konts/inactive/", roles(OK))],
    "account_email_verification_sent": [("/konts/confirm-email/", roles(OK))],
    "account_confirm_email": [
        # The confirmation page asks to confirm with a POST; a bad key says so, also 200.
        ("/konts/confirm-email/{confirm_key}/", roles(OK)),
        ("/konts/confirm-email/nederigs-kods/", roles(OK)),
    ],
    "account_confirm_login_code": [
        # Logging in by a mailed code is off: nothing to confirm.
        ("/konts/login/code/confirm/", roles(TO_MY_PAGE, anonymous=(FOUND, "/konts/login/")))
    ],
    "account_reset_password": [("/konts/password/reset/", roles(OK))],
    "account_reset_password_done": [("/konts/password/reset/done/", roles(OK))],
    "account_reset_password_from_key": [
        # A valid key is swapped for a session and the key leaves the address.
        (
            "/konts/password/reset/key/{reset_key}/",
            roles((FOUND, "/konts/password/reset/key/{reset_uid}-set-password/")),
        ),
        ("/konts/password/reset/key/1-nederigs/", roles(OK)),
    ],
    "account_reset_password_from_key_done": [("/konts/password/reset/key/done/", roles(OK))],
    # --- allauth: the signed-in person's account ---------------------------------------------
    "account_email": [("/konts/email/", signed_in("/konts/email/", OK))],
    "account_change_password": [
        ("/konts/password/change/", signed_in("/konts/password/change/", OK))
    ],
    "account_set_password": [
        (
            "/konts/password/set/",
            signed_in("/konts/password/set/", (FOUND, "/konts/password/change/")),
        )
    ],
    "account_reauthenticate": [("/konts/reauthenticate/", signed_in("/konts/reauthenticate/", OK))],
    # --- allauth: two-factor authentication --------------------------------------------------
    "mfa_index": [("/konts/2fa/", signed_in("/konts/2fa/", OK))],
    "mfa_authenticate": [
        # Only in the middle of a log-in that asks for a code.
        ("/konts/2fa/authenticate/", roles(TO_MY_PAGE, anonymous=(FOUND, "/konts/login/")))
    ],
    "mfa_reauthenticate": [
        (
            "/konts/2fa/reauthenticate/",
            signed_in(
                "/konts/2fa/reauthenticate/",
                # Without an authenticator there is no code to ask for: the password instead.
                (FOUND, "/konts/reauthenticate/"),
                **dict.fromkeys(STAFF, OK),
            ),
        )
    ],
    "mfa_activate_totp": [
        (
            "/konts/2fa/totp/activate/",
            signed_in(
                TOTP_ACTIVATE,
                reauthenticate(TOTP_ACTIVATE),
                # An unconfirmed address cannot receive the notices two-factor sends.
                unverified=(FOUND, "/konts/2fa/"),
            ),
        )
    ],
    "mfa_deactivate_totp": [
        (
            "/konts/2fa/totp/deactivate/",
            signed_in(
                "/konts/2fa/totp/deactivate/",
                # Only staff have an authenticator in the fixture.
                NOT_FOUND,
                **dict.fromkeys(STAFF, reauthenticate(TOTP_DEACTIVATE)),
            ),
        )
    ],
    "mfa_view_recovery_codes": [
        # No recovery codes were generated for anyone in the fixture.
        ("/konts/2fa/recovery-codes/", signed_in("/konts/2fa/recovery-codes/", NOT_FOUND))
    ],
    "mfa_generate_recovery_codes": [
        (
            "/konts/2fa/recovery-codes/generate/",
            signed_in(CODES_GENERATE, reauthenticate(CODES_GENERATE)),
        )
    ],
    "mfa_download_recovery_codes": [
        (
            "/konts/2fa/recovery-codes/download/",
            signed_in("/konts/2fa/recovery-codes/download/", NOT_FOUND),
        )
    ],
    # --- The person's own pages --------------------------------------------------------------
    "my_page": [
        ("/mans/", signed_in("/mans/", OK)),
        ("/en/mans/", roles(OK, anonymous=(FOUND, "/en/konts/login/?next=/en/mans/"))),
    ],
    "my_profile": [("/mans/profils/", signed_in("/mans/profils/", OK))],
    "my_data": [
        ("/mans/dati/", signed_in("/mans/dati/", OK)),
        ("/mans/dati/?format=json", signed_in("/mans/dati/%3Fformat%3Djson", OK)),
    ],
    "my_account_delete": [("/mans/dzest/", signed_in("/mans/dzest/", OK))],
    # Everyone signed in sees their own registrations (none but their own can be listed).
    "my_registrations": [
        ("/mans/pasakumi/", signed_in("/mans/pasakumi/", OK)),
        (
            "/mans/pasakumi/?laiks=pagajusi&lapa=abc",
            signed_in("/mans/pasakumi/%3Flaiks%3Dpagajusi%26lapa%3Dabc", OK),
        ),
        (
            "/en/mans/pasakumi/",
            roles(OK, anonymous=(FOUND, "/en/konts/login/?next=/en/mans/pasakumi/")),
        ),
    ],
    # --- Joining a community and deciding requests ------------------------------------------
    "communities:join": [
        (
            "/kopienas/preili/pievienoties/",
            signed_in("/kopienas/preili/pievienoties/", (FOUND, "/kopienas/preili/")),
        ),
        # Unpublished.
        (
            "/kopienas/kraslava/pievienoties/",
            signed_in("/kopienas/kraslava/pievienoties/", NOT_FOUND),
        ),
        (
            "/kopienas/nav-tadas/pievienoties/",
            signed_in("/kopienas/nav-tadas/pievienoties/", NOT_FOUND),
        ),
    ],
    "communities:members": [
        (
            "/kopienas/preili/dalibnieki/",
            signed_in(
                "/kopienas/preili/dalibnieki/", FORBIDDEN, leader=OK, coordinator=OK, superuser=OK
            ),
        ),
        # Preiļi's leader is no leader of Aglona.
        (
            "/kopienas/aglona/dalibnieki/",
            signed_in("/kopienas/aglona/dalibnieki/", FORBIDDEN, coordinator=OK, superuser=OK),
        ),
        ("/kopienas/kraslava/dalibnieki/", signed_in("/kopienas/kraslava/dalibnieki/", NOT_FOUND)),
    ],
    "communities:membership_decide": [
        (PREILI_DECIDE, signed_in(PREILI_DECIDE, FORBIDDEN, **DECIDES_PREILI)),
        (
            AGLONA_DECIDE,
            signed_in(AGLONA_DECIDE, FORBIDDEN, coordinator=NOT_ALLOWED, superuser=NOT_ALLOWED),
        ),
    ],
}

ADMIN_LOGIN_REFUSED = dict.fromkeys(
    ["unverified", "user", "member", "other_activist", "leader"], FORBIDDEN
)
ADMIN_MATRIX: dict = {
    # The admin's log-in is allauth's: the first hop from /admin/ stays /admin/login/?next=...
    # (SITE_ADMIN_MATRIX), the second lands on /konts/login/ with the same `next`.
    "admin:login": [
        (
            "/admin/login/?next=/admin/",
            {
                "anonymous": (FOUND, "/konts/login/?next=%2Fadmin%2F"),
                **ADMIN_LOGIN_REFUSED,
                **dict.fromkeys(STAFF, (FOUND, "/admin/")),
            },
        ),
        (
            "/admin/login/",
            {
                "anonymous": (FOUND, "/konts/login/?next=%2Fadmin%2Flogin%2F"),
                **ADMIN_LOGIN_REFUSED,
                **dict.fromkeys(STAFF, (FOUND, "/admin/")),
            },
        ),
    ],
}


def setup(people) -> dict[str, object]:
    """Make the objects the paths below name; return their "{placeholder}" values."""
    # A person asking to join Preiļi, whose request the leader decides on.
    asking = UserFactory(username="jautatajs", email="jautatajs@example.lv")
    request = Membership.objects.create(user=asking, community=Community.objects.get(slug="preili"))
    # The unverified person's address, confirmed by the key in their sign-up mail.
    address = EmailAddress.objects.get(user=people["unverified"])
    # Someone who forgot their password: not one of the roles, whose log-in would change the
    # key's ingredients (the last log-in time) and so void it.
    forgetful = UserFactory(username="aizmirsis", email="aizmirsis@example.lv")
    EmailAddress.objects.create(user=forgetful, email=forgetful.email, verified=True, primary=True)
    uid = user_pk_to_url_str(forgetful)
    return {
        "request": request.pk,
        "confirm_key": EmailConfirmationHMAC(address).key,
        "reset_uid": uid,
        "reset_key": f"{uid}-{default_token_generator.make_token(forgetful)}",
    }
