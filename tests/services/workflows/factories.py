"""Test data for the registration workflows: contexts, actors, qualified persons and applications,
made through the real services. Raw request fields go through the API's models first, as a request does
(backend/api/schemas/workflows.py checks each field's format; the services take well-formed values)."""
from __future__ import annotations

import datetime as dt

from pydantic import ValidationError

from backend.api.schemas.workflows import ApplicationInput, ApplicationQuery
from backend.api.validation_messages import validation_failed
from backend.services.registry.qualifications import add_qualification
from backend.services.workflows import drafts, transitions
from backend.services.workflows.rules import load_rulebook
from backend.services.workflows.types import Actor, WorkflowContext, WorkflowPolicy
from tests import factories as f

REVIEW_REGION = "440300"       # Guangdong: the review queue by default
AUTO_REGION = "320500"         # Jiangsu: instant decisions by default (DECISION_MODE default "auto")


def context(svc, clock=None, **policy) -> WorkflowContext:
    p = WorkflowPolicy(decision_mode=policy.pop("decision_mode", {"default": "auto", "44": "review"}),
                       renewal_window=policy.pop("renewal_window", {}),
                       employer_change_mode=policy.pop("employer_change_mode",
                                                       {"default": "change", "23": "cancel_and_reregister"}), **policy)
    return WorkflowContext(catalogue=svc.catalogue, clock=clock or svc.clock, policy=p, rulebook=load_rulebook(),
                           ring=svc.ring, settings=svc.settings)


def holder(person) -> Actor:
    return Actor("holder", f"h{person.id}", f"holder:h{person.id}@test", person_id=person.id)


def employer(ent) -> Actor:
    return Actor("enterprise", f"e{ent.id}", f"enterprise:e{ent.id}@test", enterprise_id=ent.id)


AUTHORITY = Actor("authority", "staff", "authority:staff@test")


def qualify(session, svc, person, kind="JZS2", specialties=("JZ",), issued_on=None):
    for code in specialties:
        add_qualification(session, person.id, kind=kind, specialty=code, certificate_no=f"Q{person.id}{code}",
                          issued_on=issued_on or svc.clock.today() - dt.timedelta(days=400), actor="test")


def applicant(session, svc, *, birth=dt.date(1985, 3, 1), sex="M", specialties=("JZ",), issued_on=None):
    p = f.person(session, birth=birth, sex=sex)
    qualify(session, svc, p, specialties=specialties, issued_on=issued_on)
    return p


def parsed(model, data: dict):
    """What the edge makes of a request's fields: the model, or the 422 it answers (api/spec.py)."""
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise validation_failed(e) from None


def apply(session, ctx, actor, **data):
    body = parsed(ApplicationInput, data)
    return drafts.create_application(session, ctx, actor, body.type, body.draft())


def listed(session, actor, args: dict):
    """GET /applications?… for this actor: (page of applications, total, page)."""
    q = parsed(ApplicationQuery, args)
    return drafts.list_applications(session, actor, state=q.state, app_type=q.type, queue=q.queue, page=q.page)


def submit_and_confirm(session, ctx, app, applicant_actor, confirmer=None):
    app = transitions.submit(session, ctx, applicant_actor, app.public_id)
    if confirmer is not None and app.state == "awaiting_employer":
        app = transitions.confirm(session, ctx, confirmer, app.public_id)
    return app


def proof_pdf(title: str = "证明 / certificate") -> bytes:
    """A real one-page PDF, as a scanned or issued proof document would be (content checks parse it)."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.drawString(72, 760, title.encode("ascii", "ignore").decode() or "proof")
    c.drawString(72, 740, "Issued for a registration workflow test.")
    c.showPage()
    c.save()
    return buf.getvalue()


def proof_jpeg(size=(1200, 900)) -> bytes:
    """A photo of a document, as a phone takes it: a real JPEG of a realistic size."""
    import io

    from PIL import Image, ImageDraw
    im = Image.new("RGB", size, (245, 243, 236))
    d = ImageDraw.Draw(im)
    for y in range(80, size[1] - 80, 40):
        d.line((80, y, size[0] - 80, y), fill=(40, 40, 40), width=3)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85)
    return buf.getvalue()
