import django.db.models.deletion
from django.db import migrations, models


def copy_child(apps, schema_editor):
    InvitationRequest = apps.get_model("portal", "InvitationRequest")
    for row in InvitationRequest.objects.select_related("invitation").filter(child__isnull=True):
        InvitationRequest.objects.filter(pk=row.pk).update(child_id=row.invitation.child_id)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_hotline_version_invitation_request"),
        ("registry", "0004_searchtoken_area_token_child"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitationrequest",
            name="child",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="registry.child"
            ),
        ),
        migrations.RunPython(copy_child, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="invitationrequest",
            name="child",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="registry.child"
            ),
        ),
    ]
