"""Oscar messages that its own Vietnamese catalogue lacks.

makemessages only reads our code, so the msgids are repeated here (exactly as Oscar writes
them) for their Vietnamese to live in locale/vi, which Django consults before Oscar's.
Nothing calls this function.
"""

from django.utils.translation import ngettext


def _msgids():  # pragma: no cover - read by makemessages only
    # oscar/apps/basket/middleware.py: shown after logging in when an earlier basket was merged.
    ngettext(
        "We have merged %(num_items_merged)d item from a previous session to your basket.",
        "We have merged %(num_items_merged)d items from a previous session to your basket.",
        0,
    )
