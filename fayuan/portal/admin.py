"""The public site's records (ratings, consents) are applicants' own and name their cases: under 三员分立 the
system administrator opens no case or person, so none of them is in the admin. The auditor finds each consent and
rating in the audit log; the bureau reads ratings in the quality reports."""
