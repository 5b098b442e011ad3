"""Page objects built without listing their model's fields each time (django-modelcluster).

Every page is a modelcluster ClusterableModel, whose __init__ lists the model's child relations
and parental many-to-many fields, walking all of the model's fields (a product page has 67,
reverse relations included) twice, to look for them among the keyword arguments; a row from the
database has none (Model.from_db passes its values by position). A product page builds eight
page objects (the page, its producer page, the menu's pages), a product list some twenty: about
a tenth of a millisecond to a third of one, for a list that is the same for every object of a
model once the app registry is ready.

`install()` (cms.apps, from ready()) has modelcluster's __init__ and save() find the lists by
model class, each listed once; the functions' answers are unchanged (new lists, as before).
modelcluster's other modules imported the functions by name and keep the originals.
"""

from functools import cache

from modelcluster import models as modelcluster_models


def _by_class(listing):
    """`listing(model_or_instance)`, listed once per model class."""

    @cache
    def of_class(model):
        return tuple(listing(model))

    def listed(model):
        return list(of_class(model if isinstance(model, type) else type(model)))

    listed.original = listing
    return listed


def install():
    for name in ("get_all_child_relations", "get_all_child_m2m_relations"):
        function = getattr(modelcluster_models, name)
        if not hasattr(function, "original"):
            setattr(modelcluster_models, name, _by_class(function))
