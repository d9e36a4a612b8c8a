"""Pages of case work: cases, approvals, transfers, the organizations directory and referrals."""
