using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Common;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>
/// 适老化阅读 (issue 22, item 6) and the Chinese typography of the article page (item 7): the mode switch's links set
/// a cookie and come back, the mode is part of the cached page's key, and bad links get a 400 with a message.
/// </summary>
public sealed class ReadingModeTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private const string JinanSlug = "jinan-xiangxi-delegation";
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> ArticleUrlAsync() => $"/articles/{await _factory.ArticleIdAsync(JinanSlug)}/{JinanSlug}";

    private static HttpRequestMessage Get(string url, string? mode = null, string? referer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (mode is not null)
        {
            request.Headers.Add("Cookie", $"{ReadingMode.CookieName}={mode}");
        }
        if (referer is not null)
        {
            request.Headers.Referrer = new Uri(referer);
        }
        return request;
    }

    private async Task<AngleSharp.Html.Dom.IHtmlDocument> PageAsync(HttpClient reader, string url, string? mode)
    {
        using var response = await reader.SendAsync(Get(url, mode));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadPageAsync();
    }

    [Fact]
    public async Task SizeLink_SetsALongLivedCookie_AndGoesBackToTheReferringPage()
    {
        var url = await ArticleUrlAsync();
        using var response = await _factory.CreateReader().SendAsync(Get("/reading-mode?size=2&return=%2F", referer: "http://localhost" + url));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(url, response.Headers.Location!.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"{ReadingMode.CookieName}=s2;", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("expires=", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task Switch_ChangesOneSetting_AndKeepsTheOthers()
    {
        using var response = await _factory.CreateReader().SendAsync(Get("/reading-mode?contrast=on&return=%2F", mode: "s1w"));

        Assert.StartsWith($"{ReadingMode.CookieName}=s1cw;", Assert.Single(response.Headers.GetValues("Set-Cookie")));
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("https://evil.example/x", "//evil.example/y", "/")]
    [InlineData(null, "/%5Cevil.example", "/")]
    [InlineData(null, "/channels/dongxibu?page=2", "/channels/dongxibu?page=2")]
    public async Task ReturnAddress_IsOnlyEverAPathOnThisSite(string? referer, string back, string expected)
    {
        using var response = await _factory.CreateReader().SendAsync(
            Get("/reading-mode?size=1&return=" + Uri.EscapeDataString(Uri.UnescapeDataString(back)), referer: referer));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("size=7", "字号")]
    [InlineData("size=%2B1", "字号")]
    [InlineData("contrast=yes", "高对比度")]
    public async Task TamperedLink_Gets400WithAMessage_AndNoCookie(string query, string says)
    {
        using var response = await _factory.CreateReader().SendAsync(Get("/reading-mode?" + query));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(says, await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Reset_DeletesTheCookie()
    {
        using var response = await _factory.CreateReader().SendAsync(Get("/reading-mode?reset=1", mode: "s3cw"));

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"{ReadingMode.CookieName}=;", cookie);
        Assert.Contains("expires=Thu, 01 Jan 1970", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ModeCookie_PutsItsClassesOnThePage_AndTheSwitchMarksTheChoices()
    {
        var page = await PageAsync(_factory.CreateReader(), await ArticleUrlAsync(), "s3cw");

        Assert.Equal("mode-size-3 mode-contrast mode-spacing", page.DocumentElement.GetAttribute("class"));
        Assert.Equal(["特大", "高对比度", "加宽"],
            page.QuerySelectorAll(".reading-mode__choice[aria-current=true]").Select(a => a.Text()));
        Assert.Equal("适老化阅读设置：特大字·高对比度·宽行距", page.QuerySelector(".reading-mode summary").Text());
        Assert.All(page.QuerySelectorAll(".reading-mode a"), a => Assert.Equal("nofollow", a.GetAttribute("rel")));
    }

    [Fact]
    public async Task CachedPages_AreKeptApartByMode_AndAnUnknownCookieIsTheStandardPage()
    {
        var url = await ArticleUrlAsync();
        var reader = _factory.CreateReader();

        var standard = await PageAsync(reader, url, null);
        var large = await PageAsync(reader, url, "s2");
        var again = await PageAsync(reader, url, null);
        var junk = await PageAsync(reader, url, "<b>s9</b>");
        var largeAgain = await PageAsync(reader, url, "s2");

        Assert.Null(standard.DocumentElement.GetAttribute("class"));
        Assert.Equal("mode-size-2", large.DocumentElement.GetAttribute("class"));
        Assert.Null(again.DocumentElement.GetAttribute("class"));
        Assert.Null(junk.DocumentElement.GetAttribute("class"));
        Assert.Equal("mode-size-2", largeAgain.DocumentElement.GetAttribute("class"));
        Assert.Equal("适老化阅读设置", standard.QuerySelector(".reading-mode summary").Text());
    }

    [Fact]
    public async Task ArticleBody_IsIndentedAndJustified_ByDefault()
    {
        var page = await _factory.CreateReader().GetPageAsync(await ArticleUrlAsync());

        var body = page.QuerySelector(".article__body")!;
        Assert.Contains("article__body--indent", body.ClassList);
        Assert.Contains("article__body--justify", body.ClassList);
    }

    [Fact]
    public async Task DateModified_IsThePublication_UntilAReviewedChangeIsApplied_NotTheImport()
    {
        var url = await ArticleUrlAsync();
        var reader = _factory.CreateReader();

        var before = await reader.GetPageAsync(url);
        Assert.Equal(Published(before), DateModified(before));
        Assert.StartsWith("2020-06-23T", DateModified(before));

        var applied = new DateTime(2021, 1, 5, 2, 0, 0, DateTimeKind.Utc);
        var id = await _factory.ArticleIdAsync(JinanSlug);
        await _factory.WithDbAsync(async db =>
        {
            // A later change only started (never reviewed) must not count.
            db.ArticleReviews.Add(new ArticleReview { ArticleId = id, Action = ReviewAction.ChangeStarted, At = applied.AddDays(30), UserName = "测试" });
            db.ArticleReviews.Add(new ArticleReview { ArticleId = id, Action = ReviewAction.ChangeApplied, At = applied, UserName = "测试" });
            await db.SaveChangesAsync();
        });
        // A review row alone is not a save the cache watches; a real applied change also saves the article.
        await _factory.Services.GetRequiredService<ConsistentOutputCacheStore>().EvictByTagAsync(CacheTags.Reader, CancellationToken.None);

        var after = await reader.GetPageAsync(url);
        Assert.Equal("2021-01-05T10:00:00+08:00", DateModified(after));
        Assert.Equal("2021-01-05T10:00:00+08:00", after.QuerySelector("meta[property='article:modified_time']")!.GetAttribute("content"));
    }

    private static JsonElement JsonLd(AngleSharp.Html.Dom.IHtmlDocument page) =>
        JsonDocument.Parse(page.QuerySelector("script[type='application/ld+json']")!.TextContent).RootElement;

    private static string? DateModified(AngleSharp.Html.Dom.IHtmlDocument page) => JsonLd(page).GetProperty("dateModified").GetString();

    private static string? Published(AngleSharp.Html.Dom.IHtmlDocument page) => JsonLd(page).GetProperty("datePublished").GetString();
}
