"""Django's cached template loader, one cache per language, with fixed texts resolved once.

A `{% translate "Basket" %}` is looked up in the catalogue on every render: Django builds a lazy
translation, forces it, localizes and escapes it, about 15 µs each; a product page has some sixty
(header, footer, sections). A `{% static "ocop/site.css" %}` asks the static files storage each
time. This loader keeps each compiled template once per active language and, in that language's
copy, replaces every `{% translate %}` of a fixed text (a literal, no filter, no `as`, no `noop`,
a literal context if any) with the text the catalogue gives for it, and every `{% static %}` of a
fixed path (no `as`) with its URL, when STATIC_URL is absolute (a relative one takes each
request's script prefix): pages render the same bytes without asking again. A text rendered in
another language than its template was loaded in (`{% language %}`) is translated as Django
would. Anything else (`{% blocktranslate %}`, a translated variable) is left to Django.

It keeps what Django's cached loader keeps (compiled templates, until the process restarts or
`reset()`: the development server's autoreloader calls it when a template changes); catalogues
and static files' names only change with a release (compilemessages, collectstatic), which
restarts the processes.
"""

from django.conf import settings
from django.template.base import Node, TextNode, Variable
from django.template.loaders import base, cached
from django.templatetags.i18n import TranslateNode
from django.templatetags.static import StaticNode
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe


def _fixed_text(node):
    """The translated text of a `{% translate %}` of a fixed text, else None."""
    expression = node.filter_expression
    variable = expression.var
    if node.noop or node.asvar or expression.filters or not isinstance(variable, Variable):
        return None
    if variable.lookups is not None or not isinstance(variable.literal, SafeData):
        return None
    context = node.message_context
    if context is not None and (context.is_var or context.filters):  # a constant's `var` is its value
        return None
    # What TranslateNode.render gives: "%" doubled for the catalogue and restored after; a
    # template's own text is safe (not escaped), and so is its translation.
    msgid = variable.literal.replace("%", "%%")
    if context is not None:
        text = translation.pgettext(context.var, msgid)
    else:
        text = translation.gettext(msgid)
    return mark_safe(text.replace("%%", "%"))


def _fixed_static_url(node):
    """The URL of a `{% static %}` of a fixed path, when the same on every request, else None."""
    expression = node.path
    if node.varname or expression.filters or expression.is_var:  # a constant's `var` is its value
        return None
    if not settings.STATIC_URL.startswith(("/", "http://", "https://")):
        return None  # a relative STATIC_URL takes each request's script prefix
    try:
        url = StaticNode.handle_simple(expression.var)
    except ValueError:  # not in the manifest: left to fail on render, as before
        return None
    return url if conditional_escape(url) == url else None


class TranslatedTextNode(Node):
    """A `{% translate %}` of a fixed text, translated into the language its template was loaded
    in; rendered in another (inside `{% language %}`, or a block of a child template rendered in
    its parent's `{% language %}`), it is the original node's work again."""

    child_nodelists = ()

    def __init__(self, original, language, text):
        self.original, self.language, self.text = original, language, text
        self.token, self.origin = original.token, original.origin

    def render(self, context):
        if translation.get_language() == self.language:
            return self.text
        return self.original.render(context)


def fix_texts(nodelist):
    """Replace, in place and at every depth, each `{% translate %}` of a fixed text with its
    translation in the active language and each `{% static %}` of a fixed path with its URL."""
    for index, node in enumerate(nodelist):
        if isinstance(node, TranslateNode):
            if (text := _fixed_text(node)) is not None:
                nodelist[index] = TranslatedTextNode(node, translation.get_language(), text)
        elif isinstance(node, StaticNode):
            if (url := _fixed_static_url(node)) is not None:
                nodelist[index] = TextNode(url)
                nodelist[index].token, nodelist[index].origin = node.token, node.origin
        elif hasattr(node, "conditions_nodelists"):  # {% if %}: its `nodelist` is a new list each time
            for _, child in node.conditions_nodelists:
                fix_texts(child)
        else:
            for attribute in node.child_nodelists:
                fix_texts(getattr(node, attribute, None) or [])


class _Translating(base.Loader):
    def get_template(self, template_name, skip=None):
        template = super().get_template(template_name, skip)
        fix_texts(template.nodelist)
        return template


class Loader(cached.Loader, _Translating):
    """cached.Loader keyed by the active language too; each language's copy is compiled with its
    fixed texts (translations, static URLs) in place (by _Translating, before the cached loader
    keeps it)."""

    def cache_key(self, template_name, skip=None):
        return f"{translation.get_language()}:{super().cache_key(template_name, skip)}"
