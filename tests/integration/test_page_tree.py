"""The page tree is locked: each page type lives only where the design puts it."""

import pytest

from cms import models as m

EXPECTED_PARENTS = {
    m.HomePage: {"Page"},
    m.ProductIndexPage: {"HomePage"},
    m.ProducerIndexPage: {"HomePage"},
    m.ProducerPage: {"ProducerIndexPage"},
    m.ProductPage: {"ProducerPage"},
    m.AnnouncementIndexPage: {"HomePage"},
    m.AnnouncementPage: {"AnnouncementIndexPage"},
    m.SalesPointIndexPage: {"HomePage"},
    m.SalesPointPage: {"SalesPointIndexPage"},
}


@pytest.mark.parametrize("model, parents", EXPECTED_PARENTS.items(), ids=lambda v: getattr(v, "__name__", ""))
def test_allowed_parents(model, parents):
    assert {p.__name__ for p in model.allowed_parent_page_models()} == parents


def test_leaf_pages_have_no_children():
    for model in (m.ProductPage, m.AnnouncementPage, m.SalesPointPage, m.ProductIndexPage):
        assert model.allowed_subpage_models() == []


@pytest.mark.django_db
def test_tree_rules_hold_on_real_pages(tree):
    assert m.ProductPage.can_create_at(tree.producer_a)
    assert not m.ProductPage.can_create_at(tree.home)
    assert not m.ProductPage.can_create_at(tree.product_index)
    assert not m.ProducerPage.can_create_at(tree.home)
    # Index pages are singletons.
    assert not m.ProductIndexPage.can_create_at(tree.home)
    assert not m.HomePage.can_create_at(tree.home.get_parent())
