"""REST API of case work: cases, approvals, transfers, organizations, referrals."""
