"""`seedling audit seal` chains pending access-log rows; `seedling audit verify` recomputes the chain."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from seedling.core.audit import audit_seal, audit_verify, chain_head, verification_record


def _anchor(value: str) -> tuple[int, str]:
    seq, _sep, row_hash = value.partition(":")
    if not seq.isdigit() or len(row_hash) != 64:
        raise CommandError(_("--anchor 的格式应为 序号:哈希（seedling audit seal 输出的链头）。"))
    return int(seq), row_hash.lower()


class Command(BaseCommand):
    help = "Seal pending access-log rows into the hash chain, or verify the chain."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("seal", help="chain every unsealed row and print how many")
        verify = sub.add_parser("verify", help="recompute the chain (seals nothing); exit 1 when broken")
        verify.add_argument(
            "--anchor",
            metavar="SEQ:HASH",
            help="a chain head printed earlier by `audit seal`; it must still be in the chain unchanged",
        )

    def handle(self, *args, subcommand, **options):
        if subcommand == "seal":
            self._seal()
        else:
            self._verify(_anchor(options["anchor"]) if options.get("anchor") else None)

    def _seal(self):
        sealed = audit_seal()
        self.stdout.write(_("已封存 %(n)d 条记录。") % {"n": sealed})
        # Tail truncation shows only against a head recorded outside the database: print it.
        seq, row_hash = chain_head()
        self.stdout.write(_("链头：%(seq)d:%(hash)s") % {"seq": seq, "hash": row_hash})

    def _verify(self, anchor):
        report = audit_verify(anchor=anchor)
        verification_record(report)
        self.stdout.write(
            _("已校验 %(checked)d 条已封存记录，另有 %(unsealed)d 条尚未封存。")
            % {"checked": report.checked, "unsealed": report.unsealed}
        )
        if not report.ok:
            raise CommandError(_("审计链断裂：%(message)s") % {"message": report.message})
        self.stdout.write(self.style.SUCCESS(report.message))
        self.stdout.write(_("链头：%(seq)d:%(hash)s") % {"seq": report.head_seq, "hash": report.head_hash})
