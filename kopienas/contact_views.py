"""Writing to a community's leaders from its page (communities.contact)."""

import hashlib

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from communities import contact
from communities.models import Community
from communities.selectors import published_communities
from core import ratelimit

from .forms import ContactLeadersForm

# At most this many messages within the period (seconds): per visitor's network address, per
# sender's address, and to one community from everyone together.
LIMIT_PER_IP = (5, 60 * 60)
LIMIT_PER_SENDER = (5, 24 * 60 * 60)
LIMIT_PER_COMMUNITY = (30, 24 * 60 * 60)


def _may_send(request, community: Community, email: str) -> bool:
    checks = [
        ("contact-ip", ratelimit.client_ip(request), LIMIT_PER_IP),
        # Hashed: the cache keeps a count, not the address.
        ("contact-sender", hashlib.sha256(email.lower().encode()).hexdigest(), LIMIT_PER_SENDER),
        ("contact-community", str(community.pk), LIMIT_PER_COMMUNITY),
    ]
    # Every one is counted, so that neither many addresses from one place nor one address from
    # many places gets through.
    results = [
        ratelimit.allow(scope=scope, key=key, limit=limit, period=period)
        for scope, key, (limit, period) in checks
    ]
    return all(results)


@never_cache
@require_http_methods(["GET", "POST"])
def contact_leaders(request, slug):
    try:
        community = published_communities().get(slug=slug)
    except Community.DoesNotExist:
        raise Http404(_("Šāda kopiena nav atrasta.")) from None
    has_leaders = bool(contact.leaders_to_write_to(community))
    status = 200
    if request.method == "POST" and has_leaders:
        form = ContactLeadersForm(request.POST, user=request.user)
        if form.is_valid():
            name, email = form.sender()
            if _may_send(request, community, email):
                contact.write_to_leaders(
                    community=community,
                    name=name,
                    email=email,
                    message=form.cleaned_data["message"],
                    form_key=form.cleaned_data["form_key"],
                    sender=request.user if request.user.is_authenticated else None,
                )
                messages.success(
                    request,
                    _(
                        "Ziņa nosūtīta kopienas līderiem. Viņi atbildēs uz jūsu e-pasta adresi "
                        "%(email)s."
                    )
                    % {"email": email},
                )
                return redirect(community)
            form.add_error(
                None,
                _(
                    "Pēdējā laikā no šīs adreses vai šī tīkla nosūtīts pārāk daudz ziņu. "
                    "Lūdzu, mēģiniet vēlāk."
                ),
            )
            status = 429
        else:
            status = 400
    else:
        form = ContactLeadersForm(initial={"form_key": contact.new_form_key()}, user=request.user)
    return render(
        request,
        "communities/contact_leaders.html",
        {"community": community, "form": form, "has_leaders": has_leaders},
        status=status,
    )
