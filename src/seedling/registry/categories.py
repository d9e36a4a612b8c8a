"""Category proposals and the review queue (类别认定与审核). STUB: implemented by the rules work. Contract:

- proposals_refresh(*, child, user=None, today=None) -> list[CategoryProposal]: run the eligibility
  rules over the child's facts; for every category whose rule result differs from the open assignments,
  make (or keep) one pending proposal with the facts and reasons; supersede proposals no longer true.
"""


def proposals_refresh(*, child, user=None, today=None) -> list:
    return []
