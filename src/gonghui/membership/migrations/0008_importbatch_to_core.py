# The import batch now lives in core (core 0006 renamed its table and took over the model):
# point the foreign keys at it and forget membership's copy. State only: in the database the
# columns already hold the same ids, and ImportChange's constraint followed the renamed table.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0006_importbatch'),
        ('membership', '0007_import_files_removed_at'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='importchange',
                    name='batch',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='changes', to='core.importbatch', verbose_name='导入批次'),
                ),
                migrations.AlterField(
                    model_name='membership',
                    name='import_batch',
                    field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='created_memberships', to='core.importbatch', verbose_name='导入批次'),
                ),
                migrations.AlterField(
                    model_name='person',
                    name='import_batch',
                    field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='created_persons', to='core.importbatch', verbose_name='导入批次'),
                ),
                migrations.DeleteModel(
                    name='ImportBatch',
                ),
            ],
        ),
    ]
