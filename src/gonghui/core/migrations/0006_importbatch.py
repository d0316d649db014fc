# The import batch moves from membership to core (the import engine is core's now). The rows
# stay where they are: the table is renamed, and Django's state gains the model here while
# membership's 0008 repoints its foreign keys and forgets its own copy (both state only).
# The content type moves along, so each batch's audit trail still opens on its page.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD, NEW = "membership", "core"


def _move_content_type(apps, schema_editor, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    types = ContentType.objects.using(db)
    old = types.filter(app_label=source, model="importbatch").first()
    if old is None:
        return
    new = types.filter(app_label=target, model="importbatch").first()
    if new is None:
        old.app_label = target
        old.save(update_fields=["app_label"])
        return
    # Both exist (a database migrated back and forth): the records follow the one kept.
    for label in ("core.AuditEntry", "core.PiiAccessLog"):
        model = apps.get_model(label)
        model.objects.using(db).filter(content_type=old).update(content_type=new)


def forwards(apps, schema_editor):
    _move_content_type(apps, schema_editor, OLD, NEW)


def backwards(apps, schema_editor):
    _move_content_type(apps, schema_editor, NEW, OLD)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0005_pii_access_log_record'),
        ('membership', '0007_import_files_removed_at'),
        ('organisation', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                # Plain SQL that PostgreSQL and SQLite both speak; the foreign key of
                # membership_importchange follows the table on both.
                migrations.RunSQL(
                    "ALTER TABLE membership_importbatch RENAME TO core_importbatch",
                    reverse_sql="ALTER TABLE core_importbatch RENAME TO membership_importbatch",
                ),
            ],
            state_operations=[
                migrations.CreateModel(
                    name='ImportBatch',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                        ('kind', models.CharField(choices=[('roster', '会员花名册'), ('enterprises', '企业名录'), ('unions', '工会组织')], default='roster', max_length=16, verbose_name='导入内容')),
                        ('file_name', models.CharField(max_length=255, verbose_name='文件名')),
                        ('file_sha256', models.CharField(db_index=True, max_length=64, verbose_name='文件散列')),
                        ('file_size', models.PositiveBigIntegerField(verbose_name='文件大小')),
                        ('stored_file', models.CharField(editable=False, max_length=255, verbose_name='存储位置')),
                        ('status', models.CharField(choices=[('uploaded', '已上传'), ('checking', '校验中'), ('checked', '待确认'), ('applying', '写入中'), ('applied', '已导入'), ('undone', '已撤销'), ('failed', '失败')], default='uploaded', max_length=16, verbose_name='状态')),
                        ('mode', models.CharField(blank=True, choices=[('all_or_nothing', '全部行有效才写入'), ('valid_only', '只写入有效行')], max_length=16, verbose_name='写入方式')),
                        ('rows', models.PositiveIntegerField(default=0, verbose_name='数据行')),
                        ('new', models.PositiveIntegerField(default=0, verbose_name='新增')),
                        ('updated', models.PositiveIntegerField(default=0, verbose_name='更新')),
                        ('unchanged', models.PositiveIntegerField(default=0, verbose_name='未变')),
                        ('invalid', models.PositiveIntegerField(default=0, verbose_name='无效')),
                        ('report_file', models.CharField(blank=True, editable=False, max_length=255, verbose_name='错误报告')),
                        ('message', models.TextField(blank=True, verbose_name='说明')),
                        ('applied_at', models.DateTimeField(blank=True, null=True, verbose_name='写入时间')),
                        ('undo_log', models.JSONField(blank=True, default=dict, editable=False, verbose_name='撤销记录')),
                        ('undone_at', models.DateTimeField(blank=True, null=True, verbose_name='撤销时间')),
                        ('files_removed_at', models.DateTimeField(blank=True, null=True, verbose_name='文件删除时间')),
                        ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人')),
                        ('union', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='import_batches', to='organisation.union', verbose_name='导入工会')),
                    ],
                    options={
                        'verbose_name': '数据导入',
                        'verbose_name_plural': '数据导入',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
