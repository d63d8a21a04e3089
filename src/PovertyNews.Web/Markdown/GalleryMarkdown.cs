using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace PovertyNews.Web.Markdown;

/// <summary>One picture of a 图集: its address, its text alternative and its caption (Markdown, possibly empty).</summary>
public sealed record GalleryItem(string Url, string Alt, string Caption);

/// <summary>
/// A gallery body read back: the introduction before the first picture, the pictures in order, and the addresses of
/// images that are not on a line of their own (inside a caption, a list, a quote), which the gallery would not show
/// as pictures of its own.
/// </summary>
public sealed record GalleryBody(string Intro, IReadOnlyList<GalleryItem> Items, IReadOnlyList<string> StrayImages);

/// <summary>
/// The one form a 图集's pictures take in the article's Markdown body, so that 三审, revisions, diffs, the sanitiser,
/// media "where used" and search cover a gallery like any other text, with no tables of their own:
/// <code>
/// An optional introduction: any Markdown before the first picture.
///
/// ![替代文字](/media/….jpg)
///
/// The caption of that picture: the paragraphs (any Markdown) up to the next picture.
///
/// ![替代文字](/media/….jpg)
/// </code>
/// A picture is a paragraph that holds one image and nothing else (a blank line before and after it). An image with
/// text on its line, or inside a list or quote, is not a picture of the gallery; <see cref="Parse"/> reports it as
/// stray so the editor can be told. The reader page splits the rendered HTML by the same rule (a <c>&lt;p&gt;</c>
/// holding only an <c>&lt;img&gt;</c>), and wwwroot/js/gallery-editor.js reads and writes the same form.
/// </summary>
public static partial class GalleryMarkdown
{
    private static readonly MarkdownPipeline Pipeline = MarkdownPipelines.Build(preciseSourceLocation: false);

    /// <summary>
    /// Reads a gallery body. Throws <see cref="MarkdownRejectedException"/> for input the renderer would also refuse
    /// (too long, too deep, too dense), with the same messages.
    /// </summary>
    public static GalleryBody Parse(string? markdown)
    {
        var text = MarkdownInputScan.Prepare(markdown);
        return text.Length == 0
            ? new GalleryBody("", [], [])
            : MarkdownTimeoutGuard.Run(() => ParseCore(text), MarkdownLimits.RenderTimeout);
    }

    private static GalleryBody ParseCore(string text)
    {
        var document = MarkdownPipelines.Parse(text, Pipeline);
        var lines = text.Split('\n');
        // (first line, line after the last, image) of each picture paragraph, in order.
        var pictures = new List<(int Start, int End, LinkInline Image)>();
        foreach (var block in document)
        {
            if (block is ParagraphBlock paragraph && LoneImage(paragraph) is { } image)
            {
                // Span.End is the paragraph's last character; the caption starts on the line after it.
                var last = text.AsSpan(0, Math.Clamp(paragraph.Span.End, 0, text.Length - 1) + 1).Count('\n');
                pictures.Add((paragraph.Line, Math.Max(paragraph.Line, last) + 1, image));
            }
        }
        var pictureImages = pictures.Select(p => p.Image).ToHashSet();
        var stray = document.Descendants<LinkInline>()
            .Where(l => l.IsImage && !pictureImages.Contains(l))
            .Select(l => l.Url ?? "")
            .ToList();

        var intro = Lines(lines, 0, pictures.Count > 0 ? pictures[0].Start : lines.Length);
        var items = new List<GalleryItem>(pictures.Count);
        for (var i = 0; i < pictures.Count; i++)
        {
            var (_, end, image) = pictures[i];
            var captionEnd = i + 1 < pictures.Count ? pictures[i + 1].Start : lines.Length;
            items.Add(new GalleryItem(image.Url ?? "", AltOf(image), Lines(lines, end, captionEnd)));
        }
        return new GalleryBody(intro, items, stray);
    }

    /// <summary>The body for these pictures, in the form above; the introduction and captions are written as they are.</summary>
    public static string Write(string? intro, IEnumerable<GalleryItem> items)
    {
        var parts = new List<string>();
        if (Trimmed(intro) is { Length: > 0 } introText)
        {
            parts.Add(introText);
        }
        foreach (var item in items)
        {
            parts.Add($"![{EscapeAlt(item.Alt)}]({EscapeUrl(item.Url.Trim())})");
            if (Trimmed(item.Caption) is { Length: > 0 } caption)
            {
                parts.Add(caption);
            }
        }
        return parts.Count == 0 ? "" : string.Join("\n\n", parts) + "\n";
    }

    /// <summary>
    /// The alternative text with the characters Markdown would read as markup escaped, so it reads back as written.
    /// Line breaks become spaces: an image's text is one line.
    /// </summary>
    public static string EscapeAlt(string alt) =>
        AltMarkup().Replace(Whitespace().Replace(alt.Trim(), " "), @"\$0");

    /// <summary>Spaces, parentheses and angle brackets percent-escaped, so the address stays one link destination.</summary>
    public static string EscapeUrl(string url)
    {
        var builder = new StringBuilder(url.Length);
        foreach (var c in url)
        {
            builder.Append(c switch
            {
                ' ' => "%20",
                '(' => "%28",
                ')' => "%29",
                '<' => "%3C",
                '>' => "%3E",
                _ when char.IsWhiteSpace(c) => "",
                _ => c.ToString(),
            });
        }
        return builder.ToString();
    }

    private static LinkInline? LoneImage(ParagraphBlock paragraph)
    {
        LinkInline? image = null;
        for (var inline = paragraph.Inline?.FirstChild; inline is not null; inline = inline.NextSibling)
        {
            switch (inline)
            {
                case LinkInline { IsImage: true } link when image is null:
                    image = link;
                    break;
                case LiteralInline literal when literal.Content.IsEmptyOrWhitespace():
                case LineBreakInline:
                    break;
                default:
                    return null;
            }
        }
        return image;
    }

    /// <summary>The image's text as the HTML renderer writes it into <c>alt</c>: the text of its children, without markup.</summary>
    private static string AltOf(LinkInline image)
    {
        var builder = new StringBuilder();
        foreach (var inline in image.Descendants<Inline>())
        {
            switch (inline)
            {
                case LiteralInline literal:
                    builder.Append(literal.Content.AsSpan());
                    break;
                case CodeInline code:
                    builder.Append(code.Content);
                    break;
                case HtmlEntityInline entity:
                    builder.Append(entity.Transcoded.AsSpan());
                    break;
                case AutolinkInline autolink:
                    builder.Append(autolink.Url);
                    break;
                case LineBreakInline:
                    builder.Append(' ');
                    break;
            }
        }
        return builder.ToString().Trim();
    }

    private static string Lines(string[] lines, int start, int end) =>
        start >= end ? "" : Trimmed(string.Join('\n', lines[start..Math.Min(end, lines.Length)])) ?? "";

    /// <summary>Without blank lines around it and without trailing spaces on the last line; inner text as written.</summary>
    private static string? Trimmed(string? text) =>
        text is null ? null : text.ReplaceLineEndings("\n").Trim('\n', '\r', ' ', '\t');

    [GeneratedRegex(@"[\\`*_\[\]<>&~^+=""!#|{}]")]
    private static partial Regex AltMarkup();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
