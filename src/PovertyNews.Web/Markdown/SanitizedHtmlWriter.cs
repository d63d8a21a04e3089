using System.Text;
using AngleSharp.Dom;

namespace PovertyNews.Web.Markdown;

/// <summary>
/// Writes a sanitised DOM back out as HTML, in linear time. Follows the HTML fragment serialisation algorithm for the
/// elements the sanitizer lets through; text is always escaped (no raw-text element such as script or style survives
/// the sanitizer), and attribute values escape &lt; and &gt; as well, so nothing can re-parse differently.
/// </summary>
internal static class SanitizedHtmlWriter
{
    private static readonly HashSet<string> VoidElements =
    [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    ];

    public static string Serialize(IElement? root)
    {
        if (root is null)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        WriteChildren(builder, root);
        return builder.ToString();
    }

    private static void WriteChildren(StringBuilder builder, INode parent)
    {
        var children = parent.ChildNodes;
        for (var i = 0; i < children.Length; i++)
        {
            switch (children[i])
            {
                case IElement element:
                    WriteElement(builder, element);
                    break;
                case IText text:
                    WriteEscaped(builder, text.Data, attribute: false);
                    break;
            }
        }
    }

    private static void WriteElement(StringBuilder builder, IElement element)
    {
        var name = element.LocalName;
        builder.Append('<').Append(name);
        foreach (var attribute in element.Attributes)
        {
            builder.Append(' ').Append(attribute.Name).Append("=\"");
            WriteEscaped(builder, attribute.Value, attribute: true);
            builder.Append('"');
        }

        builder.Append('>');
        if (VoidElements.Contains(name))
        {
            return;
        }

        // The parser drops a newline right after <pre>; write one more so a leading newline of the content survives.
        if (name is "pre" or "textarea" or "listing" && element.FirstChild is IText { Data: ['\n', ..] })
        {
            builder.Append('\n');
        }

        WriteChildren(builder, element);
        builder.Append("</").Append(name).Append('>');
    }

    private static void WriteEscaped(StringBuilder builder, string value, bool attribute)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '&':
                    builder.Append("&amp;");
                    break;
                case '<':
                    builder.Append("&lt;");
                    break;
                case '>':
                    builder.Append("&gt;");
                    break;
                case '\u00A0':
                    builder.Append("&nbsp;");
                    break;
                case '"' when attribute:
                    builder.Append("&quot;");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }
    }
}
