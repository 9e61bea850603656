"""One parser per input format, each `parse(text, path, config) -> Parsed`."""
