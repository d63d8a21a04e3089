using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Api;

/// <summary>An app whose API has a generous anonymous limit and one partner origin allowed for CORS.</summary>
public sealed class ApiApp() : SharedNewsApp(b =>
{
    b.UseSetting("PovertyNews:Api:AnonymousRequestsPerMinute", "100000");
    b.UseSetting("PovertyNews:Api:AllowedOrigins:0", ApiReadTests.PartnerOrigin);
    b.UseSetting("PovertyNews:Api:KeyContact", "api@news.example.com");
});

/// <summary>
/// The read API (/api/v1) through HTTP: every mapped path is in the OpenAPI document and real answers match its
/// schemas; cursors page through exactly the visible articles; filters; ETag and 304; drafts, reports scheduled for
/// later and withdrawn ones never appear; bad input is a Chinese 400; CORS for the allowed origin only.
/// </summary>
public sealed class ApiReadTests(ApiApp shared) : IClassFixture<ApiApp>, IAsyncLifetime
{
    public const string PartnerOrigin = "https://partner.example.com";
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<int> VisibleCountAsync() =>
        _factory.WithDbAsync(db => db.Articles.Where(Article.VisibleAt(_factory.Clock.GetUtcNow().UtcDateTime)).CountAsync());

    private Task<int> ChannelIdAsync(string slug) => _factory.WithDbAsync(db => db.Channels.Where(c => c.Slug == slug).Select(c => c.Id).SingleAsync());

    private Task<int> AddAsync(ArticleBuilder builder) => _factory.WithDbAsync(async db =>
    {
        var article = builder.Build();
        foreach (var tag in article.Tags.Where(t => t.Id != 0))
        {
            db.Attach(tag);
        }
        db.Articles.Add(article);
        await db.SaveChangesAsync();
        return article.Id;
    });

    private async Task<List<int>> AllPagesAsync(HttpClient client, string first)
    {
        var ids = new List<int>();
        string? next = first;
        for (var pages = 0; next is not null; pages++)
        {
            Assert.True(pages < 1000, "paging does not end");
            var page = await client.GetJsonAsync(next);
            ids.AddRange(page.Ids());
            next = page.GetProperty("next").GetString();
        }
        return ids;
    }

    [Fact]
    public async Task OpenApiDocument_DocumentsEveryPath_AndRealAnswersMatchTheirSchemas()
    {
        var client = _factory.CreateReader();
        var document = await client.GetJsonAsync("/api/v1/openapi.json");
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        var article = (await client.GetJsonAsync("/api/v1/articles?limit=1")).Ids().Single();
        var topic = (await client.GetJsonAsync("/api/v1/topics")).GetProperty("items")[0].GetProperty("slug").GetString();
        var examples = new Dictionary<string, string>
        {
            ["/api/v1/articles"] = "/api/v1/articles?limit=5",
            ["/api/v1/articles/{id}"] = $"/api/v1/articles/{article}",
            ["/api/v1/channels"] = "/api/v1/channels",
            ["/api/v1/tags"] = "/api/v1/tags?limit=5",
            ["/api/v1/topics"] = "/api/v1/topics",
            ["/api/v1/topics/{slug}"] = $"/api/v1/topics/{topic}",
            ["/api/v1/search"] = "/api/v1/search?q=扶贫",
        };
        // Every path the document has is one the API maps and this test exercises, and the other way round.
        Assert.Equal(examples.Keys.Order(), paths.Order());
        foreach (var (path, url) in examples)
        {
            var operation = document.GetProperty("paths").GetProperty(path).GetProperty("get");
            Assert.False(string.IsNullOrEmpty(operation.GetProperty("summary").GetString()), path);
            var schema = operation.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema");
            var answer = await client.GetJsonAsync(url);
            var problems = ApiJson.Validate(answer, schema, document);
            Assert.True(problems.Count == 0, $"{url}: {string.Join("; ", problems)}");
        }
        // The schemas say what is always there: an article's required fields include its body.
        var articleSchema = document.GetProperty("components").GetProperty("schemas").GetProperty("ApiArticle");
        Assert.Contains("bodyHtml", articleSchema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        foreach (var parameter in new[] { "channel", "tag", "since", "kind", "cursor", "limit" })
        {
            var documented = document.GetProperty("paths").GetProperty("/api/v1/articles").GetProperty("get").GetProperty("parameters")
                .EnumerateArray().Single(p => p.GetProperty("name").GetString() == parameter);
            Assert.False(string.IsNullOrEmpty(documented.GetProperty("description").GetString()), parameter);
        }
        var limit = document.GetProperty("paths").GetProperty("/api/v1/articles").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Single(p => p.GetProperty("name").GetString() == "limit").GetProperty("schema");
        Assert.Equal("integer", limit.GetProperty("type").GetString());
        Assert.Equal(100, limit.GetProperty("maximum").GetInt32());
    }

    [Fact]
    public async Task Cursors_PageThroughEveryVisibleArticleOnce_NewestFirst()
    {
        var client = _factory.CreateReader();
        var ids = await AllPagesAsync(client, "/api/v1/articles?limit=7");
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(await VisibleCountAsync(), ids.Count);
        var expected = await _factory.WithDbAsync(db => db.Articles.Where(Article.VisibleAt(_factory.Clock.GetUtcNow().UtcDateTime))
            .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id).Select(a => a.Id).ToListAsync());
        Assert.Equal(expected, ids);
        // Another page size gives the same sequence.
        Assert.Equal(ids, await AllPagesAsync(client, "/api/v1/articles?limit=100"));
    }

