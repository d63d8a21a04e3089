using PovertyNews.Web.Newsroom.Articles;

namespace PovertyNews.Web.Pages.Admin.Articles;

/// <summary>The editor form partial's model; <see cref="Input"/> keeps the field names "Input.Title" and so on.</summary>
public sealed record EditorFormView(ArticleInput Input, EditorFormOptions Options, string? AutosaveUrl, string SubmitLabel,
    string? AutomaticSummary = null, bool OffersCorrection = false);
