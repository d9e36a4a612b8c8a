from django.core.management.commands.makemessages import Command as MakeMessagesCommand


class Command(MakeMessagesCommand):
    """makemessages that also extracts N_(...) (gettext_noop), used for rule reasons in registry.reasons."""

    xgettext_options = [*MakeMessagesCommand.xgettext_options, "--keyword=N_"]
