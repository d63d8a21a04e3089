using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace PovertyNews.Web.Pages;

/// <summary>The head metadata a page sets for the layout: title, description, canonical URL, robots.</summary>
public static class PageMeta
{
    public static void Set(ViewDataDictionary viewData, string title, string? description = null, string? canonicalPath = null, bool noIndex = false)
    {
        viewData["Title"] = title;
        viewData["Description"] = description;
        viewData["Canonical"] = canonicalPath;
        viewData["NoIndex"] = noIndex;
    }
}
