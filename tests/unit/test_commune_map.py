"""The commune map's SVG (pure: figures in, SVG out) and the projection it draws with."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from cases.db import db
from cases.models import Commune
from cases.rendering.commune_map import CommuneFigure, GpsCell, MapLabels, bubble_radius, render_commune_map
from cases.rendering.projection import Ellipsoid, transverse_mercator, utm48n

SVG = "{http://www.w3.org/2000/svg}"
# real centroids of today's communes (reference data)
LONG_XUYEN = CommuneFigure("30307", "Phường Long Xuyên", 10.3864, 105.4352)  # east
RACH_GIA = CommuneFigure("30742", "Phường Rạch Giá", 10.0123, 105.0811)  # south-west of Long Xuyên
HA_TIEN = CommuneFigure("30769", "Phường Hà Tiên", 10.4029, 104.469)  # far west
CHAU_DOC = CommuneFigure("30316", "Phường Châu Đốc", 10.6837, 105.117)  # north
THO_CHAU = CommuneFigure("31105", "Đặc khu Thổ Châu", 9.306, 103.4857)  # 100+ km offshore
PHU_QUOC = CommuneFigure("31078", "Đặc khu Phú Quốc", 10.2751, 103.991)


def test_transverse_mercator_matches_snyder_worked_example():
    # USGS Professional Paper 1395, p. 269: Clarke 1866, 40°30'N 73°30'W, central meridian 75°W
    clarke_1866 = Ellipsoid(a=6378206.4, inv_f=294.9786982)
    x, y = transverse_mercator(40.5, -73.5, lon0=-75.0, false_easting=0.0, ellipsoid=clarke_1866)
    assert x == pytest.approx(127106.5, abs=0.1)
    assert y == pytest.approx(4484124.4, abs=0.1)


def test_utm_zone_48():
    assert utm48n(0.0, 105.0) == (500000.0, 0.0)
    assert utm48n(0.0, 108.0)[0] == pytest.approx(833978.557, abs=0.01)  # 3° east of the meridian
    east, north = utm48n(10.3864, 105.4352)  # Long Xuyên
    assert 540_000 < east < 555_000 and 1_140_000 < north < 1_155_000


def _svg(figures, **kwargs) -> ET.Element:
    return ET.fromstring(str(render_commune_map(figures, **kwargs)))


def _bubbles(root: ET.Element) -> dict[str, ET.Element]:
    return {c.get("data-code"): c for c in root.iter(f"{SVG}circle") if c.get("class") == "commune-bubble"}


def _links(root: ET.Element) -> dict[str, str]:
    return {
        a.find(f"{SVG}circle").get("data-code"): a.get("href")  # type: ignore[union-attr]
        for a in root.iter(f"{SVG}a")
    }


def _with(figure: CommuneFigure, cases: int, confirmed: int = 0) -> CommuneFigure:
    return CommuneFigure(figure.code, figure.name, figure.latitude, figure.longitude, cases, confirmed)


def test_one_circle_per_commune_with_cases_and_a_link_to_its_list():
    figures = [_with(LONG_XUYEN, 12, 3), _with(RACH_GIA, 3, 3), _with(HA_TIEN, 0), _with(CHAU_DOC, 1)]
    root = _svg(figures, link=lambda code: f"/cases/?commune_code={code}&year=2026&counted=1")
    bubbles = _bubbles(root)
    assert set(bubbles) == {LONG_XUYEN.code, RACH_GIA.code, CHAU_DOC.code}  # Hà Tiên has none
    assert _links(root) == {
        code: f"/cases/?commune_code={code}&year=2026&counted=1"
        for code in (LONG_XUYEN.code, RACH_GIA.code, CHAU_DOC.code)
    }
    empty = [c for c in root.iter(f"{SVG}circle") if c.get("class") == "commune-empty"]
    assert len(empty) == 1 and "Phường Hà Tiên" in empty[0].find(f"{SVG}title").text
    hover = bubbles[LONG_XUYEN.code].find(f"{SVG}title").text
    assert hover == "Phường Long Xuyên: 12 cases, 3 with confirmed violations (25%)"


def test_no_links_for_the_pdf():
    root = _svg([_with(LONG_XUYEN, 2)])
    assert list(root.iter(f"{SVG}a")) == [] and len(_bubbles(root)) == 1


def test_circle_area_grows_with_the_count():
    radii = [bubble_radius(n, 160) for n in range(1, 161)]
    assert radii == sorted(radii)  # never smaller for more cases
    assert bubble_radius(1, 160) == bubble_radius(2, 160) == 2.5  # a readable minimum for the smallest
    above = [bubble_radius(n, 160) for n in (5, 9, 40, 160)]
    assert above == sorted(set(above))  # strictly growing above it
    assert bubble_radius(160, 160) ** 2 / bubble_radius(40, 160) ** 2 == pytest.approx(4.0)  # area ∝ count
    assert bubble_radius(0, 160) == 0
    root = _svg([_with(LONG_XUYEN, 40), _with(RACH_GIA, 10), _with(CHAU_DOC, 160)])
    drawn = {code: float(c.get("r")) for code, c in _bubbles(root).items()}
    assert drawn[RACH_GIA.code] < drawn[LONG_XUYEN.code] < drawn[CHAU_DOC.code]


def test_colour_follows_the_share_with_confirmed_violations():
    root = _svg([_with(LONG_XUYEN, 10, 0), _with(RACH_GIA, 10, 5), _with(CHAU_DOC, 10, 10)])
    fills = {code: c.get("fill") for code, c in _bubbles(root).items()}
    assert fills == {LONG_XUYEN.code: "#ffffb2", RACH_GIA.code: "#fd8d3c", CHAU_DOC.code: "#bd0026"}
    legend = [r.get("fill") for r in root.iter(f"{SVG}rect") if r.get("class") == "legend-swatch"]
    assert legend == ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]


def _province(counts: dict[str, int]) -> list[CommuneFigure]:
    """Today's 102 communes from the reference data, with ``counts`` cases where given."""
    return [
        CommuneFigure(c.code, c.name, c.latitude, c.longitude, counts.get(c.code, 0))
        for c in db.session.scalars(select(Commune).order_by(Commune.code))
    ]


