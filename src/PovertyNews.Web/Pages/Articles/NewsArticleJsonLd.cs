using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Pages.Articles;

/// <summary>
/// schema.org NewsArticle for search engines: headline, dates with the +08:00 offset, author, publisher, and the
/// source (来源) as sourceOrganization, so a reprint is credited to the outlet it came from. A 图集 adds its pictures.
/// </summary>
public static class NewsArticleJsonLd
{
    // Keeps Chinese readable but still escapes <, > and &, so the text can never close the <script> element.
    private static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        WriteIndented = false,
    };

    /// <param name="commentCount">The approved 留言 shown under it; null when comments are off on this site.</param>
    public static string For(ShowModel.ArticlePage a, SiteSettings settings, string baseUrl, int? commentCount = null)
    {
        var url = baseUrl + a.Url;
        var publisher = new JsonObject { ["@type"] = "Organization", ["name"] = settings.SiteName, ["url"] = baseUrl + "/" };
        var json = new JsonObject
        {
            ["@context"] = "https://schema.org",
            ["@type"] = a.Kind == ArticleKind.Video ? "VideoObject" : "NewsArticle",
            ["mainEntityOfPage"] = new JsonObject { ["@type"] = "WebPage", ["@id"] = url },
            ["url"] = url,
            ["headline"] = a.Title,
            ["description"] = a.Summary,
            ["inLanguage"] = "zh-CN",
            ["datePublished"] = ChinaTime.FormatIso(a.PublishedAt!.Value),
            ["dateModified"] = ChinaTime.FormatIso(a.ModifiedAt ?? a.PublishedAt.Value),
            ["articleSection"] = a.ChannelName,
            ["author"] = a.Author is { } author
                ? new JsonObject { ["@type"] = "Person", ["name"] = author }
                : new JsonObject { ["@type"] = "Organization", ["name"] = a.Source ?? settings.SiteName },
            ["publisher"] = publisher,
            ["sourceOrganization"] = new JsonObject { ["@type"] = "Organization", ["name"] = a.Source ?? settings.SiteName },
            ["isAccessibleForFree"] = true,
        };
        if (a.Kind == ArticleKind.Video)
        {
            // VideoObject names its title "name" and its date "uploadDate".
            json["name"] = a.Title;
            json["uploadDate"] = json["datePublished"]!.DeepClone();
            if (AbsoluteUrl(a.VideoPosterUrl, baseUrl) is { } poster)
            {
                json["thumbnailUrl"] = poster;
            }
            if (VideoSource.IsPlayable(a.VideoUrl) && AbsoluteUrl(a.VideoUrl, baseUrl) is { } content)
            {
                json["contentUrl"] = content;
            }
            if (a.VideoDurationSeconds is > 0 and < 1e7 and var seconds)
            {
                json["duration"] = System.Xml.XmlConvert.ToString(TimeSpan.FromSeconds(Math.Round(seconds, MidpointRounding.AwayFromZero))); // ISO 8601, e.g. PT8S
            }
        }
        if (a.Gallery is { } gallery)
        {
            AddGallery(json, a, gallery, baseUrl);
        }
        else if (ImageOf(a, baseUrl) is { } image)
        {
            json["image"] = new JsonArray(image);
        }
        if (a.Tags.Count > 0)
        {
            json["keywords"] = string.Join(",", a.Tags.Select(t => t.Name));
        }
        if (commentCount is { } comments)
        {
            json["commentCount"] = comments;
        }
        if (a.ReprintedFrom is { } reprinted)
        {
            json["isBasedOn"] = new JsonObject { ["@type"] = "CreativeWork", ["publisher"] = new JsonObject { ["@type"] = "Organization", ["name"] = reprinted } };
        }
        return json.ToJsonString(Options);
    }

    /// <summary>
    /// A 图集 stays a NewsArticle (what search engines document for news reports), on a page typed ImageGallery
    /// (schema.org's WebPage for a collection of images), with each picture as an ImageObject of associatedMedia
    /// (address, caption, text alternative, position) and all of them in <c>image</c>, the list Google reads for an
    /// article's images.
    /// </summary>
    private static void AddGallery(JsonObject json, ShowModel.ArticlePage a, GalleryView gallery, string baseUrl)
    {
        json["mainEntityOfPage"]!["@type"] = "ImageGallery";
        json["mainEntityOfPage"]!["name"] = a.Title;
        var media = new JsonArray();
        var images = new JsonArray();
        if (AbsoluteUrl(a.CoverImageUrl, baseUrl) is { } cover)
        {
            images.Add(cover);
        }
        var position = 0;
        foreach (var picture in gallery.Pictures)
        {
            position++;
            if (AbsoluteUrl(picture.Src, baseUrl) is not { } src)
            {
                continue;
            }
            var item = new JsonObject { ["@type"] = "ImageObject", ["contentUrl"] = src, ["url"] = src, ["position"] = position };
            if (picture.CaptionText.Length > 0)
            {
                item["caption"] = picture.CaptionText;
            }
            if (picture.Alt.Length > 0)
            {
                item["description"] = picture.Alt;
            }
            media.Add(item);
            if (!images.Any(i => i!.GetValue<string>() == src))
            {
                images.Add(src);
            }
        }
        json["associatedMedia"] = media;
        if (images.Count > 0)
        {
            json["image"] = images;
        }
    }

    /// <summary>The picture that represents the article on share cards: the cover, a video's poster, a 图集's first picture.</summary>
    public static string? ImageOf(ShowModel.ArticlePage a, string baseUrl) =>
        AbsoluteUrl(a.CoverImageUrl, baseUrl) ?? AbsoluteUrl(a.VideoPosterUrl, baseUrl)
        ?? (a.Gallery is { Pictures: [var first, ..] } ? AbsoluteUrl(first.Src, baseUrl) : null);

    public static string? AbsoluteUrl(string? url, string baseUrl) => url switch
    {
        null or "" => null,
        _ when Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https" => absolute.AbsoluteUri,
        _ when url.StartsWith('/') && !url.StartsWith("//") => baseUrl + url,
        _ => null,
    };
}
