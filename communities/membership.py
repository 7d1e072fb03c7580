"""Managing a community's members (issue 17): a leader changes a member's role or removes them,
a member leaves; every change is a line of the community's history (MembershipChange).

A community never loses its last leader by any of these: the active leader rows are locked
first (in one order, so two transactions never wait on each other crosswise), and the last one
may be demoted, removed or leave only when a successor, an active member of the same
community, is named in the same action and becomes leader in it. Who acts is checked again
under those locks: a leader demoted a moment ago by another leader acts no more.

A removed or departed person's membership row is deleted, as a declined request is: they may ask
to join again later; their registrations and follows stay theirs, while their capacity answers
in that community stay without their name. A person who leaves of their own accord is news to the
community's other leaders: each is mailed (a leader who removes someone knows already). A pending
request its person withdraws is deleted too, as a line of the history, and mails nobody.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from core import mail
from core.roles import is_coordinator

from .contact import CONTROL
from .models import ActionItem, CapacityAnswer, Community, Membership, MembershipChange
from .selectors import language_of

MESSAGE_MAX_LENGTH = 1000

Role = Membership.Role


def display_name(user) -> str:
    return user.get_full_name() or user.email


def record(
    *,
    community: Community,
    person,
    kind: str,
    by=None,
    old_role: str = "",
    new_role: str = "",
    message: str = "",
) -> MembershipChange:
    """One line of the community's membership history."""
    return MembershipChange.objects.create(
        community=community,
        person=person,
        person_name=display_name(person),
        changed_by=by,
        kind=kind,
        old_role=old_role,
        new_role=new_role,
        message=message,
    )


def _lock_leaders(community: Community) -> list[Membership]:
    return list(
        Membership.objects.select_for_update()
        .filter(community=community, status=Membership.Status.ACTIVE, role=Role.LEADER)
        .order_by("pk")
    )


def _check_actor(by, community: Community, leaders: list[Membership]) -> None:
    if is_coordinator(by) or any(leader.user_id == by.pk for leader in leaders):
        return
    raise ValidationError(
        _("Jūs vairs neesat šīs kopienas līderis, tāpēc dalībniekus mainīt nevarat.")
    )


def _active_member(*, membership_id: int, community: Community) -> Membership:
    """The community's active member, locked; Membership.DoesNotExist when gone (removed or
    left a moment ago, a double submit) or never of this community."""
    return (
        Membership.objects.select_for_update()
        .select_related("user")
        .get(pk=membership_id, community=community, status=Membership.Status.ACTIVE)
    )


def _hand_over(
    *,
    community: Community,
    leaders: list[Membership],
    leaving: Membership,
    successor_id: int | None,
    by,
    refusal: str,
    mail_successor: bool = True,
) -> Membership | None:
    """When `leaving` is the community's last leader, make the named successor leader first;
    returns the successor's membership, or None when another leader stays. `mail_successor`
    False when the action's own mail tells the successor (a departure: one mail, not two)."""
    if any(leader.pk != leaving.pk for leader in leaders):
        return None  # another leader stays
    if successor_id is None:
        raise ValidationError({"successor": refusal})
    successor = (
        Membership.objects.select_for_update()
        .select_related("user")
        .filter(pk=successor_id, community=community, status=Membership.Status.ACTIVE)
        .exclude(pk=leaving.pk)
        .first()
    )
    if successor is None:
        raise ValidationError(
            {"successor": _("Izvēlieties pēcteci no kopienas aktīvajiem dalībniekiem.")}
        )
    _set_role(
        membership=successor, community=community, role=Role.LEADER, by=by, notify=mail_successor
    )
    return successor


def _set_role(
    *, membership: Membership, community: Community, role: str, by, notify: bool = True
) -> MembershipChange:
    old_role = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    change = record(
        community=community,
        person=membership.user,
        kind=MembershipChange.Kind.ROLE_CHANGED,
        by=by,
        old_role=old_role,
        new_role=role,
    )
    if not notify:
        return change
    _mail_person(
        "communities/mail/member_role_changed",
        user=membership.user,
        community=community,
        change=change,
        context={
            "old_role": Role(old_role).label,
            "new_role": Role(role).label,
        },
    )
    return change


def _mail_person(template: str, *, user, community: Community, change, context: dict) -> None:
    if not user.email or not user.is_active:
        return
    mail.queue(
        template,
        to=user.email,
        context={
            "community": community,
            "person": user,
            "community_url": mail.absolute(community.get_absolute_url()),
            **context,
        },
        language=language_of(user),
        cause=f"membership-change:{change.pk}",
    )


