"""The HTML that only `newsarchive serve` shows: the live-reload snippet added to every page as it
is served, the build-error overlay and page, and the health report page.

None of this is ever written to the output folder. It does not use the site's templates on
purpose: the error page must work when those templates are the thing that is broken.
"""

from __future__ import annotations

import re

import jinja2
from markupsafe import Markup

from newsarchive.health import Health, format_range, span_length
from newsarchive.urls import article_url

PREFIX = "/__newsarchive__/"
EVENTS_URL = PREFIX + "events"
HEALTH_URL = PREFIX + "health/"
MARKER = "data-newsarchive-serve"  # tests look for it to prove dist/ never holds the snippet

_TEMPLATES = {
    "snippet": """
<script {{ marker }}>
(() => {
  // Reload when a newer build than the one this page came from is announced.
  const shown = {{ generation|tojson }};
  const events = new EventSource({{ events_url|tojson }});
  const check = (event) => { if (Number(event.data) !== shown) location.reload(); };
  events.addEventListener("build", check);
  events.addEventListener("reload", check);
})();
</script>
{% if error %}
<div {{ marker }} role="alert" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;background:#2b0b0b;color:#fff;font:15px/1.5 system-ui,sans-serif;padding:2rem">
<h1 style="font-size:1.4rem;margin:0 0 1rem">The build failed</h1>
<pre style="white-space:pre-wrap;font:14px/1.5 ui-monospace,monospace;background:#000;padding:1rem;border-radius:4px">{{ error }}</pre>
<p>Fix it and save: this page reloads by itself.</p>
{% if behind %}<p><button type="button" onclick="this.closest('[role=alert]').remove()">Hide this and show the last good build</button></p>{% endif %}
</div>
{% elif problems %}
<a {{ marker }} href="{{ health_url }}" style="position:fixed;right:.5rem;bottom:.5rem;z-index:2147483647;background:#7a4b00;color:#fff;font:13px/1.4 system-ui,sans-serif;padding:.3rem .6rem;border-radius:4px">{{ problems }} problem{{ "" if problems == 1 else "s" }}: health report</a>
{% endif %}
""",
    "page": """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · newsarchive serve</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222 }
h1 { font-size: 1.6rem } h2 { font-size: 1.2rem; margin-top: 2rem }
table { border-collapse: collapse } td, th { padding: .2rem .8rem .2rem 0; text-align: left }
code, pre { font: 14px/1.5 ui-monospace, monospace } li { margin: .2rem 0 }
.muted { color: #666 }
</style>
</head>
<body>
{{ body }}
{{ snippet }}
</body>
</html>
""",
    "health": """
{% macro problem_list(problems) %}{% if problems %}<ul>{% for problem in problems %}<li><code>{{ problem }}</code></li>{% endfor %}</ul>{% else %}<p>None.</p>{% endif %}{% endmacro %}
<h1>Archive health</h1>
<p class="muted">Shown by <code>newsarchive serve</code> only; it is not part of the published site.
<a href="/">Back to the site</a>.</p>
{% if error %}<p><strong>The last build failed</strong>; this report is from the last good one.</p>{% endif %}
<h2>Articles per year</h2>
<table>
<tr><th>year</th><th>articles</th></tr>
{% for year, count in health.per_year %}<tr><td>{{ year }}</td><td>{{ "{:,}".format(count) }}</td></tr>
{% endfor %}<tr><th>all</th><th>{{ "{:,}".format(health.articles) }}</th></tr>
</table>
<h2>Rejected files ({{ health.rejected|length }})</h2>
{{ problem_list(health.rejected) }}
<h2>Warnings ({{ health.warnings|length }})</h2>
{{ problem_list(health.warnings) }}
<h2>Duplicate headlines ({{ health.duplicates|length }})</h2>
{% if health.duplicates %}<ul>{% for group in health.duplicates %}
<li>{{ group[0].title }}: {% for article in group %}<a href="{{ url(article) }}">{{ article.source_path }}</a>{{ ", " if not loop.last }}{% endfor %}</li>
{% endfor %}</ul>{% else %}<p>None.</p>{% endif %}
<h2>Dated in the future ({{ health.future|length }})</h2>
{% if health.future %}<ul>{% for article in health.future %}
<li>{{ article.date.isoformat() }}: <a href="{{ url(article) }}">{{ article.title }}</a> <span class="muted">{{ article.source_path }}</span></li>
{% endfor %}</ul>{% else %}<p>None.</p>{% endif %}
<h2>Months without articles ({{ health.empty_months|length }})</h2>
{% if health.empty_months %}<ul>{% for span in health.empty_months %}<li>{{ format_range(span, "month") }}</li>{% endfor %}</ul>{% else %}<p>None.</p>{% endif %}
<h2>Days without articles, in months that have some ({{ health.empty_days|length }} gaps)</h2>
{% if health.empty_days %}<ul>{% for span in health.empty_days %}<li>{{ format_range(span) }}{% if span_length(span) > 1 %} <span class="muted">({{ span_length(span) }} days)</span>{% endif %}</li>{% endfor %}</ul>{% else %}<p>None.</p>{% endif %}
""",
}

_env = jinja2.Environment(loader=jinja2.DictLoader(_TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined)


def snippet(generation: int, error: str | None, problems: int, behind: bool = True) -> str:
    return _env.get_template("snippet").render(
        marker=Markup(MARKER),
        generation=generation,
        events_url=EVENTS_URL,
        health_url=HEALTH_URL,
        error=error,
        problems=problems,
        behind=behind,
    )


def _page(title: str, body: str, generation: int, error: str | None, behind: bool) -> str:
    return _env.get_template("page").render(
        title=title, body=Markup(body), snippet=Markup(snippet(generation, error, 0, behind))
    )


def error_page(error: str, generation: int) -> str:
    """Shown at every URL while there is no built page to show under the overlay."""
    return _page("Build failed", "", generation, error, behind=False)


def health_page(health: Health | None, error: str | None, generation: int) -> str:
    if health is None:
        return error_page(error or "no build yet", generation)
    body = _env.get_template("health").render(
        health=health,
        error=error,
        url=article_url,
        format_range=format_range,
        span_length=span_length,
    )
    return _page("Archive health", body, generation, None, behind=True)


_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


def inject(html: bytes, extra: str) -> bytes:
    """Put `extra` just before the last </body> (or at the end when there is none)."""
    matches = list(_BODY_END.finditer(html))
    at = matches[-1].start() if matches else len(html)
    return html[:at] + extra.encode("utf-8") + html[at:]
