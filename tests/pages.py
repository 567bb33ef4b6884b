"""Reading the parts of a rendered page that tests assert on: the title and the GOV.UK error summary."""

import re


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def error_summary(response) -> list[tuple[str | None, str]]:
    """(link, text) for each entry of the GOV.UK error summary, in order."""
    body = response.content.decode()
    summary = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', body, re.S)
    if summary is None:
        return []
    result = []
    for entry in re.findall(r"<li>(.*?)</li>", summary.group(1), re.S):
        link = re.fullmatch(r'<a href="([^"]*)">(.*)</a>', entry.strip(), re.S)
        result.append((link.group(1), link.group(2)) if link else (None, entry.strip()))
    return result
