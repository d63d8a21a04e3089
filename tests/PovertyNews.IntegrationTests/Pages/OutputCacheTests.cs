using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Admin;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Channels;
using PovertyNews.Web.Reading;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>
/// The output cache: each kind of change shows on the next request of the pages that show it, while a page that does
/// not show it is still served from the cache. "From the cache" is what the framework says with an Age header (it
/// sets one only on cached answers) and, where it matters, no SQL command sent for the request.
/// </summary>
public sealed class OutputCacheTests(SingleReviewLevelApp shared) : IClassFixture<SingleReviewLevelApp>, IAsyncLifetime
{
    private const string Browser = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130";
    private readonly NewsFactory _factory = shared.Factory;

    // One review level, so a test publishes through the real forms in three steps.
    private readonly WebApplicationFactory<Program> _app = shared.Factory;
    private readonly HttpClient _reader = shared.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync()
    {
        _reader.Dispose();
        return Task.CompletedTask;
    }

    private sealed record Answer(HttpStatusCode Status, string Body, bool FromCache, HttpResponseMessage Response);

    private async Task<Answer> GetAsync(string url, Action<HttpRequestMessage>? prepare = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.UserAgent.ParseAdd(Browser);
        prepare?.Invoke(request);
        var response = await (client ?? _reader).SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, body, response.Headers.Age is not null, response);
    }

    /// <summary>Requests each page until it is cached, and checks it then comes from the cache.</summary>
    private async Task WarmAsync(params string[] urls)
    {
        foreach (var url in urls)
        {
            var first = await GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, first.Status);
            Assert.True((await GetAsync(url)).FromCache, $"{url} was not served from the cache on its second request");
        }
    }

    /// <summary>A save through EF Core with nothing else: no PortalCache.Invalidate, no page involved.</summary>
    private async Task SaveAsync(Func<NewsDbContext, Task> change)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        await change(db);
        await db.SaveChangesAsync();
    }

    private async Task<int> IdAsync(string slug)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NewsDbContext>().Articles.Where(a => a.Slug == slug).Select(a => a.Id).SingleAsync();
    }

    private DateTime Now => _factory.Clock.GetUtcNow().UtcDateTime;

    private async Task<HttpClient> EditorAsync()
    {
        await _app.CreateUserInAsync("reporter@example.com", NewsRoles.Reporter);
        // The last review level is the editor-in-chief's.
        await _app.CreateUserInAsync("chief@example.com", NewsRoles.EditorInChief);
        return await _app.SignInToAsync("chief@example.com");
    }

    [Fact]
    public async Task SecondRead_IsServedFromTheCache_WithoutAnyQuery()
    {
        var id = await IdAsync("jinan-xiangxi-delegation");
        var first = await GetAsync($"/articles/{id}");
        Assert.False(first.FromCache);

        _factory.Commands.Reset();
        var second = await GetAsync($"/articles/{id}");

        Assert.True(second.FromCache);
        Assert.Equal(0, _factory.Commands.Count);
        Assert.Equal(first.Body, second.Body);
    }

    [Fact]
    public async Task Publish_ShowsOnTheFrontPageChannelAndFeed_WhileAnotherChannelStaysCached()
    {
        var editor = await EditorAsync();
        const string title = "对口帮扶新签约项目落地";
        var id = await _app.CreateDraftAsync("reporter@example.com", title, "xiezuo");
        await (await _app.SignInToAsync("reporter@example.com")).StepOkAsync(id, "submit");
        await editor.StepOkAsync(id, "pass", "同意");
        await WarmAsync("/", "/channels/xiezuo", "/feed.xml", "/channels/jiuye", "/channels/jiuye/feed.xml", "/archive");

        await editor.StepOkAsync(id, "publish");

        Assert.Contains(title, (await GetAsync("/")).Body);
        Assert.Contains(title, (await GetAsync("/channels/xiezuo")).Body);
        Assert.Contains(title, (await GetAsync("/feed.xml")).Body);
        Assert.False((await GetAsync("/archive")).FromCache);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/articles/{id}")).Status);
        // As the newest report it joins 热点新闻, so every page with the sidebars changes; another channel's feed does not.
        Assert.Contains(title, AngleSharpText.Text((await GetAsync("/channels/jiuye")).Body, ".sidebar--hot"));
        Assert.True((await GetAsync("/channels/jiuye/feed.xml")).FromCache);
    }

    [Fact]
    public async Task EditOfAPublishedTitle_ShowsOnItsPageAndListings_WhileAnotherChannelStaysCached()
    {
        var id = await IdAsync("kiwi-processing-poverty");
        await WarmAsync($"/articles/{id}", "/channels/chanye", "/channels/tuopin", "/channels/xiaozhen");

        await SaveAsync(async db => (await db.Articles.SingleAsync(a => a.Id == id)).Title = "猕猴桃加工厂扩建投产");

        Assert.Contains("猕猴桃加工厂扩建投产", (await GetAsync($"/articles/{id}")).Body);
        Assert.Contains("猕猴桃加工厂扩建投产", (await GetAsync("/channels/chanye")).Body);
        // The parent channel lists its sub-channels' articles.
        Assert.Contains("猕猴桃加工厂扩建投产", (await GetAsync("/channels/tuopin")).Body);
        Assert.True((await GetAsync("/channels/xiaozhen")).FromCache);
    }

    [Fact]
    public async Task EditOfTheBodyOnly_ChangesThePage_AndLeavesTheListingsCached()
    {
        var id = await IdAsync("kiwi-processing-poverty");
        await WarmAsync($"/articles/{id}", "/channels/chanye", "/");

        await SaveAsync(async db => (await db.Articles.SingleAsync(a => a.Id == id)).SetBody("新的正文", "<p>新的正文：加工厂扩建。</p>"));

        Assert.Contains("新的正文：加工厂扩建。", (await GetAsync($"/articles/{id}")).Body);
        Assert.True((await GetAsync("/channels/chanye")).FromCache);
        Assert.True((await GetAsync("/")).FromCache);
    }

    [Fact]
    public async Task Withdraw_TakesTheArticleOffItsPageListingsAndRelatedLists_WhileAnotherChannelStaysCached()
    {
        var editor = await EditorAsync();
        var id = await IdAsync("joint-meeting-signing");
        var neighbour = await IdAsync("jinan-xiangxi-delegation");
        await WarmAsync($"/articles/{id}", $"/articles/{neighbour}", "/channels/xiezuo", "/channels/jiuye/feed.xml");
        Assert.Contains($"/articles/{id}/", (await GetAsync($"/articles/{neighbour}")).Body);

        await editor.StepOkAsync(id, "withdraw", "核实有误");

        Assert.Equal(HttpStatusCode.Gone, (await GetAsync($"/articles/{id}")).Status);
        Assert.DoesNotContain($"/articles/{id}/", (await GetAsync("/channels/xiezuo")).Body);
        Assert.DoesNotContain($"/articles/{id}/", (await GetAsync($"/articles/{neighbour}")).Body);
        // Every page with sidebars may change (the report was among 热点新闻); another channel's feed does not.
        Assert.True((await GetAsync("/channels/jiuye/feed.xml")).FromCache);
    }

    [Fact]
    public async Task Correction_ShowsOnTheArticle_WhileTheFrontPageStaysCached()
    {
        var editor = await EditorAsync();
        var id = await IdAsync("joint-meeting-signing");
        await WarmAsync($"/articles/{id}", "/");

        await editor.StepOkAsync(id, "correct", "签约项目数量应为 12 个。");
        Assert.True((await GetAsync($"/articles/{id}")).FromCache, "a pending change is no change for readers");
        await _factory.ApproveChangeAsync(editor, id);

        var page = await GetAsync($"/articles/{id}");
        Assert.False(page.FromCache);
        Assert.Contains("【更正】签约项目数量应为 12 个。", page.Body);
        Assert.True((await GetAsync("/")).FromCache);
    }

    [Fact]
    public async Task HeadlinePlacement_ChangesTheFrontPageOnly()
    {
        var id = await IdAsync("aizhai-bridge");
        await WarmAsync("/", "/channels/xiaozhen", $"/articles/{id}");

        // Position 0 is above the sample content's own headlines (1, 2, …).
        await SaveAsync(db =>
        {
            db.Placements.Add(new Placement { Block = CurationBlock.Headline, ArticleId = id, Position = 0 });
            return Task.CompletedTask;
        });

        var front = await GetAsync("/");
        Assert.False(front.FromCache);
        Assert.Contains($"/articles/{id}/", AngleSharpText.Attr(front.Body, ".headline__title a", "href"));
        Assert.True((await GetAsync("/channels/xiaozhen")).FromCache);
        Assert.True((await GetAsync($"/articles/{id}")).FromCache);
    }

    [Fact]
    public async Task Pin_Changes热点新闻OnEveryPage_ButNotTheFeed()
    {
        var id = await IdAsync("vocational-school-training");
        await WarmAsync("/", "/channels/xiaozhen", "/feed.xml");

        await SaveAsync(db =>
        {
            db.Placements.Add(new Placement { Block = CurationBlock.HotNews, ArticleId = id, Position = 0 });
            return Task.CompletedTask;
        });

        Assert.Contains($"/articles/{id}/", AngleSharpText.Attr((await GetAsync("/channels/xiaozhen")).Body, ".sidebar--hot a", "href"));
        Assert.Contains($"/articles/{id}/", AngleSharpText.Attr((await GetAsync("/")).Body, ".sidebar--hot a", "href"));
        Assert.True((await GetAsync("/feed.xml")).FromCache);
    }

    [Fact]
    public async Task SidebarSettings_Another热点舆情Channel_ChangesTheSidebarEverywhere_ButNotTheFeed()
    {
        await WarmAsync("/", "/channels/xiaozhen", "/feed.xml");

        await SaveAsync(async db =>
        {
            var sidebars = await db.SidebarSettings.SingleAsync();
            sidebars.OpinionChannelId = await db.Channels.Where(c => c.Slug == "xiaozhen").Select(c => c.Id).SingleAsync();
        });

        foreach (var url in new[] { "/", "/channels/xiaozhen" })
        {
            var page = await GetAsync(url);
            Assert.False(page.FromCache, url);
            Assert.Equal("/channels/xiaozhen", AngleSharpText.Attr(page.Body, "#sb-opinion a", "href"));
        }
        Assert.True((await GetAsync("/feed.xml")).FromCache);
    }

    [Fact]
    public async Task ChannelDeletion_MovesArticlesInOneStatement_AndTheirPagesAndTheTargetListingChange()
    {
        var id = await IdAsync("vocational-school-training");
        await WarmAsync($"/articles/{id}", "/channels/chanye", "/");
        Assert.DoesNotContain("href=\"/channels/chanye\"", (await GetAsync($"/articles/{id}")).Body);
        Assert.DoesNotContain($"/articles/{id}/", (await GetAsync("/channels/chanye")).Body);

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            var jiuye = await db.Channels.Where(c => c.Slug == "jiuye").Select(c => c.Id).SingleAsync();
            var chanye = await db.Channels.Where(c => c.Slug == "chanye").Select(c => c.Id).SingleAsync();
            var result = await scope.ServiceProvider.GetRequiredService<ChannelService>().DeleteAsync(jiuye, chanye, CancellationToken.None);
            Assert.Equal(ResultKind.Done, result.Kind);
        }

        var article = await GetAsync($"/articles/{id}");
        Assert.False(article.FromCache);
        Assert.Contains("href=\"/channels/chanye\"", article.Body);
        var listing = await GetAsync("/channels/chanye");
        Assert.False(listing.FromCache);
        Assert.Contains($"/articles/{id}/", listing.Body);
    }

    [Fact]
    public async Task ChannelRename_ChangesTheNavigationEverywhere_AndADescriptionOnlyItsPage()
    {
        await WarmAsync("/", "/channels/xiaozhen", "/channels/yuqing", "/robots.txt");

        await SaveAsync(async db => (await db.Channels.SingleAsync(c => c.Slug == "yuqing")).Description = "新的栏目介绍");

        Assert.Contains("新的栏目介绍", (await GetAsync("/channels/yuqing")).Body);
        Assert.True((await GetAsync("/channels/xiaozhen")).FromCache);
        Assert.True((await GetAsync("/")).FromCache);

        await SaveAsync(async db => (await db.Channels.SingleAsync(c => c.Slug == "yuqing")).Name = "舆情观察");

        Assert.Contains("舆情观察", AngleSharpText.Text((await GetAsync("/")).Body, ".site-nav"));
        Assert.Contains("舆情观察", AngleSharpText.Text((await GetAsync("/channels/xiaozhen")).Body, ".site-nav"));
        Assert.True((await GetAsync("/robots.txt")).FromCache);
    }

    [Fact]
    public async Task SettingsForm_CopyrightNoticeChangesArticlePages_SiteNameChangesEveryPage()
    {
        await _app.CreateUserInAsync("admin@example.com", NewsRoles.Administrator);
        var admin = await _app.SignInToAsync("admin@example.com");
        var id = await IdAsync("jinan-xiangxi-delegation");
        await WarmAsync($"/articles/{id}", "/", "/channels/xiaozhen");

        using (var response = await admin.SubmitFormAsync("/admin/settings", "form.settings-form",
            new() { ["Input.CopyrightNotice"] = "新的版权声明：转载请注明出处。" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        Assert.Contains("新的版权声明：转载请注明出处。", (await GetAsync($"/articles/{id}")).Body);
        Assert.True((await GetAsync("/")).FromCache);
        Assert.True((await GetAsync("/channels/xiaozhen")).FromCache);

        using (var response = await admin.SubmitFormAsync("/admin/settings", "form.settings-form", new() { ["Input.SiteName"] = "扶贫资讯网" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        Assert.Contains("扶贫资讯网", AngleSharpText.Text((await GetAsync("/")).Body, ".site-name"));
        Assert.Contains("扶贫资讯网", AngleSharpText.Text((await GetAsync("/channels/xiaozhen")).Body, ".site-name"));
    }

    [Fact]
    public async Task TagAddedToAnArticle_ShowsOnItsPageAndTheTagListing_WhileAnotherTagStaysCached()
    {
        var id = await IdAsync("aizhai-bridge");
        var names = await _app.WithDbAsync(db =>
            db.Tags.Where(t => !t.Articles.Any(a => a.Id == id)).OrderBy(t => t.Id).Select(t => t.Name).Take(2).ToListAsync());
        var (tag, other) = (names[0], names[1]);
        var tagUrl = "/tags/" + Uri.EscapeDataString(tag);
        var otherUrl = "/tags/" + Uri.EscapeDataString(other);
        await WarmAsync($"/articles/{id}", tagUrl, otherUrl);
        Assert.DoesNotContain($"/articles/{id}/", AngleSharpText.Attr((await GetAsync(tagUrl)).Body, "main a", "href"));

        await SaveAsync(async db =>
        {
            var bridge = await db.Articles.Include(a => a.Tags).SingleAsync(a => a.Id == id);
            bridge.Tags.Add(await db.Tags.SingleAsync(t => t.Name == tag));
        });

        Assert.Contains($"/articles/{id}/", AngleSharpText.Attr((await GetAsync(tagUrl)).Body, "main a", "href"));
        Assert.Contains(tag, AngleSharpText.Text((await GetAsync($"/articles/{id}")).Body, ".article__tags"));
        Assert.True((await GetAsync(otherUrl)).FromCache);
    }

    [Fact]
    public async Task ScheduledArticle_AppearsAtItsTime_WithoutAnySaveThen()
    {
        await WarmAsync("/", "/channels/xiezuo");
        var due = Now.AddMinutes(30);
        var channelId = await _app.WithDbAsync(db => db.Channels.Where(c => c.Slug == "xiezuo").Select(c => c.Id).SingleAsync());
        var article = new ArticleBuilder(channelId, "定时发布的协作报道").PublishedAt(due).Build();
        await SaveAsync(db =>
        {
            db.Articles.Add(article);
            return Task.CompletedTask;
        });

        Assert.DoesNotContain("定时发布的协作报道", (await GetAsync("/")).Body);
        Assert.DoesNotContain("定时发布的协作报道", (await GetAsync("/channels/xiezuo")).Body);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync($"/articles/{article.Id}")).Status);

        _factory.Clock.Advance(TimeSpan.FromMinutes(31));

        Assert.Contains("定时发布的协作报道", (await GetAsync("/")).Body);
        Assert.Contains("定时发布的协作报道", (await GetAsync("/channels/xiezuo")).Body);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/articles/{article.Id}")).Status);
    }

    [Fact]
    public async Task SignedInStaff_GetFreshPages_AndTheirPagesNeverReachReaders()
    {
        await _app.CreateUserInAsync("admin@example.com", NewsRoles.Administrator);
        var admin = await _app.SignInToAsync("admin@example.com");
        var id = await IdAsync("jinan-xiangxi-delegation");

        var staffFirst = await GetAsync($"/articles/{id}", client: admin);
        var staffSecond = await GetAsync($"/articles/{id}", client: admin);
        var readerFirst = await GetAsync($"/articles/{id}");
        var readerSecond = await GetAsync($"/articles/{id}");
        var staffThird = await GetAsync($"/articles/{id}", client: admin);

        Assert.Equal(HttpStatusCode.OK, staffFirst.Status);
        Assert.False(staffSecond.FromCache);
        Assert.False(readerFirst.FromCache); // not the page rendered for the administrator
        Assert.True(readerSecond.FromCache);
        Assert.False(staffThird.FromCache);
        Assert.False(readerFirst.Response.Headers.Contains("Set-Cookie"));
        Assert.False(readerSecond.Response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task SearchPage_HasNoAntiforgeryCookie_AndIsCachedByItsFormFieldsOnly()
    {
        var first = await GetAsync("/search?q=湘西");
        Assert.False(first.Response.Headers.Contains("Set-Cookie"));

        Assert.True((await GetAsync("/search?q=湘西&utm_source=weibo")).FromCache);
        Assert.False((await GetAsync("/search?q=湘西&sort=date")).FromCache);
    }

    [Fact]
    public async Task RandomQueryStrings_DoNotGrowTheCache()
    {
        var store = _app.Services.GetRequiredService<ConsistentOutputCacheStore>();
        await WarmAsync("/channels/xiezuo");
        var stored = store.Stored;

        for (var i = 0; i < 20; i++)
        {
            Assert.True((await GetAsync($"/channels/xiezuo?x={Guid.NewGuid():N}")).FromCache);
        }
        Assert.True((await GetAsync("/channels/xiezuo?page=abc")).FromCache); // read as page 1, as the page does
        Assert.True((await GetAsync("/channels/xiezuo?PAGE=1&page=1")).FromCache);

        Assert.Equal(stored, store.Stored);
    }

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task CompressedAnswers_DecompressToTheSamePage_AndAreCachedPerEncoding(string encoding)
    {
        var id = await IdAsync("jinan-xiangxi-delegation");
        var plain = await GetAsync($"/articles/{id}");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/articles/{id}");
        request.Headers.UserAgent.ParseAdd(Browser);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        using var response = await _reader.SendAsync(request);
        var compressed = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal([encoding], response.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.True(compressed.Length < System.Text.Encoding.UTF8.GetByteCount(plain.Body) / 2);
        await using Stream decompressing = encoding == "br"
            ? new BrotliStream(new MemoryStream(compressed), CompressionMode.Decompress)
            : new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        Assert.Equal(plain.Body, await new StreamReader(decompressing).ReadToEndAsync());

        var again = await GetAsync($"/articles/{id}", r => r.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding)));
        var store = _app.Services.GetRequiredService<ConsistentOutputCacheStore>();
        Assert.True(again.FromCache, $"stored {store.Stored} skipped {store.Skipped} headers {response.Headers} {response.Content.Headers} again {again.Response.Headers}");
        Assert.Equal([encoding], again.Response.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task MatchingETag_Answers304_FromTheCache()
    {
        var id = await IdAsync("jinan-xiangxi-delegation");
        var first = await GetAsync($"/articles/{id}");
        var etag = first.Response.Headers.ETag;
        Assert.NotNull(etag);
        Assert.NotNull(first.Response.Content.Headers.LastModified);

        var revalidated = await GetAsync($"/articles/{id}", r => r.Headers.IfNoneMatch.Add(etag));
        var sinceThen = await GetAsync($"/articles/{id}", r => r.Headers.IfModifiedSince = first.Response.Content.Headers.LastModified);

        Assert.Equal(HttpStatusCode.NotModified, revalidated.Status);
        Assert.Equal("", revalidated.Body);
        Assert.Equal(HttpStatusCode.NotModified, sinceThen.Status);

        await SaveAsync(async db => (await db.Articles.SingleAsync(a => a.Id == id)).Title = "改过标题的济南报道");

        var changed = await GetAsync($"/articles/{id}", r => r.Headers.IfNoneMatch.Add(etag));
        Assert.Equal(HttpStatusCode.OK, changed.Status);
        Assert.NotEqual(etag, changed.Response.Headers.ETag);
    }

    [Fact]
    public async Task Feed_StillAnswers304ToItsOwnETag_ThroughTheCache()
    {
        var first = await GetAsync("/feed.xml");
        var cached = await GetAsync("/feed.xml");
        Assert.True(cached.FromCache);
        Assert.Equal(first.Response.Headers.ETag, cached.Response.Headers.ETag);

        var revalidated = await GetAsync("/feed.xml", r => r.Headers.IfNoneMatch.Add(first.Response.Headers.ETag!));

        Assert.Equal(HttpStatusCode.NotModified, revalidated.Status);
    }

    [Fact]
    public async Task Reads_AreCounted_WhenTheArticleComesFromTheCache()
    {
        var id = await IdAsync("aizhai-bridge");
        var answers = new List<Answer>();
        for (var i = 0; i < 4; i++)
        {
            // Four readers (one browser's reloads count once in the read window).
            var reader = i;
            answers.Add(await GetAsync($"/articles/{id}", r => r.Headers.UserAgent.ParseAdd($"Reader/{reader}")));
        }
        await GetAsync($"/articles/{id}", r => r.Headers.UserAgent.Clear());

        Assert.Equal([false, true, true, true], answers.Select(a => a.FromCache));
        Assert.Equal(4, await _app.Services.GetRequiredService<ViewFlushService>().FlushAsync());
    }

    [Fact]
    public async Task ThirdPlainRead_IsAnsweredAtTheDoor_WithTheCachedBytesAndHeaders_AndNoQuery()
    {
        var door = _app.Services.GetRequiredService<ReaderCacheDoor>();
        var id = await IdAsync("jinan-xiangxi-delegation");
        var ownCopies = door.OwnCopies;
        Assert.False((await GetAsync($"/articles/{id}")).FromCache);
        var cached = await GetAsync($"/articles/{id}"); // from the cache, which the door copies
        var served = door.Served;
        // The copy is the cache entry's own bytes: the entry holds the page as its last bytes.
        Assert.Equal(ownCopies, door.OwnCopies);

        _factory.Commands.Reset();
        var atDoor = await GetAsync($"/articles/{id}");

        Assert.Equal(served + 1, door.Served);
        Assert.Equal(0, _factory.Commands.Count);
        Assert.Equal(cached.Body, atDoor.Body);
        Assert.True(atDoor.FromCache);
        Assert.Equal(cached.Response.Headers.ETag, atDoor.Response.Headers.ETag);
        Assert.Equal(cached.Response.Content.Headers.ContentType, atDoor.Response.Content.Headers.ContentType);
        Assert.Equal(cached.Response.Content.Headers.LastModified, atDoor.Response.Content.Headers.LastModified);
        Assert.Equal(cached.Response.Headers.CacheControl, atDoor.Response.Headers.CacheControl);
        Assert.Equal(cached.Response.Headers.GetValues("Content-Security-Policy"), atDoor.Response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(cached.Response.Headers.GetValues("X-Frame-Options"), atDoor.Response.Headers.GetValues("X-Frame-Options"));
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(atDoor.Body), atDoor.Response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task LongAddress_IsAnsweredAtTheDoorToo()
    {
        // Past the length the door writes its key into on the stack: looked up by a key string instead.
        var door = _app.Services.GetRequiredService<ReaderCacheDoor>();
        var url = "/channels/xiezuo?from=" + new string('x', 1500);
        Assert.False((await GetAsync(url)).FromCache);
        var cached = await GetAsync(url);
        Assert.True(cached.FromCache);
        var served = door.Served;

        var atDoor = await GetAsync(url);

        Assert.Equal(served + 1, door.Served);
        Assert.Equal(cached.Body, atDoor.Body);
    }

    [Fact]
    public async Task EditAfterTheDoorAnswered_ShowsOnTheNextRead_AndTheDoorCopiesTheNewPage()
    {
        var door = _app.Services.GetRequiredService<ReaderCacheDoor>();
        var id = await IdAsync("kiwi-processing-poverty");
        var url = $"/articles/{id}";
        await WarmAsync(url);
        var served = door.Served;
        Assert.DoesNotContain("猕猴桃加工厂扩建投产", (await GetAsync(url)).Body);
        Assert.Equal(served + 1, door.Served);

        await SaveAsync(async db => (await db.Articles.SingleAsync(a => a.Id == id)).Title = "猕猴桃加工厂扩建投产");
        var after = await GetAsync(url);
        var again = await GetAsync(url); // the cache's new entry, copied
        var third = await GetAsync(url);

        Assert.Contains("猕猴桃加工厂扩建投产", after.Body);
        Assert.False(after.FromCache);
        Assert.Contains("猕猴桃加工厂扩建投产", again.Body);
        Assert.Contains("猕猴桃加工厂扩建投产", third.Body);
        Assert.Equal(served + 2, door.Served);
    }

    [Fact]
    public async Task BrotliAnswer_IsAnsweredAtTheDoor_FromTheCacheEntrysOwnBytes()
    {
        var door = _app.Services.GetRequiredService<ReaderCacheDoor>();
        var id = await IdAsync("aizhai-bridge");
        var ownCopies = door.OwnCopies;
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/articles/{id}");
            request.Headers.UserAgent.ParseAdd(Browser);
            request.Headers.AcceptEncoding.ParseAdd("br");
            answers.Add(await _reader.SendAsync(request));
        }
        var served = door.Served;

        var bodies = await Task.WhenAll(answers.Select(a => a.Content.ReadAsByteArrayAsync()));
        Assert.All(answers, a => Assert.Equal("br", Assert.Single(a.Content.Headers.ContentEncoding)));
        Assert.Equal(bodies[1], bodies[2]);
        Assert.Equal(ownCopies, door.OwnCopies);
        using var again = new HttpRequestMessage(HttpMethod.Get, $"/articles/{id}");
        again.Headers.UserAgent.ParseAdd(Browser);
        again.Headers.AcceptEncoding.ParseAdd("br");
        var fourth = await _reader.SendAsync(again);
        Assert.Equal(bodies[1], await fourth.Content.ReadAsByteArrayAsync());
        Assert.Equal(served + 1, door.Served);
    }

    [Fact]
    public async Task ChangeToAnotherArticle_LeavesThisPageAtTheDoor_AndTheChangedPageIsRenderedAgain()
    {
        var door = _app.Services.GetRequiredService<ReaderCacheDoor>();
        var id = await IdAsync("jinan-xiangxi-delegation");
        var other = await IdAsync("aizhai-bridge");
        await WarmAsync($"/articles/{id}", $"/articles/{other}");
        var served = door.Served;
        var copied = door.Copied;

        // Only the other article's page (and feeds and search) show its 来源.
        await SaveAsync(async db => (await db.Articles.SingleAsync(a => a.Id == other)).Source = "湘西州融媒体中心");
        var changed = await GetAsync($"/articles/{other}");
        var unchanged = await GetAsync($"/articles/{id}");

        Assert.False(changed.FromCache);
        Assert.Contains("湘西州融媒体中心", changed.Body);
        Assert.True(unchanged.FromCache);
        Assert.Equal(served + 1, door.Served);
        Assert.Equal(copied, door.Copied);
    }

    [Fact]
    public async Task Withdrawal_IsNotHiddenByTheDoor()
    {
        var door = _app.Services.GetRequiredService<ReaderCacheDoor>();
        var editor = await EditorAsync();
        var id = await IdAsync("aizhai-bridge");
        var url = $"/articles/{id}";
        await WarmAsync(url, "/");
        var served = door.Served;
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(url)).Status);
        Assert.Contains($"/articles/{id}/", (await GetAsync("/")).Body);
        Assert.Equal(served + 2, door.Served);

        await editor.StepOkAsync(id, "withdraw", "稿件撤回");

        Assert.Equal(HttpStatusCode.Gone, (await GetAsync(url)).Status);
        Assert.DoesNotContain($"/articles/{id}/", (await GetAsync("/")).Body);
        Assert.DoesNotContain($"/articles/{id}/", (await GetAsync("/")).Body);
    }

    [Fact]
    public async Task CookiesConditionalRequestsAndOtherHosts_GoPastTheDoor()
    {
        var door = _app.Services.GetRequiredService<ReaderCacheDoor>();
        await WarmAsync("/");
        var plain = await GetAsync("/");
        var served = door.Served;

        var large = await GetAsync("/", r => r.Headers.Add("Cookie", $"{ReadingMode.CookieName}=s2"));
        var revalidated = await GetAsync("/", r => r.Headers.IfNoneMatch.Add(plain.Response.Headers.ETag!));
        var otherHost = await GetAsync("/", r => r.Headers.Host = "elsewhere.example");
        var head = await _reader.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));

        Assert.Equal(served, door.Served);
        Assert.NotEqual(plain.Body, large.Body); // the 适老化 page, not the door's copy of the standard one
        Assert.Equal(HttpStatusCode.NotModified, revalidated.Status);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.NotEqual(HttpStatusCode.InternalServerError, otherHost.Status);
        Assert.True((await GetAsync("/")).FromCache);
        Assert.Equal(served + 1, door.Served);
    }
}

/// <summary>Small HTML lookups for answers read as strings.</summary>
internal static class AngleSharpText
{
    private static readonly AngleSharp.Html.Parser.HtmlParser Parser = new();

    public static string Text(string html, string selector) =>
        string.Join(" ", Parser.ParseDocument(html).QuerySelectorAll(selector).Select(e => e.TextContent));

    public static string Attr(string html, string selector, string attribute) =>
        string.Join(" ", Parser.ParseDocument(html).QuerySelectorAll(selector).Select(e => e.GetAttribute(attribute)));
}
