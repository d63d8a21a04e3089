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
    /// pages that set none share the site's default image.
    /// </summary>
    public static void SetShareImage(ViewDataDictionary viewData, string path, string? alt)
    {
        viewData["ShareImage"] = path;
        viewData["ShareImageAlt"] = alt;
    }
}