    /// <summary>
    /// A page after a cursor seeks the index from the cursor's time. With only the keyset's OR, PostgreSQL read the
    /// index from the newest article down to the cursor (460 ms for a 2017 cursor at 300,000 articles; 0.1 ms with the
    /// plain bound). SQLite 3.4x derives that bound from the OR by itself, so there the plan only shows a bound.
    /// </summary>
    [Fact]
    public async Task PageAfterACursor_SeeksTheIndexFromTheCursorsTime()
    {
        var client = _factory.CreateReader();
        var first = await client.GetJsonAsync("/api/v1/articles?limit=2");
        _factory.Commands.Reset();

        await client.GetJsonAsync($"/api/v1/articles?limit=2&cursor={first.GetProperty("nextCursor").GetString()}");

        var page = Assert.Single(_factory.Commands.Recent, c => c.Sql.Contains("ORDER BY", StringComparison.Ordinal)
            && c.Sql.Contains("\"PublishedAt\" DESC", StringComparison.Ordinal) && c.Sql.Contains("\"Id\" <", StringComparison.Ordinal));
        var now = _factory.Clock.GetUtcNow().UtcDateTime;
        var cursorTime = Assert.Single(page.Parameters.Select(p => p.Value).OfType<DateTime>().Distinct(), t => t != now);
        var plan = await _factory.ExplainAsync(page);
        var seek = Assert.Single(plan, line => line.Contains("Status", StringComparison.Ordinal)
            && (line.Contains("Index Cond", StringComparison.Ordinal) || line.Contains("USING", StringComparison.Ordinal)));
        Assert.Contains(_factory.Provider == PovertyNews.Web.Data.DatabaseProvider.PostgreSql
            ? cursorTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)
            : "PublishedAt<?", seek, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_ChannelTagKindAndSince_ListOnlyWhatMatches()
    {
        var client = _factory.CreateReader();
        var channel = await ChannelIdAsync("xiezuo");
        var tag = new Tag { Name = "接口测试标签" };
        var old = await AddAsync(new ArticleBuilder(channel, "接口测试旧稿").PublishedAt(DateTime.UtcNow.AddYears(-30)).Tags(tag));
        var video = await AddAsync(new ArticleBuilder(channel, "接口测试视频").Video("/media/poster.jpg").PublishedAt(DateTime.UtcNow.AddMinutes(-5)));

        var byChannel = await AllPagesAsync(client, "/api/v1/articles?channel=xiezuo&limit=100");
        var inChannel = await _factory.WithDbAsync(db => db.Articles.Where(Article.VisibleAt(_factory.Clock.GetUtcNow().UtcDateTime))
            .CountAsync(a => a.ChannelId == channel || a.Channel!.ParentId == channel));
        Assert.Equal(inChannel, byChannel.Count);
        Assert.Contains(old, byChannel);

        Assert.Equal([old], (await client.GetJsonAsync($"/api/v1/articles?tag={Uri.EscapeDataString("接口测试标签")}")).Ids());
        var videos = await client.GetJsonAsync("/api/v1/articles?kind=video&limit=100");
        Assert.Contains(video, videos.Ids());
        Assert.All(videos.GetProperty("items").EnumerateArray(), i => Assert.Equal("video", i.GetProperty("kind").GetString()));
        var first = videos.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetInt32() == video);
        Assert.Equal("http://localhost/media/poster.jpg", first.GetProperty("coverImageUrl").GetString());

        var since = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:sszzz");
        var recent = await client.GetJsonAsync($"/api/v1/articles?since={Uri.EscapeDataString(since)}");
        Assert.Contains(video, recent.Ids());
        Assert.DoesNotContain(old, recent.Ids());
    }