def test_projection_keeps_relative_positions(app_ctx):
    """West is left, north is up, and distances keep their proportions (one scale both ways)."""
    chau_doc, ha_tien, long_xuyen, rach_gia = "30316", "30769", "30307", "30742"
    figures = _province({chau_doc: 1, ha_tien: 1, long_xuyen: 1, rach_gia: 1})
    where = {f.code: f for f in figures}
    b = {code: (float(c.get("cx")), float(c.get("cy"))) for code, c in _bubbles(_svg(figures)).items()}
    assert b[ha_tien][0] < b[rach_gia][0] < b[long_xuyen][0]  # west → east
    assert where[ha_tien].longitude < where[rach_gia].longitude < where[long_xuyen].longitude
    assert b[chau_doc][1] < b[long_xuyen][1] < b[rach_gia][1]  # north → south (SVG's y grows down)
    assert where[chau_doc].latitude > where[long_xuyen].latitude > where[rach_gia].latitude

    def ground(a: str, c: str) -> float:
        (xa, ya) = utm48n(where[a].latitude, where[a].longitude)
        (xc, yc) = utm48n(where[c].latitude, where[c].longitude)
        return ((xa - xc) ** 2 + (ya - yc) ** 2) ** 0.5

    def drawn(a: str, c: str) -> float:
        (xa, ya), (xc, yc) = b[a], b[c]
        return ((xa - xc) ** 2 + (ya - yc) ** 2) ** 0.5

    scale = drawn(long_xuyen, rach_gia) / ground(long_xuyen, rach_gia)
    assert drawn(ha_tien, chau_doc) / ground(ha_tien, chau_doc) == pytest.approx(scale, rel=0.005)
    assert drawn(ha_tien, long_xuyen) / ground(ha_tien, long_xuyen) == pytest.approx(scale, rel=0.005)


