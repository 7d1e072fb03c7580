from django.core.management.base import BaseCommand

from events.services import send_event_reminders


class Command(BaseCommand):
    help = (
        "Nosūta atgādinājumu visiem apstiprinātajiem rītdienas pasākumu dalībniekiem. "
        "Katram tikai vienu reizi, lai cik reižu komandu palaiž (piemēram, ik stundu no cron)."
    )

    def handle(self, *args, **options):
        sent = send_event_reminders()
        self.stdout.write(f"Nosūtīti atgādinājumi: {sent}")
