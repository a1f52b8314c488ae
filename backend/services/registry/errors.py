"""The registry's errors, with their Chinese and English messages."""
from __future__ import annotations

from backend.services.errors import Conflict


class EmployerConflict(Conflict):
    code = "employer_conflict"
    message = "该人员已在其他单位注册(一人只能在一个单位注册)"
    message_en = "The person is registered with another employer (one person, one employer)"
