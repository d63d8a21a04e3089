namespace PovertyNews.Web.Markdown;

// PLACEHOLDER: being replaced by the real implementation (Markdig + HtmlSanitizer).
public sealed class MarkdownRenderer
{
    /// <summary>Renders Markdown to sanitised HTML. Throws <see cref="MarkdownRejectedException"/> for input it refuses.</summary>
    public string Render(string markdown) => System.Net.WebUtility.HtmlEncode(markdown);

    /// <summary>The text of the Markdown without markup, for summaries and search.</summary>
    public string ToPlainText(string markdown) => markdown;
}

/// <summary>Input the renderer refuses (too large, too deeply nested); the message is shown to the editor in Chinese.</summary>
public sealed class MarkdownRejectedException(string message) : Exception(message);