def test_far_offshore_commune_goes_into_the_inset_with_a_note():
    figures = [_with(f, 2) for f in (LONG_XUYEN, RACH_GIA, HA_TIEN, PHU_QUOC, THO_CHAU)]
    root = _svg(figures)
    inset = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "map-inset")
    box = inset.find(f"{SVG}rect")
    assert box is not None
    x0, y0 = float(box.get("x")), float(box.get("y"))
    x1, y1 = x0 + float(box.get("width")), y0 + float(box.get("height"))
    tho_chau = _bubbles(root)[THO_CHAU.code]
    assert x0 < float(tho_chau.get("cx")) < x1 and y0 < float(tho_chau.get("cy")) < y1
    phu_quoc = _bubbles(root)[PHU_QUOC.code]  # Phú Quốc (40 km out) stays in place, west of Hà Tiên
    assert float(phu_quoc.get("cx")) < float(_bubbles(root)[HA_TIEN.code].get("cx"))
    notes = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "map-note"]
    assert notes == ["Đặc khu Thổ Châu: about 120 km south-west of Đặc khu Phú Quốc, drawn in the inset."]


def test_all_reference_communes(app_ctx):
    """Today's 102 communes: only Thổ Châu is far enough offshore for the inset."""
    communes = db.session.scalars(select(Commune)).all()
    assert len(communes) == 102
    figures = [CommuneFigure(c.code, c.name, c.latitude, c.longitude, 1) for c in communes]
    root = _svg(figures)
    assert len(_bubbles(root)) == 102
    notes = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "map-note"]
    assert len(notes) == 1 and notes[0].startswith("Đặc khu Thổ Châu")


def test_context_communes_are_drawn_without_figures():
    liaison_view = [
        _with(LONG_XUYEN, 5, 1),
        CommuneFigure(**{**_with(RACH_GIA, 9).__dict__, "in_scope": False}),
    ]
    root = _svg(liaison_view, link=lambda code: f"/x/{code}")
    assert set(_bubbles(root)) == {LONG_XUYEN.code}
    context = [c for c in root.iter(f"{SVG}circle") if c.get("class") == "commune-context"]
    assert len(context) == 1 and context[0].find(f"{SVG}title") is None


def test_gps_layer_and_translated_words():
    labels = MapLabels(
        hover="{name}: {cases} hồ sơ", gps_legend="Điểm GPS ({count})", share_legend="Tỷ lệ vi phạm"
    )
    root = _svg(
        [_with(LONG_XUYEN, 3), _with(RACH_GIA, 1)],
        gps=[GpsCell(10.39, 105.44, 2), GpsCell(10.01, 105.08, 1), GpsCell(30.0, 120.0, 1)],
        labels=labels,
    )
    layer = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "gps-points")
    assert len(layer.findall(f"{SVG}circle")) == 2  # the point far outside the province is left out
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Tỷ lệ vi phạm" in texts and "Điểm GPS (3)" in texts
    assert _bubbles(root)[LONG_XUYEN.code].find(f"{SVG}title").text == "Phường Long Xuyên: 3 hồ sơ"


def test_names_are_escaped_and_svg_is_plain():
    odd = CommuneFigure("1", 'Xã <b>"A&B"</b>', 10.3, 105.3, 2)
    text = str(
        render_commune_map([odd, _with(LONG_XUYEN, 1)], link=lambda c: f"/cases/?commune_code={c}&a=1")
    )
    ET.fromstring(text)  # well-formed XML
    assert "<b>" not in text and "&amp;a=1" in text
    assert not re.search(r"<script|var\(--|<style|<foreignObject", text)


def test_weasyprint_renders_the_map(tmp_path):
    weasyprint = pytest.importorskip("weasyprint")
    svg = render_commune_map([_with(LONG_XUYEN, 4, 1), _with(THO_CHAU, 1), _with(RACH_GIA, 2)])
    pdf = weasyprint.HTML(string=f"<html><body>{svg}</body></html>").write_pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000
