"""The workflows' errors, with their Chinese and English messages."""
from __future__ import annotations

from backend.services.errors import Conflict


class CannotTakeEffect(Conflict):
    """An approval whose effect the registry refuses: nothing changes, the application stays undecided."""
    code = "cannot_take_effect"
    message = "批准后无法生效,申请保持未决"
    message_en = "The approval cannot take effect: the application stays undecided"
