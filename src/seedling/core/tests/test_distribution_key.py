"""The distribution key (DESIGN.md): every child-scoped table carries `child_id` directly.

On Citus the child's file is distributed by child_id; a table that reaches its child only through
another table (a note → a visit → the child) cannot be co-located and every join becomes a network
round trip. Child-scoped means: scoped through the child (`scope_field` starting with "child__"),
a foreign key to registry.Child, or a foreign key to any child-scoped table, in any installed app.
"""

import pytest
from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps

from seedling.registry.models import Child, Person

# Tables that hold no child's data (reference tables on Citus: replicated to every node).
REFERENCE = {"geo.division", "accounts.user", "accounts.membership"}
# Tables keyed by another column on purpose: the child's id under another name, or a user's own rows.
KEYED_OTHERWISE = {
    "registry.child": "id",  # the child itself
    "registry.historicalchild": "id",  # simple_history copies the child's columns, id included
    # A user's inbox, read by user: distributed by user_id; its optional task link is a primary-key lookup.
    "inbox.notification": "user_id",
}


def _points_at(field, targets) -> bool:
    related = field.related_model if field.is_relation and field.concrete else None
    return related is not None and not isinstance(related, str) and related._meta.label_lower in targets


def child_scoped(all_models) -> set[str]:
    """Labels of child-scoped models: through the child, or by a foreign key to a child-scoped model."""
    scoped = {"registry.child"}
    for model in all_models:
        if str(getattr(model, "scope_field", "")).startswith("child__"):
            scoped.add(model._meta.label_lower)
    grew = True
    while grew:  # follow foreign keys until no new table joins the set
        grew = False
        for model in all_models:
            label = model._meta.label_lower
            if label in scoped or label in REFERENCE:
                continue
            if any(_points_at(f, scoped) for f in model._meta.concrete_fields):
                scoped.add(label)
                grew = True
    return scoped


def missing_child_id(all_models) -> list[str]:
    """Child-scoped models without a `child_id` column of their own."""
    scoped = child_scoped(all_models)
    missing = []
    for model in all_models:
        label = model._meta.label_lower
        if label not in scoped:
            continue
        columns = {f.column for f in model._meta.concrete_fields}
        if KEYED_OTHERWISE.get(label, "child_id") not in columns:
            missing.append(label)
    return sorted(missing)


def test_every_child_scoped_table_carries_child_id():
    every = apps.get_models(include_auto_created=True)
    assert missing_child_id(every) == []


def test_the_check_covers_the_child_file_and_every_app():
    scoped = child_scoped(apps.get_models(include_auto_created=True))
    expected = {"registry.person", "registry.personsituation", "registry.categoryassignment",
                "registry.searchtoken", "registry.historicalperson"}  # fmt: skip
    assert expected <= scoped
    assert any(not label.startswith("registry.") for label in scoped)  # workflow apps are walked too
    assert "core.accesslog" not in scoped or "child_id" in {
        f.column for f in apps.get_model("core", "AccessLog")._meta.concrete_fields
    }


@pytest.mark.parametrize("through", ["person", "child"])
@isolate_apps("seedling.registry")
def test_a_table_reaching_the_child_only_through_another_table_fails(through):
    class Note(models.Model):
        text = models.CharField(max_length=10)

        class Meta:
            app_label = "registry"

        def __str__(self):
            return "note"

    if through == "person":  # reaches the child only through Person
        Note.add_to_class("person", models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+"))
    else:  # a direct key under another name: still not the distribution key
        Note.add_to_class("owner", models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+"))
    assert missing_child_id([Child, Person, Note]) == ["registry.note"]


@isolate_apps("seedling.registry")
def test_a_table_with_its_own_child_id_passes():
    class Note(models.Model):
        person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
        child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "registry"

        def __str__(self):
            return "note"

    assert missing_child_id([Child, Person, Note]) == []