    [Fact]
    public async Task Cursor_IsForTheFiltersItWasListedWith_NextCarriesThem_OtherFiltersAre400()
    {
        var client = _factory.CreateReader();
        var first = await client.GetJsonAsync("/api/v1/articles?channel=xiezuo&limit=2");
        var cursor = first.GetProperty("nextCursor").GetString()!;
        var next = first.GetProperty("next").GetString()!;
        Assert.Contains("channel=xiezuo", next);

        // The cursor alone (or with another channel or kind) used to list another list from that point, silently.
        foreach (var wrong in new[] { $"/api/v1/articles?cursor={cursor}&limit=2", $"/api/v1/articles?channel=tuopin&cursor={cursor}&limit=2",
                     $"/api/v1/articles?channel=xiezuo&kind=video&cursor={cursor}&limit=2" })
        {
            var problem = await client.GetJsonAsync(wrong, HttpStatusCode.BadRequest);
            Assert.Contains("另一组筛选条件", problem.GetProperty("detail").GetString());
        }
        var same = await client.GetJsonAsync($"/api/v1/articles?limit=2&channel=%20xiezuo&cursor={cursor}");
        Assert.Equal((await client.GetJsonAsync(next)).Ids(), same.Ids());
    }

    [Fact]
    public async Task Since_WithoutAnOffsetIsChinaTime_AndAPlusLeftUnescapedStillReads()
    {
        var client = _factory.CreateReader();
        var channel = await ChannelIdAsync("xiezuo");
        // 10:00 UTC is 18:00 in China.
        var at = new DateTime(2003, 3, 3, 10, 0, 0, DateTimeKind.Utc);
        var article = await AddAsync(new ArticleBuilder(channel, "接口时区测试").PublishedAt(at));

        Assert.Contains(article, (await client.GetJsonAsync("/api/v1/articles?since=2003-03-03T18:00:00&limit=100")).Ids());
        Assert.DoesNotContain(article, (await client.GetJsonAsync("/api/v1/articles?since=2003-03-03T18:00:01&limit=100")).Ids());
        // "+08:00" typed into a URL unescaped arrives as " 08:00".
        Assert.Contains(article, (await client.GetJsonAsync("/api/v1/articles?since=2003-03-03T18:00:00+08:00&limit=100")).Ids());
        Assert.DoesNotContain(article, (await client.GetJsonAsync("/api/v1/articles?since=2003-03-03T18:00:01+08:00&limit=100")).Ids());
        Assert.Contains(article, (await client.GetJsonAsync("/api/v1/articles?since=2003-03-03T10:00:00Z&limit=100")).Ids());
    }

    [Fact]
    public async Task SearchPagePastTheEnd_IsAnEmptyPage_NotTheLastPageAgain()
    {
        var client = _factory.CreateReader();
        var first = await client.GetJsonAsync("/api/v1/search?q=%E6%B9%98%E8%A5%BF");
        Assert.NotEmpty(first.Ids());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("next").ValueKind);

