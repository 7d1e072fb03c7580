"""Read rendered pages in tests: parse once, select elements, compare their text with `==`.

Supports the selectors the tests need: `tag`, `.class`, `#id`, `[attr]`, `[attr=value]`,
compounds of those (`h3.card-title`, `input[name=q]`), the descendant combinator
(`ul.cards .card-title a`) and the child combinator (`article > p`, spaces around `>`).
Matches lie below the element `select` is called on. Text is whitespace-normalised, with
entities decoded.
"""

import re
from html.parser import HTMLParser

VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
_COMPOUND = re.compile(
    r"^(?P<tag>[a-z][a-z0-9]*)?(?P<rest>(?:[.#][\w-]+|\[[\w-]+(?:=[^\]]*)?\])*)$"
)
_PART = re.compile(r"([.#])([\w-]+)|\[([\w-]+)(?:=([^\]]*))?\]")


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: "Element | None"):
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Element | str] = []

    def __repr__(self):
        return f"<{self.tag} {self.attrs}>"

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    @property
    def text(self) -> str:
        """The element's text as a reader sees it: whitespace collapsed, `<br>` as a space."""
        return " ".join("".join(self._text_parts()).split())

    def _text_parts(self):
        for child in self.children:
            if isinstance(child, str):
                yield child
            elif child.tag == "br":
                yield " "
            else:
                yield from child._text_parts()

    def get(self, name: str) -> str | None:
        return self.attrs.get(name)

    def iter(self):
        """Every element below this one, in document order."""
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def select(self, selector: str) -> list["Element"]:
        steps = []  # (combinator to the previous step, compound), left to right
        combinator = " "
        for part in selector.split():
            if part == ">":
                combinator = ">"
                continue
            steps.append((combinator, _parse_compound(part)))
            combinator = " "
        return [el for el in self.iter() if _matches_path(el, steps, self)]

    def select_one(self, selector: str) -> "Element":
        found = self.select(selector)
        if len(found) != 1:
            raise AssertionError(f"{selector!r} matched {len(found)} elements, expected one")
        return found[0]

    def texts(self, selector: str) -> list[str]:
        return [el.text for el in self.select(selector)]


def _parse_compound(text: str):
    match = _COMPOUND.match(text)
    if not match:
        raise ValueError(f"Unsupported selector part: {text!r}")
    checks = []
    for kind, name, attr, value in _PART.findall(match["rest"]):
        if kind == ".":
            checks.append(lambda el, name=name: name in el.classes)
        elif kind == "#":
            checks.append(lambda el, name=name: el.get("id") == name)
        elif value:
            checks.append(lambda el, attr=attr, value=value: el.get(attr) == value)
        else:
            checks.append(lambda el, attr=attr: attr in el.attrs)
    tag = match["tag"]
    return lambda el: (tag is None or el.tag == tag) and all(check(el) for check in checks)


def _matches_path(element: Element, steps, root: Element) -> bool:
    """Whether `element` matches the last step and its ancestors (below `root`) the others."""
    combinator, compound = steps[-1]
    if not compound(element):
        return False
    if len(steps) == 1:
        return True
    ancestor = element.parent
    while ancestor is not None and ancestor is not root:
        if _matches_path(ancestor, steps[:-1], root):
            return True
        if combinator == ">":
            return False
        ancestor = ancestor.parent
    return False


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), self.current)
        self.current.children.append(element)
        if tag not in VOID_ELEMENTS:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        # Close up to the matching open element; a stray end tag is ignored.
        element = self.current
        while element is not self.root and element.tag != tag:
            element = element.parent
        if element is not self.root:
            self.current = element.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(content: bytes | str) -> Element:
    """The document of a response's content (or any HTML string)."""
    builder = _TreeBuilder()
    builder.feed(content.decode() if isinstance(content, bytes) else content)
    builder.close()
    return builder.root


def definitions(dl: Element) -> list[tuple[str, str]]:
    """The (term, description) pairs of a `<dl>`, in order."""
    pairs = []
    term = None
    for child in dl.children:
        if isinstance(child, Element) and child.tag == "dt":
            term = child.text
        elif isinstance(child, Element) and child.tag == "dd":
            pairs.append((term, child.text))
    return pairs
