"""Parses every .swift file under the given folders with tree-sitter-swift.

No Swift compiler can be installed on this project's machines: this is the
syntax check of the generated Swift (and of its hand-written tests). Prints
each error with its place, then `N passed, N failed`; exits 1 on any error
or when no file was found.
"""
import pathlib
import sys

import tree_sitter_swift
from tree_sitter import Language, Parser

parser = Parser(Language(tree_sitter_swift.language()))
files = sorted(p for root in sys.argv[1:] for p in pathlib.Path(root).rglob("*.swift"))
failed = 0


def first_error(node):
    if node.is_error or node.is_missing:
        return node
    for child in node.children:
        if child.has_error or child.is_missing:
            found = first_error(child)
            if found is not None:
                return found
    return None


for path in files:
    tree = parser.parse(path.read_bytes())
    if tree.root_node.has_error:
        failed += 1
        node = first_error(tree.root_node) or tree.root_node
        line, column = node.start_point
        what = "missing " + node.type if node.is_missing else "syntax error"
        print(f"{path}:{line + 1}:{column + 1}: {what}")
print(f"swift files parsed: {len(files) - failed} passed, {failed} failed")
sys.exit(1 if failed or not files else 0)
