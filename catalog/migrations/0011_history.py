"""The register's history (django-simple-history): a history table for certificates and one
for producers, and a first history row for every row already in the register.

The first row is dated when the row's facts became true, as far as the register knows:
- a certificate: its decision date (its facts hold from the decision on);
- a producer: 1 January of its founding year when it is known (the register has no
  creation date for producers, and their legal form, size and leadership are taken to hold
  since the founding; an official dates a later change with "Effective from"), else the
  day of this migration, the earliest day the register can vouch for.
Each row's `history_recorded_at` is the migration's own time, so the backdating shows.
"""

import datetime

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def start_of(day):
    """Midnight at the start of `day`, local time (a row dated so holds on all of `day`)."""
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def first_history_rows(apps, schema_editor):
    from django.utils import timezone

    now = timezone.now()
    for model_name, dated in (("Certificate", certificate_date), ("Producer", producer_date)):
        model = apps.get_model("catalog", model_name)
        history = apps.get_model("catalog", f"Historical{model_name}")
        tracked = [
            field.attname
            for field in history._meta.concrete_fields
            if not field.name.startswith("history_")
        ]
        rows = [
            history(
                history_date=dated(values, now),
                history_recorded_at=now,
                history_type="+",
                **{name: values[name] for name in tracked},
            )
            for values in model.objects.values(*tracked).iterator()
        ]
        history.objects.bulk_create(rows, batch_size=500)


def certificate_date(values, now):
    return start_of(values["decision_date"])


def producer_date(values, now):
    if values["founded_year"]:
        return start_of(datetime.date(values["founded_year"], 1, 1))
    return now


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0010_revocation_and_size'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalCertificate',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('history_recorded_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='recorded at')),
                ('decision_number', models.CharField(max_length=50, verbose_name='decision number')),
                ('decision_date', models.DateField(verbose_name='decision date')),
                ('level', models.CharField(choices=[('district', "District people's committee"), ('province', "Provincial people's committee"), ('ministry', 'Ministry (central level)')], max_length=10, verbose_name='recognising level')),
                ('issuer', models.CharField(help_text='E.g. UBND huyện Krông Nô, UBND tỉnh Gia Lai.', max_length=150, verbose_name='issued by')),
                ('issue_date', models.DateField(blank=True, help_text='Leave empty to use the decision date.', verbose_name='issue date')),
                ('expiry_date', models.DateField(blank=True, help_text='Last day of validity. Leave empty for 36 months after the decision.', verbose_name='expiry date')),
                ('score_a', models.DecimalField(decimal_places=2, help_text="0–40 points (35 under Decision 1048/2019); the council's average, e.g. 31.67", max_digits=5, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(40)], verbose_name='part A: product and community strength')),
                ('score_b', models.DecimalField(decimal_places=2, help_text="0–25 points; the council's average, e.g. 18.33", max_digits=5, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(25)], verbose_name='part B: marketing capacity')),
                ('score_c', models.DecimalField(decimal_places=2, help_text="0–35 points (40 under Decision 1048/2019); the council's average", max_digits=5, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(40)], verbose_name='part C: product quality')),
                ('score', models.DecimalField(decimal_places=2, editable=False, max_digits=5, verbose_name='score')),
                ('stars', models.PositiveSmallIntegerField(blank=True, choices=[(1, '1★'), (2, '2★'), (3, '3★'), (4, '4★'), (5, '5★')], help_text="As recognised by the decision. Leave empty for the score's band.", verbose_name='stars')),
                ('revoked_on', models.DateField(blank=True, help_text="The revocation decision's date.", null=True, verbose_name='revoked on')),
                ('revocation_ground', models.CharField(blank=True, choices=[('false_information', 'False or forged information in the dossier'), ('criteria_not_kept', 'No longer meets the criteria on inspection'), ('law_breach', 'Breach of quality, food-safety, environment, IP or labelling law'), ('mark_misuse', 'Misuse of the OCOP mark'), ('production_stopped', 'Production stopped'), ('other_authority', 'Finding of another competent authority')], max_length=20, verbose_name='ground for revocation')),
                ('revocation_decision_number', models.CharField(blank=True, max_length=50, verbose_name='revocation decision number')),
                ('revocation_level', models.CharField(blank=True, choices=[('district', "District people's committee"), ('province', "Provincial people's committee"), ('ministry', 'Ministry (central level)')], max_length=10, verbose_name='revoked by (level)')),
                ('revocation_issuer', models.CharField(blank=True, help_text='E.g. Chủ tịch UBND tỉnh Gia Lai.', max_length=150, verbose_name='revoked by')),
                ('revocation_reason', models.CharField(blank=True, help_text='What was found, in a sentence the public page shows.', max_length=255, verbose_name='reason for revocation')),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('product', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='catalog.product', verbose_name='product')),
                ('rule_version', models.ForeignKey(blank=True, db_column='rule_version', db_constraint=False, help_text='Leave empty for the rules in force on the decision date.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='catalog.ruleset', to_field='code', verbose_name='rule version')),
            ],
            options={
                'verbose_name': 'historical OCOP certificate',
                'verbose_name_plural': 'historical OCOP certificates',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalProducer',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('history_recorded_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='recorded at')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('slug', models.SlugField(max_length=100, verbose_name='slug')),
                ('legal_form', models.CharField(choices=[('cooperative', 'Cooperative'), ('cooperative_group', 'Cooperative group'), ('enterprise', 'Enterprise'), ('farm', 'Farm'), ('household', 'Household business')], max_length=20, verbose_name='legal form')),
                ('address', models.CharField(blank=True, max_length=255, verbose_name='address')),
                ('representative', models.CharField(blank=True, max_length=100, verbose_name='representative')),
                ('phone', models.CharField(blank=True, max_length=20, verbose_name='phone')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                ('website', models.URLField(blank=True, verbose_name='website')),
                ('founded_year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='founded in')),
                ('size', models.CharField(blank=True, choices=[('micro', 'Micro'), ('small', 'Small'), ('medium', 'Medium'), ('large', 'Large')], help_text='By Decree 80/2021/NĐ-CP (labour and revenue or capital); empty if not known.', max_length=10, verbose_name='enterprise size')),
                ('women_led', models.BooleanField(default=False, verbose_name='women-led')),
                ('ethnic_minority_led', models.BooleanField(default=False, verbose_name='led by an ethnic minority')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('commune', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='catalog.commune', verbose_name='commune')),
                ('district', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='catalog.district', verbose_name='historical district')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('province', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='catalog.province', verbose_name='province')),
            ],
            options={
                'verbose_name': 'historical producer',
                'verbose_name_plural': 'historical producers',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        # Backwards the tables go, and their rows with them.
        migrations.RunPython(first_history_rows, migrations.RunPython.noop),
    ]
