"""Applications forwarded from custody within 24 hours, and the rights notification at the first
interrogation: issue 11."""