def leader_addresses(community: Community) -> list[tuple[str, str]]:
    """(address, language) of each active leader of `community` who can be mailed, in one
    order; the language is the one they last signed in with."""
    leaders = (
        get_user_model()
        .objects.filter(
            memberships__community=community,
            memberships__role=Role.LEADER,
            memberships__status=Membership.Status.ACTIVE,
            is_active=True,
        )
        .exclude(email="")
        .order_by("email")
    )
    return [
        (address, language or settings.LANGUAGE_CODE)
        for address, language in leaders.values_list("email", "profile__language")
    ]


def _record_departure(membership: Membership, community: Community) -> MembershipChange:
    """The history line of a member who goes of their own accord (leaving, or closing their
    account), with the role they had."""
    return record(
        community=community,
        person=membership.user,
        kind=MembershipChange.Kind.LEFT,
        by=membership.user,
        old_role=membership.role,
    )


def _departure_context(community: Community, old_role: str) -> dict:
    """What the leaders' mails of a departure share: the community, the role the person had and
    the link to its members."""
    return {
        "community": community,
        "old_role": Role(old_role).label,
        "members_url": mail.absolute(
            reverse("communities:members", kwargs={"slug": community.slug})
        ),
    }


def _mail_leaders_of_departure(
    *, community: Community, user, old_role: str, successor: Membership | None, change
) -> None:
    """Each other active leader hears, in their own language, that `user` left. When the leaver
    was the last leader, the only leader now is the successor they named: this one mail tells
    them the role is theirs (no second mail of the role change). One mail each: leaders do not
    learn one another's addresses from a shared "To:"."""
    context = {**_departure_context(community, old_role), "name": display_name(user)}
    successor_address = successor.user.email if successor is not None else None
    # The leaver's own membership is gone by now: the others remain.
    for address, language in leader_addresses(community):
        mail.queue(
            "communities/mail/member_left",
            to=address,
            context={**context, "you_succeed": address == successor_address},
            language=language,
            cause=f"membership-change:{change.pk}",
        )


def clean_message(text: str) -> str:
    text = CONTROL.sub("", text or "").strip()
    if len(text) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {
                "message": _("Ziņā var būt ne vairāk kā %(limit)d rakstzīmes.")
                % {"limit": MESSAGE_MAX_LENGTH}
            }
        )
    return text


def change_role(
    *,
    membership_id: int,
    community: Community,
    role: str,
    by,
    successor_id: int | None = None,
) -> tuple[Membership, bool]:
    """Give an active member of `community` another role; returns the membership and whether it
    changed (the same role again, a double submit, changes nothing and mails nobody)."""
    if role not in Role.values:
        raise ValidationError({"role": _("Izvēlieties lomu no saraksta.")})
    with transaction.atomic():
        leaders = _lock_leaders(community)
        _check_actor(by, community, leaders)
        membership = _active_member(membership_id=membership_id, community=community)
        if membership.role == role:
            return membership, False
        if membership.role == Role.LEADER:
            _hand_over(
                community=community,
                leaders=leaders,
                leaving=membership,
                successor_id=successor_id,
                by=by,
                refusal=_(
                    "Kopienai jāpaliek vismaz vienam līderim. Pirms maināt pēdējā līdera lomu, "
                    "izvēlieties pēcteci."
                ),
            )
        _set_role(membership=membership, community=community, role=role, by=by)
    return membership, True


def remove_member(
    *,
    membership_id: int,
    community: Community,
    message: str,
    by,
    successor_id: int | None = None,
) -> MembershipChange:
    """Remove an active member from `community`, with the leader's message mailed to them."""
    message = clean_message(message)
    with transaction.atomic():
        leaders = _lock_leaders(community)
        _check_actor(by, community, leaders)
        membership = _active_member(membership_id=membership_id, community=community)
        if membership.role == Role.LEADER:
            _hand_over(
                community=community,
                leaders=leaders,
                leaving=membership,
                successor_id=successor_id,
                by=by,
                refusal=_(
                    "Šis ir kopienas pēdējais līderis. Lai viņu noņemtu, izvēlieties pēcteci, "
                    "kurš kļūs par līderi."
                ),
            )
        user = membership.user
        change = record(
            community=community,
            person=user,
            kind=MembershipChange.Kind.REMOVED,
            by=by,
            old_role=membership.role,
            message=message,
        )
        _part(membership)
        _mail_person(
            "communities/mail/member_removed",
            user=user,
            community=community,
            change=change,
            context={"message": message},
        )
    return change


