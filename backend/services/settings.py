"""The plain settings the services need, built once from the app's config by the API layer."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IssuerSettings:
    issuer: str = "JZ"                     # token `iss`
    base_url: str = "http://127.0.0.1:5000"
    issuer_uscc: str = "11100000000013338W"
    issuer_name: str = "建证演示发证机关"
    issuer_name_en: str = "Jianzheng demo issuing authority"
    daily_limit: int = 2
    usage_days: int = 180
    status_list_ttl: int = 3600
    status_list_min_size: int = 131072
    kinds_file: str | None = None

    @classmethod
    def from_config(cls, cfg) -> IssuerSettings:
        return cls(issuer=cfg["TOKEN_ISSUER"], base_url=cfg["PUBLIC_BASE_URL"], issuer_uscc=cfg["ISSUER_USCC"],
                   issuer_name=cfg["ISSUER_NAME"], issuer_name_en=cfg["ISSUER_NAME_EN"],
                   daily_limit=cfg["DAILY_COPY_LIMIT"], usage_days=cfg["COPY_USAGE_DAYS"],
                   status_list_ttl=cfg["STATUS_LIST_TTL"], status_list_min_size=cfg["STATUS_LIST_MIN_SIZE"],
                   kinds_file=cfg.get("KINDS_FILE"))
