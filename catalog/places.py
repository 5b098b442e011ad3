"""Việt Nam's current provinces and communes: filled from the `vietnam-provinces` package.

Since 1 July 2025 there are 34 provinces and 3,321 communes and wards, in two levels (no
districts). The package carries their official codes; `load()` writes them into the
register's Province and Commune rows, which then are the one list the site uses (producers'
places, delivery addresses, delivery regions). Codes are the keys: provinces as two digits
("68"), communes as five ("24611"), as in fixtures/places/. A row that exists already keeps
its name (the demo fixtures, or an official's correction of the package's spelling); only a
commune filed under the wrong province is moved. Running it again creates nothing.

`commune_choices()` gives the address form its options grouped by province;
`find_commune()` checks that a commune (by name) belongs to a province (by name).
"""

import unicodedata

from vietnam_provinces import Province as PackageProvince
from vietnam_provinces import Ward as PackageWard

from catalog.collation import place_sort_key
from catalog.models import Commune, Province

BATCH = 500


def province_code(value):
    return f"{int(value):02d}"


def commune_code(value):
    return f"{int(value):05d}"


def package_provinces():
    """[(code, name, slug)] of the package's provinces."""
    return [(province_code(p.code), p.name, p.codename.replace("_", "-")) for p in PackageProvince.iter_all()]


def package_communes():
    """[(code, name, province code)] of the package's communes and wards."""
    return [(commune_code(w.code), w.name, province_code(w.province_code)) for w in PackageWard.iter_all()]


def load(progress=None, province_codes=None):
    """Create the missing provinces and communes; {"provinces": n, "communes": n} created.

    `progress(iterable, desc=label)` wraps each loop and yields its items (tqdm's signature:
    a command passes a tqdm); `province_codes` limits the load to those provinces (tests
    that need one province only).
    """
    progress = progress or (lambda iterable, desc: iterable)
    created = {"provinces": 0, "communes": 0}
    wanted = set(province_codes) if province_codes else None
    rows = [row for row in package_provinces() if wanted is None or row[0] in wanted]
    existing = set(Province.objects.values_list("code", flat=True))
    taken_slugs = set(Province.objects.values_list("slug", flat=True))
    for code, name, slug in progress(rows, desc="provinces"):
        if code not in existing:
            if slug in taken_slugs:
                slug = f"{slug}-{code}"
            Province.objects.create(code=code, name=name, slug=slug)
            created["provinces"] += 1

    provinces = dict(Province.objects.filter(code__in=[r[0] for r in rows]).values_list("code", "pk"))
    communes = [row for row in package_communes() if row[2] in provinces]
    known = dict(Commune.objects.values_list("code", "province_id"))
    to_create = []
    for code, name, province in progress(communes, desc="communes"):
        if code not in known:
            to_create.append(Commune(code=code, name=name, province_id=provinces[province]))
        elif known[code] != provinces[province]:
            Commune.objects.filter(code=code).update(province_id=provinces[province])
        if len(to_create) >= BATCH:
            Commune.objects.bulk_create(to_create)
            created["communes"] += len(to_create)
            to_create = []
    if to_create:
        Commune.objects.bulk_create(to_create)
        created["communes"] += len(to_create)
    return created


def normalise(text):
    return unicodedata.normalize("NFC", (text or "").strip())


def province_choices():
    """[(name, name)] of the provinces in Vietnamese alphabetical order ("Thành phố Hà Nội"
    under H, catalog/collation.py). The name is the value: it is what the address keeps
    (Oscar's `state`), and province names are unique."""
    names = Province.objects.values_list("name", flat=True)
    return [(name, name) for name in sorted(names, key=place_sort_key)]


def commune_choices():
    """[(province name, [(commune name, commune name), …]), …]: one option group per
    province, so the form works without JavaScript. Commune names are unique within a
    province (not across provinces), so the pair is what identifies one."""
    groups = {}
    for province, name in Commune.objects.values_list("province__name", "name"):
        groups.setdefault(province, []).append(name)
    return [
        (province, [(name, name) for name in sorted(groups[province], key=place_sort_key)])
        for province in sorted(groups, key=place_sort_key)
    ]


def find_commune(province_name, commune_name):
    """The Commune called `commune_name` in the province called `province_name`, or None."""
    return (
        Commune.objects.select_related("province")
        .filter(province__name=normalise(province_name), name=normalise(commune_name))
        .first()
    )
