using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>
/// Feed readers show an item's title and description as HTML: plain text goes out escaped for HTML, then for XML, so
/// markup in a title is shown as text, never run (issue 15, item 8).
/// </summary>
public sealed class FeedEncodingTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private const string Title = "<script>alert(1)</script><img src=x onerror=alert(2)> 扶贫 & 协作";
    private const string Summary = "<b onmouseover=alert(3)>摘要</b> \"引号\" & 'x'";
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("/feed.xml")]
    [InlineData("/channels/xiezuo/feed.xml")]
    public async Task MarkupInTitleAndSummary_IsTextInHtml(string feed)
    {
        await _factory.WithDbAsync(async db =>
        {
            var channel = await db.Channels.FirstAsync(c => c.Slug == "xiezuo");
            db.Articles.Add(new ArticleBuilder(channel.Id, Title).Summary(Summary).PublishedAt(_factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(-1)).Build());
            await db.SaveChangesAsync();
        });
        using var reader = _factory.CreateReader();

        var xml = XDocument.Parse(await reader.GetStringAsync(feed));
        var item = xml.Descendants("item").First();

        // What a reader gets after XML parsing is HTML that shows the text as written.
        Assert.DoesNotContain("<", item.Element("title")!.Value);
        Assert.DoesNotContain("<", item.Element("description")!.Value);
        Assert.Equal(Title, System.Net.WebUtility.HtmlDecode(item.Element("title")!.Value));
        Assert.Equal(Summary, System.Net.WebUtility.HtmlDecode(item.Element("description")!.Value));
    }
}
