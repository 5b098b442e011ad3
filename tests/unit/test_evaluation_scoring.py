"""The council's arithmetic (cms/evaluation/scoring.py) on small sheets built in the database:
star bands at every edge, the average rounded half up, minimum marks on the consolidated
(median) sheet under both policies, and knock-outs."""

import datetime
from decimal import Decimal

import pytest

from catalog.rulebook import Criterion, CriterionGroup, Option, RuleSet, ScoringSheet
from cms.evaluation import scoring

pytestmark = pytest.mark.django_db

D = Decimal


class Sheet:
    """A tiny sheet: one criterion per part (A 40, B 25, C 35 points) taking any points, and
    a criterion M whose options carry the minimum marks (0 pts none, 1 pt 3★, 2 pts 4★,
    3 pts 5★). M sits in part C; the plain criteria make up the rest of a member's total."""

    def __init__(self, policy="drops"):
        self.rule_set = RuleSet.objects.create(
            code=f"test-{policy}",
            name=f"Test {policy}",
            valid_from=datetime.date(2000, 1, 1),
            weight_a=40,
            weight_b=25,
            weight_c=35,
            minimum_mark_policy=policy,
        )
        self.sheet = ScoringSheet.objects.create(rule_set=self.rule_set, number=1, name="Thử")
        self.criteria = {}
        for order, (part, points) in enumerate((("a", 40), ("b", 25), ("c", 32))):
            group = CriterionGroup.objects.create(
                sheet=self.sheet, part=part, code=str(order + 1), title=part, points=points, sort_order=order
            )
            self.criteria[part] = Criterion.objects.create(
                group=group, code=f"{order + 1}.1", title=f"Tiêu chí {part}", points=points, sort_order=0
            )
        group = CriterionGroup.objects.create(sheet=self.sheet, part="c", code="4", title="M", points=3, sort_order=4)
        self.marked = Criterion.objects.create(group=group, code="4.1", title="Tiêu chí có mức tối thiểu", points=3)
        self.m = [
            Option.objects.create(criterion=self.marked, code=f"4.1.{n + 1}", title=str(n), points=n, sort_order=n)
            for n in range(4)
        ]
        for option, stars in zip(self.m[1:], (3, 4, 5), strict=True):
            option.min_stars = stars
            option.save()

    def option(self, part, points):
        criterion = self.criteria[part]
        option, _ = Option.objects.get_or_create(
            criterion=criterion, points=D(points), defaults={"code": f"{criterion.code}.{points}", "title": "x"}
        )
        return option

    def answers(self, total, marked=3):
        """A member's sheet adding up to `total`, ticking M's option worth `marked` points."""
        rest = D(total) - marked
        a = min(rest, D(40))
        b = min(rest - a, D(25))
        c = rest - a - b
        assert 0 <= c <= 32, "total out of this sheet's range"
        return {
            self.criteria["a"].pk: self.option("a", a),
            self.criteria["b"].pk: self.option("b", b),
            self.criteria["c"].pk: self.option("c", c),
            self.marked.pk: self.m[marked],
        }

    def all_criteria(self):
        return self.sheet.criteria()

    def evaluate(self, sheets, knockouts=()):
        members = [(f"member {n}", answers) for n, answers in enumerate(sheets)]
        return scoring.evaluate(self.rule_set, self.all_criteria(), members, knockouts=knockouts)


@pytest.fixture
def sheet():
    return Sheet()


@pytest.mark.parametrize(
    "total, stars",
    [
        ("3", 1),
        ("29.99", 1),
        ("30", 2),
        ("49.99", 2),
        ("50", 3),
        ("69.99", 3),
        ("70", 4),
        ("89.99", 4),
        ("90", 5),
        ("100", 5),
    ],
)
def test_every_band_edge(sheet, total, stars):
    result = sheet.evaluate([sheet.answers(total)])
    assert result.total == D(total)
    assert result.band == stars
    assert result.stars == stars
    assert result.held_back == []
    assert result.proposed_to_ministry is (stars == 5)
    assert result.certifiable is (stars >= 3)


def test_parts_and_total_are_the_members_average(sheet):
    result = sheet.evaluate([sheet.answers("80"), sheet.answers("60"), sheet.answers("61")])
    assert [m.total for m in result.members] == [D(80), D(60), D(61)]
    assert result.total == D("67.00")
    # A: 40, 40, 40; B: 25, 17, 18; C (with M's 3 points): 15, 3, 3 → each part is averaged.
    assert result.parts["a"] == D("40.00")
    assert result.parts["b"] == D("20.00")  # (25 + 17 + 18) / 3
    assert result.parts["c"] == D("7.00")  # (15 + 3 + 3) / 3
    assert result.stars == 3


@pytest.mark.parametrize(
    "totals, average, stars",
    [
        (("70.00", "70.01"), "70.01", 4),  # 70.005 rounds half up (half-even would give 70.00)
        (("69.99", "70.00"), "70.00", 4),  # 69.995 → 70.00: the rounded average gives the band
        (("69.98", "69.99"), "69.99", 3),  # 69.985 → 69.99
        (("69.99", "70", "70"), "70.00", 4),  # 69.9966…
        (("69.99", "69.99", "70"), "69.99", 3),  # 69.9933…
        (("89.99", "90"), "90.00", 5),
    ],
)
def test_average_rounds_half_up_to_cents(sheet, totals, average, stars):
    result = sheet.evaluate([sheet.answers(t) for t in totals])
    assert result.total == D(average)
    assert str(result.total) == average
    assert result.stars == stars


def test_a_4_star_total_missing_a_4_star_minimum_drops_to_3_stars(sheet):
    result = sheet.evaluate([sheet.answers("75", marked=1)] * 3)
    assert result.total == D(75)
    assert result.band == 4
    assert result.stars == 3
    assert result.held_back == [(sheet.marked, D(2), 4)]
    assert result.certifiable