        var beyond = await client.GetJsonAsync("/api/v1/search?q=%E6%B9%98%E8%A5%BF&page=2");
        Assert.Empty(beyond.Ids());
        Assert.Equal(2, beyond.GetProperty("page").GetInt32());
        Assert.Equal(first.GetProperty("total").GetInt32(), beyond.GetProperty("total").GetInt32());
        Assert.Equal(JsonValueKind.Null, beyond.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task OpenApiDocument_TypesNumbersStrictly_DescribesErrorsLimitsAndHowToGetAKey()
    {
        var document = await _factory.CreateReader().GetJsonAsync("/api/v1/openapi.json");
        var id = document.GetProperty("components").GetProperty("schemas").GetProperty("ApiArticle").GetProperty("properties").GetProperty("id");
        // Not ["integer", "string"]: code generators made every id a union.
        Assert.Equal(JsonValueKind.String, id.GetProperty("type").ValueKind);
        Assert.Equal("integer", id.GetProperty("type").GetString());
        var responses = document.GetProperty("paths").GetProperty("/api/v1/articles").GetProperty("get").GetProperty("responses");
        foreach (var status in new[] { "400", "401", "429" })
        {
            Assert.True(responses.GetProperty(status).GetProperty("content").TryGetProperty("application/problem+json", out _), status);
        }
        var introduction = document.GetProperty("info").GetProperty("description").GetString()!;
        Assert.Contains("每个 IP 每分钟最多 100000 次请求", introduction);
        Assert.Contains("申请密钥：api@news.example.com", introduction);
        Assert.Contains("%2B", introduction);
    }

    [Fact]
    public async Task TopicTimeline_LinkedEntries_CarryTheArticlesIdAndApiUrl()
    {
        var client = _factory.CreateReader();
        var slug = (await client.GetJsonAsync("/api/v1/topics")).GetProperty("items")[0].GetProperty("slug").GetString();
        var timeline = (await client.GetJsonAsync($"/api/v1/topics/{slug}")).GetProperty("timeline").EnumerateArray().ToList();
        var linked = timeline.Where(e => e.GetProperty("articleUrl").ValueKind == JsonValueKind.String).ToList();
        Assert.NotEmpty(linked);
        foreach (var entry in linked)
        {
            var articleId = entry.GetProperty("articleId").GetInt32();
            Assert.EndsWith($"/api/v1/articles/{articleId}", entry.GetProperty("apiUrl").GetString());
            Assert.Contains($"/articles/{articleId}/", entry.GetProperty("articleUrl").GetString());
        }
        Assert.All(timeline.Except(linked), e => Assert.Equal(JsonValueKind.Null, e.GetProperty("articleId").ValueKind));
    }

    [Theory]
    [InlineData("/api/v1/articles?limit=0", "limit")]
    [InlineData("/api/v1/articles?limit=abc", "limit")]
    [InlineData("/api/v1/articles?limit=101", "limit")]
    [InlineData("/api/v1/articles?cursor=not-a-cursor", "cursor")]
    [InlineData("/api/v1/articles?cursor=AAAAAAAAAAAAAAAA", "cursor")]
    [InlineData("/api/v1/articles?kind=podcast", "kind")]
    [InlineData("/api/v1/articles?since=yesterday", "since")]
    [InlineData("/api/v1/articles?channel=no-such-channel", "栏目")]
    [InlineData("/api/v1/tags?cursor=%25%25", "cursor")]
    [InlineData("/api/v1/search", "q")]
    [InlineData("/api/v1/search?q=扶贫&page=0", "page")]
    public async Task BadInput_Answers400WithAChineseProblem(string url, string names)
    {
        using var response = await _factory.CreateReader().GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Contains(names, problem.GetProperty("detail").GetString());
        // The parameter by name, for programs: the detail is for people.
        Assert.Equal(names == "栏目" ? "channel" : names, problem.GetProperty("parameter").GetString());
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Article_HasItsBodyAndAbsoluteUrls_AndNoStaffFields()
    {
        var client = _factory.CreateReader();
        var channel = await ChannelIdAsync("xiezuo");
        var id = await AddAsync(new ArticleBuilder(channel, "接口测试正文").Source("新华社").Author("张三")
            .Body("第一段", "第二段").Owner("someone"));
        var article = await client.GetJsonAsync($"/api/v1/articles/{id}");
        Assert.Equal("接口测试正文", article.GetProperty("title").GetString());
        Assert.Equal("<p>第一段</p><p>第二段</p>", article.GetProperty("bodyHtml").GetString());
        Assert.StartsWith($"http://localhost/articles/{id}/", article.GetProperty("url").GetString());
        Assert.Equal("新华社", article.GetProperty("source").GetString());
        Assert.Equal("xiezuo", article.GetProperty("channel").GetProperty("slug").GetString());
        Assert.EndsWith("+00:00", article.GetRawText().Split("\"publishedAt\":\"")[1].Split('"')[0]);
        var names = article.EnumerateObject().Select(p => p.Name).ToList();
        foreach (var staff in new[] { "status", "ownerId", "responsibleEditor", "embargoUntil", "bodyMarkdown", "viewCount", "reviewLevel" })
        {
            Assert.DoesNotContain(staff, names);
        }
        await client.GetJsonAsync("/api/v1/articles/999999", HttpStatusCode.NotFound);
        await client.GetJsonAsync("/api/v1/nothing-here", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ETag_AnswersIfNoneMatchWith304_UntilTheArticleChanges()
    {
        var client = _factory.CreateReader();
        var channel = await ChannelIdAsync("xiezuo");
        var id = await AddAsync(new ArticleBuilder(channel, "接口测试缓存"));
        foreach (var url in new[] { $"/api/v1/articles/{id}", "/api/v1/articles?limit=3" })
        {
            using var first = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            var etag = first.Headers.ETag;
            Assert.NotNull(etag);
            Assert.Equal("public, max-age=60", first.Headers.CacheControl?.ToString());
            // Twice: a miss rendered by the endpoint, then the output cache's own answer.
            for (var i = 0; i < 2; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.IfNoneMatch.Add(etag);
                using var again = await client.SendAsync(request);
                Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
            }
        }
        // The tag is a hash of the bytes, so an answer the cache has never seen (another spelling of the same list, its
        // own cache entry) gets the same tag from the endpoint, which answers 304 itself.
        var articleTag = (await client.GetAsync($"/api/v1/articles/{id}")).Headers.ETag!;
        using (var otherSpelling = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/articles/0{id}"))
        {
            otherSpelling.Headers.IfNoneMatch.Add(articleTag);
            using var notModified = await client.SendAsync(otherSpelling);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }
        var before = (await client.GetAsync($"/api/v1/articles/{id}")).Headers.ETag!;
        await _factory.WithDbAsync(async db =>
        {
            var article = await db.Articles.SingleAsync(a => a.Id == id);
            article.Title = "接口测试缓存（改）";
            await db.SaveChangesAsync();
        });
        using var changed = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/articles/{id}");
        changed.Headers.IfNoneMatch.Add(before);
        using var answer = await client.SendAsync(changed);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("接口测试缓存（改）", await answer.Content.ReadAsStringAsync());
        Assert.Contains("接口测试缓存（改）", (await client.GetJsonAsync("/api/v1/articles?limit=3")).GetRawText());
    }

    [Fact]
    public async Task DraftScheduledAndWithdrawn_NeverAppear_InListsSingleOrSearch()
    {
        var client = _factory.CreateReader();
        // Cached before the hidden ones are saved: the saves must not leave them findable through an old entry either.
        await client.GetJsonAsync("/api/v1/articles?limit=100");
        var channel = await ChannelIdAsync("xiezuo");
        var hidden = new List<int>
        {
            await AddAsync(new ArticleBuilder(channel, "隐身蜜柚草稿").Body("隐身蜜柚").Draft()),
            await AddAsync(new ArticleBuilder(channel, "隐身蜜柚定时").Body("隐身蜜柚").PublishedAt(DateTime.UtcNow.AddDays(2))),
            await AddAsync(new ArticleBuilder(channel, "隐身蜜柚撤回").Body("隐身蜜柚").Withdrawn()),
        };
        var visible = await AddAsync(new ArticleBuilder(channel, "隐身蜜柚公开").Body("隐身蜜柚"));
        var all = await AllPagesAsync(client, "/api/v1/articles?limit=100");
        Assert.Contains(visible, all);
        Assert.Empty(all.Intersect(hidden));
        Assert.Empty((await AllPagesAsync(client, "/api/v1/articles?channel=xiezuo&limit=100")).Intersect(hidden));
        foreach (var id in hidden)
        {
            await client.GetJsonAsync($"/api/v1/articles/{id}", HttpStatusCode.NotFound);
        }
        var found = await client.GetJsonAsync($"/api/v1/search?q={Uri.EscapeDataString("隐身蜜柚")}");
        Assert.Equal([visible], found.Ids());
        var tags = await client.GetJsonAsync("/api/v1/tags?limit=100");
        Assert.DoesNotContain("status", tags.GetRawText());
    }

    [Fact]
    public async Task ChannelsTagsTopicsAndSearch_AnswerWithPublicData()
    {
        var client = _factory.CreateReader();
        var channels = await client.GetJsonAsync("/api/v1/channels");
        var slugs = channels.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("slug").GetString()).ToList();
        Assert.Contains("xiezuo", slugs);
        var hidden = await _factory.WithDbAsync(db => db.Channels.Where(c => c.IsHidden).Select(c => c.Slug).ToListAsync());
        Assert.Empty(slugs.Intersect(hidden));

        var tagIds = await AllPagesAsync(client, "/api/v1/tags?limit=5");
        Assert.Equal(tagIds.Count, tagIds.Distinct().Count());
        var now = _factory.Clock.GetUtcNow().UtcDateTime;
        var visibleTags = await _factory.WithDbAsync(db => db.Tags.CountAsync(t => t.Articles.AsQueryable().Any(Article.VisibleAt(now))));
        Assert.Equal(visibleTags, tagIds.Count);

        var topics = await client.GetJsonAsync("/api/v1/topics");
        var slug = topics.GetProperty("items")[0].GetProperty("slug").GetString();
        var topic = await client.GetJsonAsync($"/api/v1/topics/{slug}");
        Assert.NotEmpty(topic.GetProperty("sections").EnumerateArray());
        await client.GetJsonAsync("/api/v1/topics/no-such-topic", HttpStatusCode.NotFound);

        var search = await client.GetJsonAsync($"/api/v1/search?q={Uri.EscapeDataString("扶贫")}&sort=date");
        Assert.True(search.GetProperty("total").GetInt32() > 0);
        if (search.GetProperty("next").GetString() is { } next)
        {
            Assert.Contains("page=2", next);
            Assert.Equal(2, (await client.GetJsonAsync(next)).GetProperty("page").GetInt32());
        }
    }

    [Fact]
    public async Task Cors_AllowedOriginGetsHeaders_AnotherGetsNone_EvenFromTheCache()
    {
        var client = _factory.CreateReader();
        foreach (var round in new[] { 1, 2 })
        {
            foreach (var (origin, allowed) in new[] { (PartnerOrigin, true), ("https://evil.example.com", false) })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/channels");
                request.Headers.Add("Origin", origin);
                using var response = await client.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var header = response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
                Assert.True((allowed ? origin : null) == header, $"round {round}, {origin}: {header}");
            }
        }
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/articles");
        preflight.Headers.Add("Origin", PartnerOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization");
        using var answer = await client.SendAsync(preflight);
        Assert.True(answer.IsSuccessStatusCode, $"{answer.StatusCode}");
        Assert.Equal(PartnerOrigin, answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("authorization", answer.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task DocsPage_IsServedWithItsOwnScriptFromTheSite_AndANoncedPolicy()
    {
        var client = _factory.CreateReader();
        using var redirect = await client.GetAsync("/api");
        Assert.Equal("/api/docs/", redirect.Headers.Location?.OriginalString);
        using var page = await client.GetAsync("/api/docs/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("\"url\":\"api/v1/openapi.json\"", html);
        Assert.DoesNotContain("cdn.jsdelivr", html);
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        var nonce = System.Text.RegularExpressions.Regex.Match(csp, "'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.Contains($"nonce=\"{nonce}\"", html);
        // Everywhere else the site's strict policy stays.
        using var other = await client.GetAsync("/api/v1/channels");
        Assert.DoesNotContain("nonce", other.Headers.GetValues("Content-Security-Policy").Single());
    }
}
