using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace PovertyNews.Web.Pages.Articles;

/// <summary>
/// A 图集 as the reader page shows it, cut out of the body's stored, sanitised HTML: what Markdig made of the canonical
/// Markdown (<see cref="Markdown.GalleryMarkdown"/>). A top-level <c>&lt;p&gt;</c> holding one <c>&lt;img&gt;</c> and
/// nothing else starts a picture; the elements after it, up to the next picture, are its caption; those before the
/// first picture are the introduction. Working from the HTML keeps the reviewed, sanitised text the only thing shown,
/// and works alike for the published page and the previews of versions not published yet.
/// </summary>
public sealed record GalleryView(string IntroHtml, IReadOnlyList<GalleryView.Picture> Pictures)
{
    public sealed record Picture(string Src, string Alt, string CaptionHtml, string CaptionText);

    private static readonly HtmlParser Parser = new();

    public static GalleryView FromHtml(string bodyHtml)
    {
        var document = Parser.ParseDocument("<!doctype html><html><body>" + bodyHtml + "</body></html>");
        var intro = new StringBuilder();
        var pictures = new List<Picture>();
        (string Src, string Alt)? current = null;
        var caption = new StringBuilder();
        var captionText = new StringBuilder();

        void Flush()
        {
            if (current is { } c)
            {
                pictures.Add(new Picture(c.Src, c.Alt, caption.ToString().Trim(), Collapse(captionText.ToString())));
            }
            caption.Clear();
            captionText.Clear();
        }

        foreach (var element in document.Body!.Children)
        {
            if (LoneImage(element) is { } image)
            {
                Flush();
                current = (image.GetAttribute("src") ?? "", image.GetAttribute("alt") ?? "");
                continue;
            }
            if (current is null)
            {
                intro.Append(element.OuterHtml).Append('\n');
            }
            else
            {
                caption.Append(element.OuterHtml).Append('\n');
                captionText.Append(element.TextContent).Append(' ');
            }
        }
        Flush();
        return new GalleryView(intro.ToString().Trim(), pictures);
    }

    private static IElement? LoneImage(IElement element) =>
        element.LocalName == "p" && element.Children.Length == 1 && element.Children[0] is { LocalName: "img" } image
        && string.IsNullOrWhiteSpace(element.TextContent)
            ? image
            : null;

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