def leave_community(
    *, user, community: Community, successor_id: int | None = None
) -> MembershipChange:
    """The person leaves `community`; Membership.DoesNotExist when they are no active member
    (left a moment ago: a double submit)."""
    with transaction.atomic():
        leaders = _lock_leaders(community)
        membership = (
            Membership.objects.select_for_update()
            .select_related("user")
            .get(user=user, community=community, status=Membership.Status.ACTIVE)
        )
        successor = None
        if membership.role == Role.LEADER:
            successor = _hand_over(
                community=community,
                leaders=leaders,
                leaving=membership,
                successor_id=successor_id,
                by=user,
                refusal=_(
                    "Jūs esat kopienas pēdējais līderis. Lai pamestu kopienu, izvēlieties "
                    "pēcteci, kurš kļūs par līderi."
                ),
                mail_successor=False,
            )
        change = _record_departure(membership, community)
        _part(membership)
        _mail_leaders_of_departure(
            community=community,
            user=user,
            old_role=change.old_role,
            successor=successor,
            change=change,
        )
    return change


def withdraw_request(*, user, community: Community) -> MembershipChange:
    """The person takes back their pending request to join `community`: the request goes from
    the leaders' list (its row is deleted, as a declined one is, so they may ask again later) and
    is a line of the history. Membership.DoesNotExist when there is no pending request (withdrawn
    a moment ago, a double submit, or decided by a leader first): the row is locked, as deciding
    locks it, so a request is either withdrawn or decided, never both."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(
            user=user, community=community, status=Membership.Status.REQUESTED
        )
        change = record(
            community=community, person=user, kind=MembershipChange.Kind.WITHDRAWN, by=user
        )
        membership.delete()
    return change


def _part(membership: Membership) -> None:
    """A person's membership ends: the row goes, and what they gave the community's capacity
    self-assessment stays without their name (issue 16): their answers are anonymised, and the
    plan's steps they owned wait for a new owner, as an owner must be a member."""
    CapacityAnswer.objects.filter(
        round__community_id=membership.community_id, person_id=membership.user_id
    ).update(person=None)
    ActionItem.objects.filter(
        round__community_id=membership.community_id, owner_id=membership.user_id
    ).update(owner=None)
    membership.delete()


def is_last_leader(membership: Membership) -> bool:
    """Whether this membership is its community's only active leader (for the forms: they then
    ask for a successor). The services decide again under their locks."""
    return (
        membership.status == Membership.Status.ACTIVE
        and membership.role == Role.LEADER
        and not Membership.objects.filter(
            community_id=membership.community_id,
            status=Membership.Status.ACTIVE,
            role=Role.LEADER,
        )
        .exclude(pk=membership.pk)
        .exists()
    )


def depart_with_account(*, user) -> None:
    """Before an account goes (kopienas.services.delete_account, in its transaction, after
    refuse_to_leave_leaderless): each community the person was an active member of gets a line
    of its history, as a departure does, and its other leaders are mailed, each in their own
    language, that a member left by closing their account. The mail does not name them: the
    person asked to be erased, and the outbox keeps what it sends; the history line loses the
    name too (communities.services.forget_member). A pending request just goes, as a withdrawn
    one does, unannounced."""
    memberships = (
        Membership.objects.filter(user=user, status=Membership.Status.ACTIVE)
        .select_related("community", "user")
        .order_by("community_id")
    )
    own = {user.email.lower()} if user.email else set()
    for membership in memberships:
        community = membership.community
        change = _record_departure(membership, community)
        context = _departure_context(community, membership.role)
        for address, language in leader_addresses(community):
            if address.lower() in own:
                continue
            mail.queue(
                "communities/mail/member_account_deleted",
                to=address,
                context=context,
                language=language,
                cause=f"membership-change:{change.pk}",
            )


def refuse_to_leave_leaderless(*, user) -> None:
    """Before an account goes (kopienas.services.delete_account, in its transaction): refuse
    while the person is the only active leader of a community, as leaving would. The leader
    rows of every community they lead are locked, in one order, so a co-leader who steps down
    at the same moment cannot leave the community without a leader either."""
    led = (
        Membership.objects.filter(user=user, status=Membership.Status.ACTIVE, role=Role.LEADER)
        .select_related("community")
        .order_by("community_id")
    )
    alone = [
        membership.community.name
        for membership in led
        if len(_lock_leaders(membership.community)) == 1
    ]
    if alone:
        raise ValidationError(
            _(
                "Jūs esat vienīgais līderis šajās kopienās: %(communities)s. Pirms dzēšat kontu, "
                "kopienas lapā izvēlieties „Pamest kopienu” un norādiet pēcteci, kurš kļūs par "
                "līderi."
            )
            % {"communities": ", ".join(alone)}
        )
