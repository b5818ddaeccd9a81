"""Annual inspection and peer review (同行评估, issue 12 item 5), inside the quality app but in its own modules:
an inspection round draws a stratified random sample of closed cases, reviewers from other centers or firms score
them on a peer-review rubric (quality's ``Rubric`` with purpose 同行评估), an unqualified result needs the center's
improvement note and lowers the provider's subsidy (``selectors.peer_review_lowers_subsidy``)."""
