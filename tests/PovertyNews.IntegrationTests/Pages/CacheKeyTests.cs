using System.Net;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>
/// A cached answer must be the page its cache key names: whatever a request carries, the page reads the query as the
/// cache key does, so no request can store one page under another page's key (issue 15, item 1).
/// </summary>
public sealed class CacheKeyTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private readonly HttpClient _reader = shared.Factory.CreateReader();

    /// <summary>A channel, a tag and a search with two pages each.</summary>
    public async Task InitializeAsync()
    {
        await shared.ResetAsync();
        await shared.Factory.WithDbAsync(async db =>
        {
            var channel = new Channel { Slug = "paging", Name = "分页栏目", SortOrder = 100 };
            db.Channels.Add(channel);
            await db.SaveChangesAsync();
            var tag = await db.Tags.FirstAsync(t => t.Name == "湘西");
            var start = new DateTime(2021, 3, 1, 0, 0, 0, DateTimeKind.Utc);
            for (var i = 0; i < 25; i++)
            {
                var article = new ArticleBuilder(channel.Id, $"湘西分页测试{i:D3}").PublishedAt(start.AddHours(i)).Build();
                article.Tags.Add(tag);
                db.Articles.Add(article);
            }
            await db.SaveChangesAsync();
        });
    }

    public Task DisposeAsync()
    {
        _reader.Dispose();
        return Task.CompletedTask;
    }

    private async Task<string> BodyAsync(string url)
    {
        using var response = await _reader.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The articles a listing or search shows (not the sidebars).</summary>
    private async Task<string[]> ListedAsync(string url) =>
        (await _reader.GetPageAsync(url))
            .QuerySelectorAll(".article-list__item a[href^='/articles/'], .search-result__title a")
            .Select(a => a.GetAttribute("href")!).Distinct().ToArray();

    [Theory]
    [InlineData("/channels/paging", "%2B2")]
    [InlineData("/channels/paging", "%202")]
    [InlineData("/channels/paging", "2%20")]
    [InlineData("/tags/%E6%B9%98%E8%A5%BF", "%2B2")]
    [InlineData("/tags/%E6%B9%98%E8%A5%BF", "%202")]
    [InlineData("/tags/%E6%B9%98%E8%A5%BF", "2%20")]
    [InlineData("/search?q=%E6%B9%98%E8%A5%BF", "%2B2")]
    [InlineData("/search?q=%E6%B9%98%E8%A5%BF", "2%20")]
    public async Task OddPageValue_FirstRequested_DoesNotPutPageTwoUnderPageOne(string path, string oddPage)
    {
        var separator = path.Contains('?') ? '&' : '?';
        await BodyAsync($"{path}{separator}page={oddPage}");
        var first = await ListedAsync(path);
        var second = await ListedAsync($"{path}{separator}page=2");

        Assert.NotEmpty(first);
        Assert.NotEmpty(second);
        Assert.Empty(first.Intersect(second));
    }

    [Theory]
    [InlineData("/search?q=%E6%B9%98%E8%A5%BF&form.q=INJECTED-TEXT", "/search?q=%E6%B9%98%E8%A5%BF")]
    [InlineData("/search?q=%E6%B9%98%E8%A5%BF&form.page=2&form.q=INJECTED-TEXT", "/search?q=%E6%B9%98%E8%A5%BF")]
    public async Task PrefixedSearchFields_AreIgnored_AndNeverReachTheCachedPage(string poisoned, string clean)
    {
        var attack = await BodyAsync(poisoned);
        Assert.DoesNotContain("INJECTED-TEXT", attack);

        Assert.DoesNotContain("INJECTED-TEXT", await BodyAsync(clean));
        Assert.NotEmpty(await ListedAsync(clean));
    }

    [Theory]
    [InlineData("/archive?year=2020&month=10", "/archive", "往期回顾</h1>")]
    [InlineData("/archive/2020?month=10", "/archive/2020", "2020年报道</h1>")]
    [InlineData("/channels/xiaozhen?slug=xiezuo", "/channels/xiaozhen", "特色小镇")]
    public async Task RouteValuesInTheQuery_AreIgnored(string poisoned, string clean, string expected)
    {
        Assert.Contains(expected, await BodyAsync(poisoned));
        Assert.Contains(expected, await BodyAsync(clean));
    }
}
