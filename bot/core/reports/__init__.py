"""Training reports: free text -> status and sets (parser), and the one fixed written form."""

from bot.core.reports.format import format_entry, format_report
from bot.core.reports.model import STATUSES, Doubt, Report, ReportEntry, Status
from bot.core.reports.parser import ReportParser

__all__ = [
    "STATUSES",
    "Doubt",
    "Report",
    "ReportEntry",
    "ReportParser",
    "Status",
    "format_entry",
    "format_report",
]