def test_unranked_policy_gives_no_stars(db):
    sheet = Sheet(policy="unranked")
    result = sheet.evaluate([sheet.answers("75", marked=1)] * 3)
    assert result.band == 4
    assert result.stars == 0
    assert [criterion for criterion, _, _ in result.held_back] == [sheet.marked]
    assert not result.certifiable


def test_missing_a_3_star_minimum_at_60_gives_2_stars(sheet):
    result = sheet.evaluate([sheet.answers("60", marked=0)] * 2)
    assert result.band == 3
    assert result.stars == 2
    assert result.held_back == [(sheet.marked, D(1), 3)]
    assert not result.certifiable


def test_missing_a_5_star_minimum_at_92_gives_4_stars_not_proposed(sheet):
    result = sheet.evaluate([sheet.answers("92", marked=2)] * 3)
    assert result.band == 5
    assert result.stars == 4
    assert not result.proposed_to_ministry
    assert result.held_back == [(sheet.marked, D(3), 5)]


def test_missing_several_levels_names_the_criterion_at_each(sheet):
    result = sheet.evaluate([sheet.answers("95", marked=0)])
    assert result.stars == 2
    assert [(level, needed) for _, needed, level in result.held_back] == [(5, D(3)), (4, D(2)), (3, D(1))]


def test_an_unanswered_marked_criterion_misses_its_minimum(sheet):
    answers = sheet.answers("75", marked=3)
    del answers[sheet.marked.pk]
    result = sheet.evaluate([answers])
    assert result.total == D(72)
    assert result.stars == 2  # no option at all reaches no minimum


def test_median_of_three_members(sheet):
    # The members tick M: 3 pts (5★), 0 pts, 2 pts (4★) → the median is the 4★ option.
    result = sheet.evaluate([sheet.answers("93", marked=3), sheet.answers("90", marked=0), sheet.answers("92", 2)])
    assert result.consolidated[sheet.marked.pk] == sheet.m[2]
    assert result.total == D("91.67")
    assert result.stars == 4  # the consolidated sheet misses the 5★ minimum
    assert result.held_back == [(sheet.marked, D(3), 5)]


def test_median_of_three_members_meeting_every_minimum(sheet):
    result = sheet.evaluate([sheet.answers("93", marked=3), sheet.answers("90", marked=0), sheet.answers("93", 3)])
    assert result.consolidated[sheet.marked.pk] == sheet.m[3]
    assert result.stars == 5
    assert result.proposed_to_ministry


def test_two_members_tie_to_the_lower_option(sheet):
    result = sheet.evaluate([sheet.answers("93", marked=3), sheet.answers("92", marked=1)])
    assert result.consolidated[sheet.marked.pk] == sheet.m[1]
    assert result.total == D("92.50")
    assert result.stars == 3  # the lower middle misses both the 5★ and the 4★ minimum
    assert [level for _, _, level in result.held_back] == [5, 4]


def test_consolidation_orders_by_points_not_by_member(sheet):
    sheets = [sheet.answers("80", marked=2), sheet.answers("80", marked=3)]
    assert sheet.evaluate(sheets).consolidated[sheet.marked.pk] == sheet.m[2]
    assert sheet.evaluate(sheets[::-1]).consolidated[sheet.marked.pk] == sheet.m[2]


@pytest.mark.parametrize(
    "notes, excluded",
    [
        (("Vi phạm sở hữu trí tuệ", "Vi phạm sở hữu trí tuệ", ""), True),  # 2 of 3
        (("Không có giấy phép", "", ""), False),  # 1 of 3
        (("a", "b", "c"), True),
        (("a", "", "  "), False),  # blank notes are none
        (("", "", ""), False),
    ],
)
def test_knock_outs_exclude_when_more_than_half_record_one(sheet, notes, excluded):
    result = sheet.evaluate([sheet.answers("80")] * 3, knockouts=notes)
    assert result.total == D(80)
    assert result.band == 4
    assert result.stars == (0 if excluded else 4)
    assert result.certifiable is not excluded
    assert result.knocked_out == [n for n in notes if n.strip()]


def test_knock_outs_by_half_of_an_even_council_do_not_exclude(sheet):
    result = sheet.evaluate([sheet.answers("80")] * 4, knockouts=("x", "y", "", ""))
    assert result.stars == 4


def test_no_submitted_sheet_is_an_error(sheet):
    with pytest.raises(ValueError):
        sheet.evaluate([])


def test_disagreement_on_stars_means_a_meeting(sheet):
    assert scoring.disagree(sheet.evaluate([sheet.answers("72"), sheet.answers("68")]))
    assert not scoring.disagree(sheet.evaluate([sheet.answers("72"), sheet.answers("88")]))


def test_the_loaded_sheet_7_with_every_best_option(rulebook):
    """The 26/2026 sheet 7 ticked at its best everywhere: 99 points (criterion 2.4 has no
    options to tick), every minimum met, 5★."""
    rule_set = RuleSet.objects.get(code="26-2026")
    criteria = list(rule_set.sheets.get(number=7).criteria())
    best = {c.pk: max(c.options.all(), key=lambda o: o.points) for c in criteria if c.options.all()}
    worst = {c.pk: min(c.options.all(), key=lambda o: o.points) for c in criteria if c.options.all()}
    result = scoring.evaluate(rule_set, criteria, [("x", best), ("y", best), ("z", best)])
    assert result.total == D(99)
    assert result.parts == {"a": D(39), "b": D(25), "c": D(35)}
    assert result.stars == 5
    low = scoring.evaluate(rule_set, criteria, [("x", worst)])
    assert low.band == 1
    assert low.stars == 1
