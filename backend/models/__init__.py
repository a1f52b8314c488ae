"""Plain SQLAlchemy models: columns and relationships only; the rules live in backend.services."""
from .application import Application, ApplicationEvent, ApplicationFile
from .account import Account, LoginThrottle, RevokedToken, Role
from .audit import AuditEvent
from .bulk_check import BulkCheck
from .certificate import CertificateCopy, CopyStatus
from .enterprise import Enterprise
from .person import Person
from .registration import Qualification, Registration, RegistrationSpecialty, RegStatus, SpecialtyStatus

__all__ = [
    "Account", "Application", "ApplicationEvent", "ApplicationFile", "AuditEvent", "BulkCheck", "CertificateCopy", "CopyStatus", "Enterprise", "LoginThrottle", "Person",
    "Qualification", "Registration", "RegistrationSpecialty", "RegStatus", "RevokedToken", "Role", "SpecialtyStatus",
]
