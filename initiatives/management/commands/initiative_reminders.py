from django.core.management.base import BaseCommand

from initiatives.services.reminders import send_report_reminders


class Command(BaseCommand):
    help = (
        "Iniciatīvām, kuru īstenošana beigusies, pieprasa noslēguma atskaiti un atgādina "
        "komandām par tuvojošos vai nokavētu atskaites termiņu. Katru atgādinājumu katram "
        "termiņam sūta vienu reizi, lai cik reižu komandu palaiž (paredzēta palaišanai reizi "
        "dienā no cron)."
    )

    def handle(self, *args, **options):
        counts = send_report_reminders()
        self.stdout.write(
            f"Atskaite pieprasīta: {counts.report_due}; "
            f"atgādinājumi par tuvojošos termiņu: {counts.due_soon}; "
            f"par nokavētu termiņu: {counts.overdue}"
        )
