"""The front door and the health check answer HEAD as well as GET (proxies and monitors use it)."""

import pytest


@pytest.mark.django_db
def test_home_answers_head_like_get(client):
    head = client.head("/")

    assert (head.status_code, head["Location"]) == (302, "/accounts/login/")


@pytest.mark.django_db
def test_health_check_answers_head_and_get_without_caching(client):
    head = client.head("/healthz/")
    get = client.get("/healthz/")

    assert head.status_code == 200
    assert get.json() == {"status": "ok"}
    assert "no-store" in get["Cache-Control"]


@pytest.mark.django_db
def test_health_check_refuses_post(client):
    response = client.post("/healthz/")

    assert response.status_code == 405
