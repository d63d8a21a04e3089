using AngleSharp.Dom;
using Ganss.Xss;

namespace PovertyNews.Web.Markdown;

/// <summary>
/// The HtmlSanitizer configured for Markdig's output: the tags and attributes articles may contain, safe link schemes,
/// external links marked nofollow, lazy images and scrollable tables. Built once and only read afterwards.
/// </summary>
internal sealed class MarkdownSanitizer
{
    private static readonly string[] AllowedTagNames =
    [
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6",
        "strong", "em", "del", "ins", "mark", "sub", "sup", "code", "pre", "blockquote",
        "ul", "ol", "li", "dl", "dt", "dd",
        "table", "thead", "tbody", "tr", "th", "td",
        "a", "img", "figure", "figcaption", "abbr", "cite", "footer", "div", "span", "section",
        "input", // only the disabled checkbox of task lists survives PostProcessNode
    ];

    private static readonly string[] AllowedAttributeNames =
    [
        "href", "src", "alt", "title", "id", "class", "colspan", "rowspan", "start", "align",
        "type", "checked", "disabled", // ol type="a" of list extras; the task-list checkbox
    ];

    /// <summary>Footnotes and task lists; pipe and grid tables, figures and the other enabled extensions write none.</summary>
    private static readonly string[] RendererClasses =
    [
        "footnotes", "footnote-ref", "footnote-back-ref",
        "contains-task-list", "task-list-item",
    ];

    private readonly HtmlSanitizer _sanitizer = Build();

    /// <summary>
    /// SanitizeDom, not Sanitize: AngleSharp's own serializer is quadratic in the number of siblings (20,000
    /// paragraphs take seconds), so SanitizedHtmlWriter writes the sanitised tree out instead.
    /// </summary>
    public string Sanitize(string html) => SanitizedHtmlWriter.Serialize(_sanitizer.SanitizeDom(html, string.Empty).Body);

    private static HtmlSanitizer Build()
    {
        var sanitizer = new HtmlSanitizer
        {
            AllowDataAttributes = false,
            AllowCssCustomProperties = false,
            // Markdig only emits its own tags (raw HTML is off); if one we do not list appears, keep its text.
            KeepChildNodes = true,
        };
        Reset(sanitizer.AllowedTags, AllowedTagNames);
        Reset(sanitizer.AllowedAttributes, AllowedAttributeNames);
        Reset(sanitizer.AllowedSchemes, ["http", "https", "mailto"]);
        Reset(sanitizer.UriAttributes, ["href", "src"]);
        sanitizer.UriListAttributes.Clear();
        sanitizer.AllowedCssProperties.Clear();
        sanitizer.AllowedAtRules.Clear();
        // Only the classes Markdig's enabled extensions write (and table-wrap, added below, after the class check). An
        // empty set would mean "any class": an author could then borrow the site's own classes from a custom container
        // (::: article__withdrawn) to fake a 撤稿 notice or hide text from reviewers. Custom containers keep their
        // element and lose their classes.
        Reset(sanitizer.AllowedClasses, RendererClasses);
        sanitizer.RemovingCssClass += (_, e) => e.Cancel = e.Tag.LocalName == "code" && IsCodeLanguage(e.CssClass);

        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is not IElement element)
            {
                return;
            }

            switch (element.LocalName)
            {
                case "a" when IsExternal(element.GetAttribute("href")):
                    element.SetAttribute("rel", "nofollow noopener noreferrer");
                    break;
                case "img":
                    element.SetAttribute("loading", "lazy");
                    break;
                case "input":
                    if (string.Equals(element.GetAttribute("type"), "checkbox", StringComparison.OrdinalIgnoreCase))
                    {
                        element.SetAttribute("disabled", "disabled");
                    }
                    else
                    {
                        e.ReplacementNodes.Add(e.Document.CreateTextNode(string.Empty)); // i.e. remove it
                    }

                    break;
            }
        };

        // Tables get a wrapper that CSS can scroll horizontally on phones.
        sanitizer.PostProcessDom += (_, e) =>
        {
            foreach (var table in e.Document.QuerySelectorAll("table").ToArray())
            {
                if (table.ParentElement is { LocalName: "div" } parent && parent.ClassList.Contains("table-wrap"))
                {
                    continue;
                }

                var wrapper = e.Document.CreateElement("div");
                wrapper.ClassName = "table-wrap";
                table.Before(wrapper);
                wrapper.AppendChild(table);
            }
        };

        return sanitizer;
    }

    /// <summary>language-xyz, as Markdig writes it on the code of a fenced block, only on code.</summary>
    private static bool IsCodeLanguage(string cssClass) =>
        cssClass.Length is > 9 and <= 40
        && cssClass.StartsWith("language-", StringComparison.Ordinal)
        && cssClass.AsSpan(9).IndexOfAnyExcept(LanguageCharacters) < 0;

    private static readonly System.Buffers.SearchValues<char> LanguageCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+#-_.");

    private static void Reset(ISet<string> set, IEnumerable<string> values)
    {
        set.Clear();
        set.UnionWith(values);
    }

    private static bool IsExternal(string? href) =>
        href is not null
        && (href.StartsWith("http:", StringComparison.OrdinalIgnoreCase)
            || href.StartsWith("https:", StringComparison.OrdinalIgnoreCase)
            || href.StartsWith("//", StringComparison.Ordinal));
}
