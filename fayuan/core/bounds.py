"""Input bounds, in one place: the office forms, the public site's forms, the API schemas and the services all
import these, so an application accepted on one path is never refused on another for its size.

They are plausibility limits and column ranges, not legal rules (those are dated rows in ``eligibility``)."""

from __future__ import annotations

from decimal import Decimal

HOUSEHOLD_MAX = 50  # persons in one household; larger figures are typing errors
MONTHLY_INCOME_MAX = Decimal("99999999.99")  # the column's range (yuan a month)
MONEY_MAX = Decimal("9999999999.99")  # money recovered or saved for a recipient (yuan)
AGE_MAX = 130

MATTER_SUMMARY_MAX = 200
OPPOSING_PARTY_MAX = 200
HANDLING_ORGAN_MAX = 120
FACTS_MAX = 5000  # free text: facts, progress summaries, reports
REASON_MAX = 150  # reasons quoted into fixed-width columns (e.g. an assignment's end reason, 200 characters)
# A contact phone as office staff and API clients record it (mobile or landline with an extension): ASCII digits,
# spaces, + and -. The portal's sign-in takes only mobile numbers (portal.services.otp.normalise_phone).
PHONE_PATTERN = r"^[0-9+\- ]{5,20}$"
PHONE_MAX = 20
