from django.core.management.base import BaseCommand

from events.following import send_digests


class Command(BaseCommand):
    help = (
        "Nosūta iknedēļas apkopojumu par jauniem un mainītiem pasākumiem tiem, kuru pēdējais "
        "apkopojums ir vismaz nedēļu vecs un kam ir ko teikt. Katru pasākumu vienam cilvēkam "
        "tikai vienu reizi, lai cik reižu komandu palaiž (piemēram, katru dienu no cron)."
    )

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"Nosūtīti apkopojumi: {sent}")
