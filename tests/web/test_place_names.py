"""Names people use for municipalities, in the autocomplete and in forms (issue 7).

/places and the forms resolve names through matching/gazetteer.py, as the command line and
the import do.
"""

from __future__ import annotations

import pytest

from web.services.places import place_by_label


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("reggio emilia", "Reggio nell'Emilia"),
        ("Reggio Emilia", "Reggio nell'Emilia"),
        ("reggio calabria", "Reggio di Calabria"),
        ("bolzano", "Bolzano/Bozen"),
        ("bozen", "Bolzano/Bozen"),
        ("forli'", "Forlì"),
        ("reggio-emilia", "Reggio nell'Emilia"),
    ],
)
def test_places_finds_the_names_people_use(client, query, first):
    """Does the autocomplete find a municipality by the name people use, first?"""
    found = client.get("/places", query_string={"q": query}).get_json()
    assert found and found[0]["name"] == first


def test_places_lists_the_bigger_bolzano_first(client):
    """Does "bolzano" list Bolzano/Bozen before Bolzano Vicentino and Bolzano Novarese?"""
    names = [place["name"] for place in client.get("/places?q=bolzano").get_json()]
    assert names == ["Bolzano/Bozen", "Bolzano Vicentino", "Bolzano Novarese"]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Reggio Emilia", "Reggio nell'Emilia (RE)"),
        ("Bolzano", "Bolzano/Bozen (BZ)"),
        ("Fidenza (PR)", "Fidenza (PR)"),
        ("034027", "Parma (PR)"),
        ("Calliano", None),
        ("Atlantide", None),
    ],
)
def test_forms_accept_the_names_people_use(app, label, expected):
    """Does a form's place field take a common name, and refuse ambiguous or unknown ones?"""
    place = place_by_label(label)
    assert (place.label if place else None) == expected
