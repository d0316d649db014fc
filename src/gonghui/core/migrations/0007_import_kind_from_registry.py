# A batch's kind is now the key of an importer a domain registered (core.importing.engine),
# not a fixed list of choices. The background tasks moved with the engine: runs queued under
# their old paths (the daily purge always has one waiting) are pointed at the new ones, so
# the worker finds them after the upgrade.

from django.db import migrations, models

import gonghui.core.models

MOVED_TASKS = {
    "gonghui.membership.tasks.check_roster": "gonghui.core.importing.tasks.check_import",
    "gonghui.membership.tasks.apply_roster": "gonghui.core.importing.tasks.apply_import",
    "gonghui.membership.tasks.purge_import_files": "gonghui.core.importing.tasks.purge_import_files",
}


def _repoint(apps, schema_editor, paths):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    results = DBTaskResult.objects.using(schema_editor.connection.alias)
    for old, new in paths.items():
        results.filter(task_path=old).update(task_path=new)


def forwards(apps, schema_editor):
    _repoint(apps, schema_editor, MOVED_TASKS)


def backwards(apps, schema_editor):
    _repoint(apps, schema_editor, {new: old for old, new in MOVED_TASKS.items()})


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0006_importbatch'),
        ('django_tasks_database', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='importbatch',
            name='kind',
            field=models.CharField(max_length=32, validators=[gonghui.core.models.validate_import_kind], verbose_name='导入内容'),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
