"""Fill a page's form the way a user does: from the rendered HTML, finding each field by its label.

``fill(html, form_id, {"Label": "value"})`` returns the data the browser would send: every control the
form renders with its current value (hidden fields, selected options, checked boxes), with the labelled
fields set. A label that is not on the page fails the test, and a field the template does not render is
never sent — so a test written with it catches a field missing from a template, which posting a
hand-made dict to the route would not.
"""

from __future__ import annotations

from typing import Any

import tinyhtml5

NS = "{http://www.w3.org/1999/xhtml}"


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def _find_form(root: Any, form_id: str | None, action: str | None) -> Any:
    for form in root.iter(f"{NS}form"):
        if (form_id and form.get("id") == form_id) or (action and form.get("action") == action):
            return form
    raise AssertionError(f"no form {form_id or action!r} on the page")


def _initial(form: Any) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for el in form.iter():
        name = el.get("name")
        if not name or el.get("disabled") is not None:
            continue
        if el.tag == f"{NS}input":
            kind = (el.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if el.get("checked") is not None:
                    data.setdefault(name, []).append(el.get("value") or "on")
                else:
                    data.setdefault(name, [])
            elif kind not in {"submit", "button", "file", "reset"}:
                data.setdefault(name, []).append(el.get("value") or "")
        elif el.tag == f"{NS}textarea":
            data.setdefault(name, []).append("".join(el.itertext()).lstrip("\n"))
        elif el.tag == f"{NS}select":
            chosen = [
                o.get("value", _text(o)) for o in el.iter(f"{NS}option") if o.get("selected") is not None
            ]
            if not chosen and el.get("multiple") is None:
                first = next(el.iter(f"{NS}option"), None)
                chosen = [first.get("value", _text(first))] if first is not None else []
            data[name] = chosen
    return data


def _control_for(form: Any, label: str) -> Any:
    """The control a <label> names (by ``for``, or the control inside it)."""
    by_id = {el.get("id"): el for el in form.iter() if el.get("id")}
    for el in form.iter(f"{NS}label"):
        if _text(el).rstrip(" *") != label:
            continue
        target = by_id.get(el.get("for")) if el.get("for") else None
        if target is None:
            target = next(
                (c for c in el.iter() if c.tag in {f"{NS}input", f"{NS}select", f"{NS}textarea"}), None
            )
        if target is not None:
            return target
    raise AssertionError(f"no field labelled {label!r} in the form")


def fill(
    html: str,
    values: dict[str, str | list[str]],
    *,
    form_id: str | None = None,
    action: str | None = None,
) -> dict[str, list[str]]:
    """The data the form sends once the fields labelled by ``values``' keys are set to its values.

    A select takes an option's value or its text; a radio button or check box is named by its own label
    (its value: anything true to check it, ``""`` to uncheck it).
    """
    form = _find_form(tinyhtml5.parse(html), form_id, action)
    data = _initial(form)
    for label, value in values.items():
        control = _control_for(form, label)
        name = control.get("name")
        kind = (control.get("type") or "").lower()
        if control.tag == f"{NS}input" and kind in {"checkbox", "radio"}:
            own = control.get("value") or "on"
            current = [v for v in data.get(name, []) if v != own] if kind == "checkbox" else []
            data[name] = [*current, own] if value else current
        elif control.tag == f"{NS}select":
            options = {o.get("value", _text(o)): _text(o) for o in control.iter(f"{NS}option")}
            wanted = value if isinstance(value, list) else [value]
            chosen = []
            for item in wanted:
                match = item if item in options else next((k for k, t in options.items() if t == item), None)
                if match is None:
                    raise AssertionError(f"{label!r} has no option {item!r}: {sorted(options.values())}")
                chosen.append(match)
            data[name] = chosen
        else:
            data[name] = [value if isinstance(value, str) else value[0]]
    return data
