using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace PovertyNews.Web.Pages;

/// <summary>The head metadata a page sets for the layout: title, description, canonical URL, robots, share image.</summary>
public static class PageMeta
{
    public static void Set(ViewDataDictionary viewData, string title, string? description = null, string? canonicalPath = null, bool noIndex = false)
    {
        viewData["Title"] = title;
        viewData["Description"] = description;
        viewData["Canonical"] = canonicalPath;
        viewData["NoIndex"] = noIndex;
    }

    /// <summary>
    /// The page's own share image (a site-relative address of a 1200 × 630 JPEG, see Media/Sharing) and its text;
    /// pages that set none share the site's default image. <paramref name="generated"/> false: a picture of another
    /// shape and type (a topic's banner), whose size and type the head then does not claim.
    /// </summary>
    public static void SetShareImage(ViewDataDictionary viewData, string path, string? alt, bool generated = true)
    {
        viewData["ShareImage"] = path;
        viewData["ShareImageAlt"] = alt;
        viewData["ShareImageGenerated"] = generated;
    }
}
