"""Plain SQLAlchemy models: columns and relationships only; the rules live in backend.services."""
from .audit import AuditEvent
from .certificate import CertificateCopy, CopyStatus
from .enterprise import Enterprise
from .person import Person
from .registration import Qualification, Registration, RegistrationSpecialty, RegStatus, SpecialtyStatus

__all__ = [
    "AuditEvent", "CertificateCopy", "CopyStatus", "Enterprise", "Person", "Qualification",
    "Registration", "RegistrationSpecialty", "RegStatus", "SpecialtyStatus",
]
