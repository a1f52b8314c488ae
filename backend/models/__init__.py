"""Plain SQLAlchemy models: columns and relationships only; the rules live in backend.services."""
from backend.models.account import Account, LoginThrottle, RevokedToken, Role
from backend.models.application import Application, ApplicationEvent, ApplicationFile
from backend.models.audit import AuditEvent
from backend.models.authority_request import AuthorityRequest
from backend.models.bulk_check import BulkCheck
from backend.models.certificate import CertificateCopy, CopyStatus
from backend.models.enterprise import Enterprise
from backend.models.image_submission import ImageSubmission
from backend.models.import_batch import ImportBatch, ImportReject, ImportState
from backend.models.inspection import Inspection
from backend.models.notice import Notice
from backend.models.person import Person
from backend.models.registration import Qualification, Registration, RegistrationSpecialty, RegStatus, SpecialtyStatus
from backend.models.verification_count import VerificationCount

__all__ = [
    "Account", "Application", "ApplicationEvent", "ApplicationFile", "AuditEvent", "AuthorityRequest", "BulkCheck",
    "CertificateCopy", "CopyStatus", "Enterprise", "ImageSubmission", "ImportBatch", "ImportReject", "ImportState",
    "Inspection", "LoginThrottle", "Notice", "Person", "Qualification", "Registration", "RegistrationSpecialty",
    "RegStatus", "RevokedToken", "Role", "SpecialtyStatus", "VerificationCount",
]
