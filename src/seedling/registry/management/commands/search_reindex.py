from django.core.management.base import BaseCommand

from seedling.registry.search import index_rebuild_all


class Command(BaseCommand):
    help = "Rebuild the search index of every child (after an upgrade of the name or pinyin rules)."

    def handle(self, *args, **options):
        count = index_rebuild_all()
        self.stdout.write(f"reindexed {count} children")
