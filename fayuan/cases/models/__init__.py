from .assignment import Agreement, Assignment, AssignmentMethod
from .case import (
    AgentRelationship,
    Case,
    CaseEvent,
    Channel,
    CriminalStage,
    EligibilityAssessment,
    IncomeSource,
    Status,
)
from .decisions import (
    Decision,
    DecisionKind,
    Objection,
    ObjectionAgainst,
    ObjectionOutcome,
    Termination,
    TerminationReason,
)
from .documents import Document, DocumentCounter, DocumentKind
from .handling import CaseFile, ClosingFile, FileKind, Outcome, ProgressEntry, ProgressKind

__all__ = [
    "AgentRelationship", "Agreement", "Assignment", "AssignmentMethod", "Case", "CaseEvent", "CaseFile",
    "Channel", "ClosingFile", "CriminalStage", "Decision", "DecisionKind", "Document", "DocumentCounter",
    "DocumentKind", "EligibilityAssessment", "FileKind", "IncomeSource", "Objection", "ObjectionAgainst",
    "ObjectionOutcome", "Outcome", "ProgressEntry", "ProgressKind", "Status", "Termination", "TerminationReason",
]
