"""Every write to initiatives (DESIGN §3), one module per concern: `lifecycle` (the way through
an initiative's life, due dates, milestones, publication, initiatives a community records on
its own), `reports` (the team's final report) and `reminders` (mails before and after the due
date).

An initiative starts when the applicant is told their application is supported: grants'
publication calls `follow_decision`, named in settings.GRANT_DECISION_FOLLOWERS (grants may not
import this app, which sits to its right in DESIGN §3's order).
"""

from .lifecycle import follow_decision

__all__ = ["follow_decision"]
