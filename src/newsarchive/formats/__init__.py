"""One parser per input format, each `parse(text, path, config, relative) -> Parsed`, where `path` is
the file as the user sees it and `relative` its path inside seeds/ (dates and bundles come from it)."""
