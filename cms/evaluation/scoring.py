"""The council's arithmetic: members' totals, the average, the consolidated sheet, the stars.

- Each member ticks one option per criterion; a member's total is the sum of the points of
  the options ticked, per part and overall.
- The council's total is the average of the members' totals (two decimals, half up); its
  band gives the stars (catalog.rules.stars_for_score).
- Minimum marks are checked on the council's consolidated sheet: per criterion, the median
  of the members' options ordered by points; with an even number of members, the lower of
  the two middle ones (a tie goes against the product, as a council that cannot agree has
  not found the higher level). The rules say nothing on this; it is our choice, written in
  the README and on the printed summary.
- To be ranked N★ the consolidated option on every criterion must reach the option marked
  with a minimum of N★ or less. A product that misses one drops to the highest level whose
  minimums it meets (RuleSet.minimum_mark_policy "drops"), or is not ranked ("unranked");
  each criterion that held it back is named.
- Knock-outs: a dossier is excluded when more than half the members record one.
- ≥ 90 points with every 5★ minimum met is proposed to the ministry; the province itself
  recognises 3★ and 4★. 1★ and 2★ get no certificate.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from catalog import rules

PARTS = ("a", "b", "c")
CENT = Decimal("0.01")


@dataclass
class MemberTotal:
    member: object
    parts: dict
    total: Decimal


@dataclass
class Result:
    members: list
    parts: dict  # part → the council's average
    total: Decimal
    band: int
    stars: int  # what the council can rank it, after minimum marks; 0 when excluded or unranked
    consolidated: dict  # criterion id → Option
    held_back: list = field(default_factory=list)  # (criterion, required option, level)
    knocked_out: list = field(default_factory=list)  # members' knock-out notes

    @property
    def proposed_to_ministry(self):
        return self.stars == 5

    @property
    def certifiable(self):
        return self.stars >= rules.min_certified_stars()


def _average(values):
    values = list(values)
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


def member_total(member, answers, criteria):
    """`answers`: criterion id → Option. Missing criteria count 0 (the form requires all)."""
    parts = dict.fromkeys(PARTS, Decimal(0))
    for criterion in criteria:
        option = answers.get(criterion.pk)
        if option is not None:
            parts[criterion.group.part] += option.points
    return MemberTotal(member, parts, sum(parts.values(), Decimal(0)))


def consolidate(criteria, sheets):
    """The consolidated sheet: per criterion, the members' median option (lower middle)."""
    consolidated = {}
    for criterion in criteria:
        chosen = sorted(
            (answers[criterion.pk] for answers in sheets if criterion.pk in answers),
            key=lambda option: (option.points, option.sort_order),
        )
        if chosen:
            consolidated[criterion.pk] = chosen[(len(chosen) - 1) // 2]
    return consolidated


def required_points(criterion, level):
    """The points the criterion must reach to be ranked `level` stars (None: no minimum)."""
    marked = [o.points for o in criterion.options.all() if o.min_stars is not None and o.min_stars <= level]
    return max(marked) if marked else None


def missed_minimums(criteria, consolidated, level):
    """[(criterion, required points)] whose consolidated option misses a `level`★ minimum."""
    missed = []
    for criterion in criteria:
        needed = required_points(criterion, level)
        option = consolidated.get(criterion.pk)
        if needed is not None and (option is None or option.points < needed):
            missed.append((criterion, needed))
    return missed


def evaluate(rule_set, criteria, member_sheets, knockouts=()):
    """The council's result.

    `criteria`: the sheet's criteria with group and options fetched (ScoringSheet.criteria());
    `member_sheets`: [(member, {criterion id: Option})], submitted sheets only;
    `knockouts`: the members' knock-out notes (empty strings for none).
    """
    criteria = list(criteria)
    totals = [member_total(member, answers, criteria) for member, answers in member_sheets]
    if not totals:
        raise ValueError("no submitted score sheet")
    parts = {part: _average(t.parts[part] for t in totals) for part in PARTS}
    total = _average(t.total for t in totals)
    band = rules.stars_for_score(total)
    consolidated = consolidate(criteria, [answers for _, answers in member_sheets])
    found = [note for note in knockouts if note.strip()]
    result = Result(totals, parts, total, band, band, consolidated, knocked_out=found)
    if len(found) * 2 > len(totals):
        result.stars = 0
        return result
    level = band
    while level >= rules.min_certified_stars():
        missed = missed_minimums(criteria, consolidated, level)
        if not missed:
            break
        result.held_back += [(criterion, needed, level) for criterion, needed in missed]
        if rule_set.minimum_mark_policy == "unranked":
            level = 0
            break
        level -= 1
    result.stars = level
    return result


def disagree(result):
    """Re-evaluation: the members' written opinions differ on the stars, so the council meets."""
    return len({rules.stars_for_score(t.total) for t in result.members}) > 1
