namespace PovertyNews.Web.Pages.Admin.Media;

/// <summary>The upload form, on its own page and inside the editor's picker.</summary>
public sealed record UploadFormView(string? Error, string? AltText, long MaxBytes, long MaxPixels, string Id);
