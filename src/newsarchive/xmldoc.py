"""Small helpers over the standard library's ElementTree, the one XML writer for feeds and sitemaps.

ElementTree escapes `&`, `<`, `>` and quotes, but writes control characters as they are, which
XML 1.0 forbids: `text` drops them so no article can make a feed unreadable.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

# Characters XML 1.0 does not allow anywhere, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def text(value: str) -> str:
    """`value` as XML can carry it: forbidden characters dropped, and line ends as '\n', which is
    what any XML reader turns a raw '\r' into anyway."""
    return _NOT_XML.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def child(parent: ET.Element, tag: str, content: str | None = None, **attributes: str) -> ET.Element:
    """Append `<tag attributes>content</tag>` to parent.

    Names are written as given ('news:title', 'xml:base'): each document declares its namespaces
    with xmlns attributes on its root, which keeps prefixes fixed and needs no global registry.
    """
    element = ET.SubElement(parent, tag, {name: text(value) for name, value in attributes.items()})
    if content is not None:
        element.text = text(content)
    return element


def serialize(root: ET.Element) -> bytes:
    """UTF-8 bytes with an XML declaration, indented so a person can read the file."""
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")
