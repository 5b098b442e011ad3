"""Django's cached template loader, one cache per language, with fixed texts resolved once.

A `{% translate "Basket" %}` is looked up in the catalogue on every render: Django builds a lazy
translation, forces it, localizes and escapes it, about 15 µs each; a product page has some sixty
(header, footer, sections). A `{% static "ocop/site.css" %}` asks the static files storage each
time, a `{% site_url "basket:summary" %}` (cms/templatetags/ocop_i18n.py) its cache of reversed
URLs. This loader keeps each compiled template once per active language and, in that language's
copy, replaces every `{% translate %}` of a fixed text (a literal, no filter, no `as`, no `noop`,
a literal context if any) with the text the catalogue gives for it, every `{% static %}` of a
fixed path (no `as`) with its URL, when STATIC_URL is absolute (a relative one takes each
request's script prefix), and every `{% site_url %}` of fixed arguments with its URL; then each
run of neighbouring fixed texts becomes one node, which the engine renders once instead of
several. Pages render the same bytes without asking again. A text rendered in another language
than its template was loaded in (`{% language %}`), or a URL under another script prefix, is
rendered as Django would. Anything else (`{% blocktranslate %}`, a translated variable) is left
to Django.

It keeps what Django's cached loader keeps (compiled templates, until the process restarts or
`reset()`: the development server's autoreloader calls it when a template changes); catalogues,
static files' names and URLs only change with a release (compilemessages, collectstatic), which
restarts the processes.
"""

from django.conf import settings
from django.template.base import Node, TextNode, Variable
from django.template.library import SimpleNode
from django.template.loaders import base, cached
from django.templatetags.i18n import TranslateNode
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

from cms.templatetags.ocop_i18n import site_url


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


def _fixed_site_url(node):
    """The URL of a `{% site_url %}` of fixed arguments (no `as`), else None."""
    if not isinstance(node, SimpleNode) or node.func is not site_url or node.target_var or node.kwargs:
        return None
    if any(arg.is_var or arg.filters for arg in node.args):
        return None
    url = site_url(*(arg.var for arg in node.args))
    return url if conditional_escape(url) == url else None


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
        if self.current():
            return self.text
        return self.original.render(context)

    def current(self):
        """Whether the text is what the original node would render now."""
        return translation.get_language() == self.language


class SiteUrlNode(TranslatedTextNode):
    """A `{% site_url %}` of fixed arguments, reversed in the language its template was loaded
    in and under that request's script prefix; rendered in another language or under another
    prefix (or another URLconf), it is the original node's work again."""

    def __init__(self, original, language, text):
        super().__init__(original, language, text)
        self.prefix, self.urlconf = get_script_prefix(), _urlconf()

    def current(self):
        return super().current() and get_script_prefix() == self.prefix and _urlconf() == self.urlconf


def _urlconf():
    """The URLconf that `reverse` uses now: a request's (Django's handler sets ROOT_URLCONF, or the
    request's own, at the start of each), else ROOT_URLCONF."""
    return get_urlconf() or settings.ROOT_URLCONF


class TextRunNode(Node):
    """Neighbouring fixed texts (template text, translated fixed texts, fixed URLs) printed as
    one: the engine renders one node instead of several. In another language than its template
    was loaded in (or, with a URL, under another script prefix), each is rendered again as its
    own node would."""

    child_nodelists = ()

    def __init__(self, nodes):
        self.nodes = nodes
        # Loaded together: what says whether one is still current says it for all (a URL's
        # check, which has the language's and the prefix's, else any translated text's).
        translated = [node for node in nodes if isinstance(node, TranslatedTextNode)]
        self.check = next((n for n in translated if isinstance(n, SiteUrlNode)), translated[0])
        self.text = mark_safe("".join(node.text if isinstance(node, TranslatedTextNode) else node.s for node in nodes))
        self.token, self.origin = nodes[0].token, nodes[0].origin

    def render(self, context):
        if self.check.current():
            return self.text
        return mark_safe("".join(node.render(context) for node in self.nodes))


def _fixed(node):
    return type(node) is TextNode or isinstance(node, TranslatedTextNode)


def join_texts(nodelist):
    """Replace, in place, each run of two or more fixed texts in `nodelist` with one node: a
    TextNode when none is translated (the same in every language), else a TextRunNode."""
    joined, run = [], []
    for node in [*nodelist, None]:
        if node is not None and _fixed(node):
            run.append(node)
            continue
        if len(run) > 1:
            translated = any(isinstance(n, TranslatedTextNode) for n in run)
            joined_node = TextRunNode(run) if translated else TextNode("".join(n.s for n in run))
            if not translated:
                joined_node.token, joined_node.origin = run[0].token, run[0].origin
            joined.append(joined_node)
        else:
            joined += run
        run = []
        if node is not None:
            joined.append(node)
    nodelist[:] = joined


def fix_texts(nodelist):
    """Replace, in place and at every depth, each `{% translate %}` of a fixed text with its
    translation in the active language and each `{% static %}` of a fixed path with its URL,
    then join each run of fixed texts into one node."""
    for index, node in enumerate(nodelist):
        if isinstance(node, TranslateNode):
            if (text := _fixed_text(node)) is not None:
                nodelist[index] = TranslatedTextNode(node, translation.get_language(), text)
        elif (url := _fixed_site_url(node)) is not None:
            nodelist[index] = SiteUrlNode(node, translation.get_language(), url)
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
    join_texts(nodelist)


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
