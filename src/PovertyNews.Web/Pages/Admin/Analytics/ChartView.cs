namespace PovertyNews.Web.Pages.Admin.Analytics;

/// <summary>
/// A chart image for <c>_Chart.cshtml</c>: the wide drawing, and the narrow one a phone gets instead (the same address
/// with <c>size=narrow</c>), so labels keep their size on a small screen. <see cref="Alt"/> says the key figures; the
/// table beside each chart has them all.
/// </summary>
public sealed record ChartView(string Url, (int Width, int Height) Size, string Alt)
{
    public string NarrowUrl => Url + (Url.Contains('?') ? "&" : "?") + "size=narrow";
}
