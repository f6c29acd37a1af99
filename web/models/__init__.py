"""Database models, one module per aggregate."""

from web.models.audit import AuditEvent
from web.models.beneficiary import Beneficiary, BeneficiaryLanguage, BeneficiaryNeed
from web.models.matching import Match, MatchRun, Meeting
from web.models.notification import Notification, NotificationOptOut, ScheduledJobClaim
from web.models.place import Place
from web.models.territory import Organisation, Territory, coordinator_territories
from web.models.tutor import TutorLanguage, TutorProfile, TutorSkill
from web.models.user import User

__all__ = [
    "AuditEvent",
    "Beneficiary",
    "BeneficiaryLanguage",
    "BeneficiaryNeed",
    "Match",
    "MatchRun",
    "Meeting",
    "Notification",
    "NotificationOptOut",
    "Organisation",
    "Place",
    "ScheduledJobClaim",
    "Territory",
    "TutorLanguage",
    "TutorProfile",
    "TutorSkill",
    "User",
    "coordinator_territories",
]
