using PovertyNews.Web.Domain;
using PovertyNews.Web.Markdown;

namespace PovertyNews.Web.Newsroom.Articles;

/// <summary>
/// What a 图集's body must hold (its form is described on <see cref="GalleryMarkdown"/>): at least one picture, each
/// from the media library and with its text alternative, and no image outside that form, which readers would see
/// inside a caption rather than as a picture of the gallery.
/// </summary>
public static class GalleryRules
{
    public const int MaxImages = 200;

    /// <summary>
    /// The sample pictures shipped with the site's starting content (content/, wwwroot/images/samples/) count as
    /// library pictures: they are the site's own files, served and cached like the library's.
    /// </summary>
    public const string SamplePrefix = "/images/samples/";

    public static IEnumerable<string> Problems(string? body)
    {
        GalleryBody gallery;
        try
        {
            gallery = GalleryMarkdown.Parse(body);
        }
        catch (MarkdownRejectedException)
        {
            yield break; // the body's own check (rendering it for the save) gives the message
        }
        if (gallery.Items.Count == 0)
        {
            yield return "图集至少要有一张图片：在图集面板中从媒体库添加，或在正文中单独一行写“![图片说明](/media/…)”。";
            yield break;
        }
        if (gallery.Items.Count > MaxImages)
        {
            yield return $"图集最多 {MaxImages} 张图片，请拆分为多个图集。";
        }
        for (var i = 0; i < gallery.Items.Count; i++)
        {
            var item = gallery.Items[i];
            if (!IsLibraryUrl(item.Url))
            {
                yield return $"图集第 {i + 1} 张图片须来自本站媒体库（地址以 /media/ 开头），请从媒体库选择或先上传。";
            }
            if (item.Alt.Length == 0)
            {
                yield return $"图集第 {i + 1} 张图片缺少替代文字（供读屏软件和图片无法显示时使用），请在图集面板中填写。";
            }
        }
        if (gallery.StrayImages.Count > 0)
        {
            yield return "图集的每张图片须单独成段：图片单独一行，前后各空一行，图片说明另起一段。";
        }
    }

    /// <summary>An original in the media library, or one of the site's sample pictures.</summary>
    public static bool IsLibraryUrl(string url) =>
        MediaName.TryParseUrl(url, out _)
        || (url.StartsWith(SamplePrefix, StringComparison.Ordinal) && !url.Contains("..", StringComparison.Ordinal)
            && !url.Contains('?') && !url.Contains('#'));
}
