"""The docs page loads everything from the app itself: it renders with no internet."""

from __future__ import annotations

from html.parser import HTMLParser

from litestar.testing import AsyncTestClient


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script" and found.get("src"):
            self.urls.append(str(found["src"]))
        if tag == "link" and found.get("href"):
            self.urls.append(str(found["href"]))


async def test_swagger_ui_is_served_from_the_app(client: AsyncTestClient) -> None:
    page = await client.get("/schema/swagger")
    assert page.status_code == 200
    parser = _Assets()
    parser.feed(page.text)
    assert len(parser.urls) >= 3  # the css, the bundle, the preset (and the icon)
    for url in parser.urls:
        assert url.startswith("/schema/assets/"), url
        asset = await client.get(url)
        assert asset.status_code == 200 and len(asset.content) > 100, url
    assert "http://" not in page.text.split("spec:")[0] and "https://" not in page.text.split("spec:")[0]


async def test_the_default_viewer_is_swagger_and_the_cdn_viewers_are_off(client: AsyncTestClient) -> None:
    assert "SwaggerUIBundle" in (await client.get("/schema")).text
    for viewer in ("redoc", "elements", "rapidoc", "scalar", "stoplight"):
        assert (await client.get(f"/schema/{viewer}")).status_code == 404, viewer
