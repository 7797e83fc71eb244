"""Page templates rendered to their markup without run-time data (`collect._templates`).

The examples follow each language's documentation: Jinja's and Nunjucks' templating pages, Shopify's Liquid
reference (raw, comment, capture, assign, include), Ruby's ERB and Rails' view helpers, EJS's tags, Hugo's
shortcode and Go template pages, Handlebars' and Mustache's manuals.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from omniaudit.collect._templates import literal, render_template, strip_leftovers, syntaxes_for
from omniaudit.placeholders import PLACEHOLDER as VAR

SITE = Path(__file__).resolve().parent.parent / "fixtures" / "templates" / "site"
MARKS = ("{%", "%}", "{{", "}}", "<%", "%>")


def render(text: str, *syntaxes: str, **kwargs: object) -> str:
    return render_template(text, tuple(syntaxes), **kwargs).text  # type: ignore[arg-type]


def test_jinja_tags_comments_and_trim_markers_go_and_output_is_a_placeholder() -> None:
    text = "Hi {{ user.name }}!{# note #} {%- if vip -%}Gold{%- else -%}Silver{%- endif %}"
    assert render(text, "jinja") == f"Hi {VAR}! GoldSilver"


def test_literal_strings_and_helpers_with_a_literal_argument_are_text() -> None:
    assert render('{{ "Hello" }} {{ \'Contact us\' | t }} {{ _("Sign in") }}', "jinja") == (
        "Hello Contact us Sign in"
    )
    # A catalogue key is not what the reader sees.
    assert render("{{ 'home.intro_text' | t }} {{ __p('errors.expired') }}", "jinja") == f"{VAR} {VAR}"
    # URL helpers print a link target, never text.
    assert render("{{ '/about/' | relative_url }}|{{ url_for('home') }}", "jinja") == "|"


def test_a_table_built_from_a_list_in_the_template_reads_one_row_per_item() -> None:
    text = (
        '{% for row in [["Basic", "$10"], ["Pro", "$20"]] %}\n'
        "<tr><td>{{ row[0] }}</td><td>{{ row[1] }}</td></tr>\n"
        "{% endfor %}"
    )
    rows = [line for line in render(text, "jinja").splitlines() if line]
    assert rows == ["<tr><td>Basic</td><td>$10</td></tr>", "<tr><td>Pro</td><td>$20</td></tr>"]
    assigned = (
        '{% set plans = [{"name": "Solo", "price": "£4"}] %}'
        "{% for p in plans %}{{ p.name }} {{ p.price }}{% endfor %}"
    )
    assert render(assigned, "jinja") == "Solo £4"
    # Data from outside the template: the body once, its values as placeholders.
    assert render("{% for p in site.plans %}<li>{{ p.name }} plan</li>{% endfor %}", "jinja") == (
        f"<li>{VAR} plan</li>"
    )


def test_loops_over_the_page_front_matter_print_its_values() -> None:
    rendered = render_template(
        "{% for step in page.steps %}<li>{{ step.name }}</li>{% endfor %}",
        ("liquid",),
        data={"page": {"steps": [{"name": "Order"}, {"name": "Brew"}]}},
    )
    assert rendered.text == "<li>Order</li><li>Brew</li>"
    assert "steps" in rendered.used_keys


def test_liquid_raw_comment_capture_assign_and_code_blocks() -> None:
    text = (
        "{% comment %}\nhidden\n{% endcomment %}A{% raw %} {{ kept }}{% endraw %}\n"
        "{% capture offer %}Ten percent off{% endcapture %}<p>{{ offer }}</p>\n"
        '{% assign sizes = "Small,Large" | split: "," %}{% for s in sizes %}[{{ s }}]{% endfor %}\n'
        "{% highlight ruby %}\nputs 1\n{% endhighlight %}B"
    )
    out = render(text, "liquid")
    assert out == "\n\nA {{ kept }}\n<p>Ten percent off</p>\n[Small][Large]\n\n\nB"
    assert strip_leftovers("A {{ kept }} {% tag %} 50%}") == f"A {VAR}  50"


def test_erb_output_helpers_comments_and_code() -> None:
    text = (
        "<%# a comment\n over lines %>"
        "<p>Read our <%= link_to 'delivery terms', '/delivery', class: 'x' %>.</p>"
        "<%= warning_text('Do not share your password.') %> <%= t('.title') %> <%= @name %>"
        "<% if admin? %>Admin<% end %> <%= image_tag 'k.png', alt: 'A kettle' %> <%%= kept %>"
    )
    assert render(text, "erb") == (
        f"\n<p>Read our delivery terms.</p>Do not share your password. {VAR} {VAR}Admin A kettle <%= kept %>"
    )


def test_erb_loops_over_literal_arrays_and_hashes() -> None:
    array = "<% ['Tea', 'Coffee'].each do |drink| %><li><%= drink %></li><% end %>"
    assert render(array, "erb") == "<li>Tea</li><li>Coffee</li>"
    hashed = (
        "<% {\n  'Our teas' => ['teas', true], # a Ruby comment\n  'Gifts' => ['gifts', false]\n"
        "}.each do |title, (path, featured)| %><li><%= title %> <%= path %></li><% end %>"
    )
    assert render(hashed, "erb").strip() == "<li>Our teas teas</li><li>Gifts gifts</li>"
    assigned = (
        "<% sizes = %w[x] %><% names = ['A', 'B'] %><% names.each_with_index do |n, i| %><%= n %><% end %>"
    )
    assert render(assigned, "erb") == "AB"


def test_ejs_unescaped_output_and_includes() -> None:
    page = SITE / "page.ejs"
    out = render("<%- include('partials/header') %><%- title %><%_ code _%>", "erb", path=page, root=SITE)
    assert out == f"<header><h1>Welcome</h1></header>{VAR}"


def test_hugo_shortcodes_keep_text_arguments_and_paired_content() -> None:
    text = (
        '{{< figure src="a.png" width="50%" caption="The settings page" >}}\n'
        '{{< hint style="warning" >}}\nBack up first.\n{{< /hint >}}\n'
        "{{% notice note %}}Saved daily.{{% /notice %}}\n"
        "{{< highlight go >}}\nfmt.Println()\n{{< /highlight >}}\n"
        '[Returns]({{< ref "/help/returns" >}}) {{ .Title }} {{/* a comment */}}{{ if .Draft }}x{{ end }}'
    )
    assert render(text, "hugo") == (
        f"The settings page\n\nBack up first.\n\nSaved daily.\n\n\n\n[Returns]() {VAR} x"
    )


def test_handlebars_blocks_comments_raw_output_and_partials() -> None:
    text = (
        "{{!-- note --}}{{! short }}{{#if on}}Yes{{else}}No{{/if}} "
        "{{{body}}} {{t 'Hello there'}} {{> greeting}}"
    )
    out = render(text, "handlebars", path=SITE / "x.hbs", root=SITE)
    assert out == f"YesNo {VAR} Hello there <p>Good morning!</p>"


def test_includes_are_followed_inside_the_folder_once_and_never_outside() -> None:
    page = SITE / "pages" / "home.html"
    liquid = '{% include note.html text="Closed on Sundays." %}{% include "../../outside.html" %}'
    assert render(liquid, "liquid", path=page, root=SITE) == '<p class="note">Closed on Sundays.</p>'
    erb = "<%= partial 'partials/footer.html.erb' %><%= render('shared/banner') %><%= render 'missing' %>"
    rendered = render_template(erb, ("erb",), path=page, root=SITE)
    assert rendered.text == "<footer><p>Open Monday to Friday.</p></footer><div>Sign up today</div>"
    assert rendered.includes == ["partials/_footer.html.erb", "shared/_banner.html.erb"]
    # A file that includes itself is read once.
    assert render("{% include loop.html %}", "liquid", path=page, root=SITE) == "<p>Looped once.</p>"


def test_removed_text_keeps_line_numbers() -> None:
    text = "a\n{% if x %}\nb {{ y\n }}\n{% endif %}\n<%# c\n\n%>d"
    for syntax in ("jinja", "erb"):
        assert render(text, syntax).count("\n") == text.count("\n")


@pytest.mark.parametrize(
    ("name", "text", "forced", "expected"),
    [
        ("index.html.erb", "<p>x</p>", "auto", ("erb",)),
        ("page.njk", "{{ x }}", "auto", ("jinja",)),
        ("page.liquid", "", "auto", ("liquid",)),
        ("card.hbs", "", "auto", ("handlebars",)),
        ("post.md", "{{< figure >}} {{ x }}", "auto", ("hugo",)),
        ("post.md", "{% include a.html %}", "auto", ("liquid",)),
        ("index.html", "{{#each items}}{{/each}}", "auto", ("handlebars",)),
        ("guide.html.md.erb", "<%= x %> and {{ y }}", "auto", ("erb", "liquid")),
        ("plain.md", "No template here.", "auto", ()),
        ("post.md", "{{ x }}", "none", ()),
        ("post.md", "{{ x }}", "jinja", ("jinja",)),
    ],
)
def test_the_syntax_comes_from_the_extension_the_content_or_the_option(
    name: str, text: str, forced: str, expected: tuple[str, ...]
) -> None:
    assert syntaxes_for(name, text, forced) == expected


def test_literals_in_ruby_python_and_javascript() -> None:
    assert literal("{ 'a' => [1, true], b: nil, :c => \"d\" }") == {"a": [1, True], "b": None, "c": "d"}
    assert literal('[("x", 2.5), {"k": "v"}]') == [["x", 2.5], {"k": "v"}]
    assert literal('"Hi #{name}"') == f"Hi {VAR}"
    with pytest.raises(ValueError):
        literal("plans.all")


def test_no_template_syntax_is_left() -> None:
    text = "{% for a in list %}{{ a }}{% endfor %}<%= x %>{{< y >}}{{{ z }}}"
    for syntaxes in (("jinja",), ("erb",), ("hugo",), ("handlebars",), ("erb", "hugo", "liquid")):
        out = strip_leftovers(render(text, *syntaxes))
        assert not any(mark in out for mark in MARKS), (syntaxes, out)
