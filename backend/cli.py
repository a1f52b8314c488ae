"""flask commands: init-db, seed-demo, keys, issue, lapse, notices, audit-verify, digest, accounts, import."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from backend.extensions import db
from backend.sqlite_transactions import DEFERRED, transaction_mode

reads_only = transaction_mode(DEFERRED)     # SQLite: a deferred BEGIN, not the write lock


def _deps():
    ext = current_app.extensions
    return ext["jz.keystore"].get(), ext["jz.catalogue"], ext["jz.settings"], ext["jz.clock"]


def register_commands(app: Flask) -> None:
    keys = AppGroup("keys", help="Signing keys (ES256) and the certificate PDF's signing certificate.")

    @keys.command("rotate")
    def keys_rotate():
        """Add a new signing key; the old public keys stay in the JWKS."""
        from backend.crypto.keys import rotate
        if current_app.config.get("SIGNING_KEY_FILE"):
            click.echo("签名密钥来自 SIGNING_KEY_FILE:请换用新的私钥文件,并把旧公钥放入 KEY_DIR(<kid>.pub.pem)/ the signing "
                       "key comes from SIGNING_KEY_FILE: mount a new key file there and put the old public key in "
                       "KEY_DIR as <kid>.pub.pem (docs/operations.md)", err=True)
            sys.exit(1)
        old, new = rotate(current_app.config["KEY_DIR"])
        current_app.extensions["jz.keystore"].invalidate()
        click.echo(f"签名密钥已轮换 / signing key rotated: {old} -> {new}")

    @keys.command("list")
    def keys_list():
        ring = _deps()[0]
        for k in ring.jwks()["keys"]:
            click.echo(f"{k['kid']}{'  (current)' if k['kid'] == ring.current_kid else '  (retired)'}")

    @keys.command("pdf")
    def keys_pdf():
        """The certificate PDF's signing certificate, its CA chain and seal image."""
        from backend.crypto.pdf_pki import describe, load_identity
        from backend.services.issuance.signing_settings import prepare
        settings = current_app.extensions["jz.pdf_signing"]
        prepare(settings)
        key, cert, chain, seal = settings.files()
        ident = load_identity(key, cert, chain, settings.password)
        click.echo(f"PDF 签名 / PDF signing: {'本地演示 CA / local demo CA' if settings.demo else 'PDF_SIGNING_KEY'}"
                   f" ({key})\n时间戳 / timestamp server: {settings.timestamp_url or '无 / none (PAdES B-B)'}"
                   f"\n印章图像 / seal image: {seal if seal and Path(seal).exists() else '无 / none'}")
        for what, c in [("签名证书 / signing certificate", ident.cert)] + [("CA 证书 / CA certificate", c)
                                                                          for c in ident.chain]:
            d = describe(c)
            click.echo(f"\n{what}\n  subject:  {d['subject']}\n  issuer:   {d['issuer']}\n  valid:    "
                       f"{d['not_before']} .. {d['not_after']}\n  key:      {d['key']}\n  serial:   {d['serial']}\n"
                       f"  SHA-256:  {d['sha256']}\n  SHA-1:    {d['sha1']}")
        if settings.demo:
            click.echo(f"\n在 PDF 阅读器中信任此根证书即可看到签名有效 / trust this root in a PDF reader to see the "
                       f"signatures as valid: {chain[0]}")

    app.cli.add_command(keys)

    @app.cli.command("init-db")
    def init_db():
        """Apply the migrations and make the signing keys (no demo data)."""
        from backend.bootstrap import upgrade_schema
        from backend.crypto.keys import ensure_keys
        upgrade_schema(current_app)
        if not current_app.config.get("SIGNING_KEY_FILE"):
            ensure_keys(current_app.config["KEY_DIR"])
        click.echo("数据库已就绪 / database ready")

    @app.cli.command("seed-demo")
    @click.option("--persons", default=10_000, show_default=True, type=click.IntRange(1, 5_000_000))
    @click.option("--samples/--no-samples", default=True, help="Also write instance/demo-samples.json")
    @click.option("--seed", default=2026, show_default=True)
    def seed_demo(persons: int, samples: bool, seed: int):
        """Synthetic registry data: valid ID numbers and credit codes, every status, some near expiry or 65."""
        from backend.demo.first_start import seed_and_samples
        seed_and_samples(current_app, persons, seed=seed, samples=samples, progress=True)

    @app.cli.command("issue")
    @click.argument("registration_number")
    def issue(registration_number: str):
        """Issue a certificate copy and print its QR text."""
        from backend.services.errors import ServiceError
        from backend.services.issuance.copies import issue_copy
        ring, cat, settings, clock = _deps()
        try:
            c = issue_copy(db.session, ring, cat, settings, clock, registration_number, "cli")
            db.session.commit()
        except ServiceError as e:
            db.session.rollback()
            click.echo(f"{e.code}: {e.message} / {e.message_en}", err=True)
            sys.exit(1)
        click.echo(f"{c.public_id} {c.identifier}\n{c.qr_text}")

    @app.cli.command("lapse")
    def lapse():
        """The daily job: lapse expired specialties and registrations and holders past the age cap; cancel (注销)
        registrations whose employer lost its licence or went bankrupt, or whose holder died."""
        from backend.services.workflows.lapse import run_lapse
        counts = run_lapse(db.session, _deps()[1], _deps()[3], actor="cli:lapse")
        db.session.commit()
        click.echo(" ".join(f"{k}={v}" for k, v in counts.items()))

    @app.cli.command("audit-verify")
    @reads_only                       # a long scan must not hold SQLite's write lock
    def audit_verify():
        """Check the audit trail's hash chain; exit 1 naming the first broken event."""
        from backend.services.audit import verify_chain
        ok, bad, n = verify_chain(db.session)
        if ok:
            click.echo(f"审计链完整 / audit chain intact: {n} events")
        else:
            click.echo(f"审计链在事件 {bad} 处断裂 / audit chain broken at event {bad} (after {n} good events)", err=True)
            sys.exit(1)

    @app.cli.command("digest")
    @click.option("--uscc", help="One enterprise (default: every enterprise with an enterprise account)")
    @click.option("--send", is_flag=True, help="E-mail it to the enterprise accounts (needs SMTP_HOST, SMTP_FROM)")
    @reads_only
    def digest(uscc: str | None, send: bool):
        """The daily digest of warnings per enterprise: printed, or e-mailed with --send."""
        from backend.services.enterprise import digest as dg
        from backend.services.enterprise.roster import enterprise_warnings
        from backend.services.enterprise.staff_warnings import WarningSettings
        smtp = dg.SmtpSettings.from_config(current_app.config)
        if send and not smtp.configured:
            click.echo("未配置 SMTP(SMTP_HOST、SMTP_FROM)/ SMTP is not configured (SMTP_HOST, SMTP_FROM)", err=True)
            sys.exit(1)
        ents = dg.digest_enterprises(db.session, uscc)
        if not ents:
            click.echo("没有单位账户,请用 --uscc 指定单位 / no enterprise accounts: name one with --uscc", err=True)
        settings = WarningSettings.from_config(current_app.config)
        for ent in ents:
            subject, body = dg.compose(enterprise_warnings(db.session, _deps()[1], _deps()[3], settings, ent))
            to = dg.recipients(db.session, ent.id) if send else []
            if send and to:
                dg.send(smtp, to, subject, body)
                click.echo(f"已发送 / sent: {ent.uscc} -> {len(to)}")
            elif send:
                click.echo(f"无收件地址 / no e-mail address: {ent.uscc}", err=True)
            else:
                click.echo(f"{subject}\n\n{body}")

    accounts = AppGroup("accounts", help="Accounts (enterprise, authority, inspector, holder).")

    @accounts.command("create")
    @click.argument("username")
    @click.option("--role", required=True, type=click.Choice(["enterprise", "authority", "inspector", "holder"]))
    @click.option("--uscc", help="The enterprise of an enterprise account")
    @click.option("--person-id", type=int, help="The person of a holder account")
    @click.option("--email")
    @click.option("--organisation", help="An inspector's organisation: all a holder is told of who checked them")
    @click.password_option()
    def accounts_create(username, role, uscc, person_id, email, organisation, password):
        """Create an account (the password is prompted for)."""
        from pydantic import ValidationError

        from backend.api.schemas.accounts import AccountInput
        from backend.api.validation_messages import validation_failed
        from backend.services.accounts.management import create_account
        from backend.services.errors import ServiceError
        try:
            try:       # the same checks as POST /api/v1/accounts
                data = AccountInput.model_validate({"username": username, "password": password, "role": role,
                                                    "enterprise_uscc": uscc, "person_id": person_id, "email": email,
                                                    "organisation": organisation})
            except ValidationError as err:
                raise validation_failed(err) from None
            a = create_account(db.session, **data.model_dump(), actor="cli")
            db.session.commit()
        except ServiceError as e:
            db.session.rollback()
            click.echo(f"{e.code}: {e.message} / {e.message_en} {e.details or ''}", err=True)
            sys.exit(1)
        click.echo(f"已创建账户 / account created: {a.username} ({a.role})")

    @accounts.command("organisation")
    @click.argument("username")
    @click.argument("organisation", required=False)
    def accounts_organisation(username, organisation):
        """Set (or, left out, clear) an inspector account's organisation."""
        from backend.services.accounts.management import set_organisation
        from backend.services.errors import ServiceError
        try:
            a = set_organisation(db.session, username, organisation, actor="cli")
            db.session.commit()
        except ServiceError as e:
            db.session.rollback()
            click.echo(f"{e.code}: {e.message} / {e.message_en}", err=True)
            sys.exit(1)
        click.echo(f"所属单位 / organisation: {a.username} -> {a.organisation or '-'}")

    @app.cli.command("notices")
    @click.option("--mail/--no-mail", default=True, help="E-mail the pending notices when SMTP is set")
    def notices(mail: bool):
        """The daily notices: renewal windows open or closing, specialties under 180 days; then the e-mails of
        every pending notice (when SMTP_HOST and SMTP_FROM are set). Run daily after `lapse`; a rerun makes and
        sends nothing new."""
        from backend.services.notices import daily, mail as notice_mail
        from backend.services.workflows.types import WorkflowPolicy
        cfg, clock = current_app.config, _deps()[3]
        counts = daily.run_daily(db.session, _deps()[1], clock, WorkflowPolicy.from_config(cfg),
                                 short_days=cfg["COPY_USAGE_DAYS"], closing_days=tuple(cfg["NOTICE_CLOSING_DAYS"]))
        db.session.commit()
        if mail:
            counts |= notice_mail.send_pending(db.session, notice_mail.SmtpSettings.from_config(cfg), clock.now(),
                                               max_age_days=cfg["NOTICE_MAIL_MAX_AGE_DAYS"])
            db.session.commit()
        click.echo(" ".join(f"{k}={v}" for k, v in counts.items()))

    app.cli.add_command(accounts)
    from backend.cli_imports import register_import_command
    register_import_command(app)                 # flask import KIND FILE (docs/import.md)
