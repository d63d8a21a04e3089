using PovertyNews.Web.Newsroom.Analytics;

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

/// <summary>The 阅读来源 table: its rows, the total they share, and where its CSV is (none on an article's page).</summary>
public sealed record SourcesView(IReadOnlyList<SourceReads> Rows, long Total, string? CsvUrl);
