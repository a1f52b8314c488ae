"""The formats of the register's text fields, shared by the edge's models (backend/api/schemas/fields.py), the
bulk-check rows and the lookup: one definition of what a person's name and a mobile number look like."""
from __future__ import annotations

import re

# Names: Chinese characters, the middle dot of minority names, Latin letters and spaces; no markup.
NAME_CHARS = r"\u3400-\u9fff\uf900-\ufaffA-Za-z·•\. "
PERSON_NAME = re.compile(rf"^[{NAME_CHARS}]{{1,40}}$")
MOBILE = re.compile(r"^1[3-9]\d{9}$")          # mainland mobile numbers
