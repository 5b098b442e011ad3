"""Page objects find their model's child relations listed once (cms/clusters.py), with the
same answers as django-modelcluster's own functions, and keyword child rows still work."""

from modelcluster import models as modelcluster_models
from wagtail.models import Page

from cms.models import ProductPage, ProductPageGalleryImage


def test_the_lists_are_modelclusters_own_for_a_class_and_an_instance():
    for name in ("get_all_child_relations", "get_all_child_m2m_relations"):
        listed = getattr(modelcluster_models, name)
        assert hasattr(listed, "original"), f"{name} is not installed (cms.apps.ready)"
        for model in (ProductPage, Page):
            expected = listed.original(model)
            assert listed(model) == expected and listed(model(id=1)) == expected
            assert listed(model) is not listed(model)  # a new list each time, as before
    assert [r.name for r in modelcluster_models.get_all_child_relations(ProductPage)].count("gallery_images") == 1
    assert [f.name for f in modelcluster_models.get_all_child_m2m_relations(ProductPage)] == ["standards"]


def test_child_rows_given_as_keywords_still_go_to_the_cluster():
    page = ProductPage(id=1, title="Thử", gallery_images=[ProductPageGalleryImage(caption="Ảnh 1")])
    assert [row.caption for row in page.gallery_images.all()] == ["Ảnh 1"]
