"""Mend what a worker that died left in the outbox (core.outbox.sweep): run it when the worker
starts and every few minutes (README, "Mail: the outbox and the worker")."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from core import outbox


class Command(BaseCommand):
    help = "Put mails left 'sending' by a dead worker back to pending and re-enqueue due mails."

    def add_arguments(self, parser):
        parser.add_argument(
            "--sending-older-than",
            type=int,
            default=None,
            metavar="SECONDS",
            help="A mail claimed this long ago and still 'sending' was left by a dead worker "
            "(default OUTBOX_SENDING_TIMEOUT). 0 only when no worker is running.",
        )

    def handle(self, *args, sending_older_than, **options):
        older = None if sending_older_than is None else timedelta(seconds=sending_older_than)
        put_back, enqueued, fan_outs = outbox.sweep(sending_older_than=older)
        self.stdout.write(
            f"outbox: {put_back} put back to pending, {enqueued} enqueued, "
            f"{fan_outs} lost fan-outs enqueued again"
        )
