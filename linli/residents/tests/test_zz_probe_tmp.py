import pytest
pytestmark = pytest.mark.django_db
def test_probe(world, login):
    c = login(world.users["street_admin"])
    for v in ["5000", "1e5", "-3000"]:
        try:
            r = c.get("/residents/", {"min_age": v})
            print(v, r.status_code)
        except Exception as e:
            print(v, "EXC", type(e).__name__, e)
