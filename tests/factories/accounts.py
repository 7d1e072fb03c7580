"""People: accounts, verified addresses, profiles and the second factor."""

import factory
from django.contrib.auth import get_user_model


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"lietotajs{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.lv")
    first_name = "Anna"
    last_name = factory.Sequence(lambda n: f"Bērziņa-{n}")
    password = factory.django.Password("parole-testiem-2026")


TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # a fixed test key


class EmailAddressFactory(factory.django.DjangoModelFactory):
    """allauth's record of a person's address: verified and primary unless told otherwise."""

    class Meta:
        model = "account.EmailAddress"

    user = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda address: address.user.email)
    verified = True
    primary = True


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "communities.Profile"
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory)
    phone = ""


def verified_user(**kwargs):
    """A person who signed up and confirmed their address, as allauth leaves them."""
    user = UserFactory(**kwargs)
    EmailAddressFactory(user=user)
    return user


def with_totp(user):
    """Turn on two-factor authentication (an authenticator app) for `user`, as staff must have
    before the admin lets them in (kopienas/middleware.py)."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, TEST_TOTP_SECRET)
    return user


def staff(group: str, **kwargs):
    """A staff member of a role group with two-factor authentication on, as staff need it for
    the admin and for any staff power on the site (core.roles.acts_as_staff)."""
    from django.contrib.auth.models import Group

    user = with_totp(UserFactory(is_staff=True, **kwargs))
    user.groups.add(Group.objects.get(name=group))
    return user


def totp_code(secret: str = TEST_TOTP_SECRET, *, margin: float = 5.0) -> str:
    """The authenticator app's code for now, from a time step with `margin` seconds left, so
    the server still accepts it when it arrives (a loaded machine can take a few seconds)."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    left = 30 - time.time() % 30
    if left < margin:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))
