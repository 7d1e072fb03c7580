from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("grants", "0006_draft_keys_never_references")]

    operations = [
        migrations.AlterField(
            model_name="budgetline",
            name="category",
            field=models.CharField(
                choices=[
                    ("materials", "Materiāli"),
                    ("equipment", "Aprīkojums"),
                    ("services", "Pakalpojumi"),
                    ("catering", "Ēdināšana"),
                    ("transport", "Transports"),
                    ("premises", "Telpu noma"),
                    ("other", "Citi izdevumi"),
                ],
                max_length=12,
                verbose_name="kategorija",
            ),
        ),
    ]
