using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Admin;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.IntegrationTests.Pages;
using PovertyNews.Tests.Media;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Newsroom.SensitiveWords;
using PovertyNews.Web.Reading;
using StackExchange.Redis;

namespace PovertyNews.IntegrationTests.Cluster;

/// <summary>
/// Several nodes behind a load balancer: what an editor saves on one node shows on every node on the next request
/// (each node caches pages in its own memory and drops them when another announces a save through Redis), a form
/// rendered by one node posts to another, and a node cut off from Redis keeps serving with bounded staleness and
/// catches up when Redis returns.
/// </summary>
[Trait("Provider", "PostgreSql")]
public sealed class ClusterTests(ClusterNodes cluster) : IClassFixture<ClusterNodes>, IAsyncLifetime
{
    public Task InitializeAsync() => cluster.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record Answer(HttpStatusCode Status, string Body, bool FromCache);

    private static async Task<Answer> GetAsync(NewsFactory node, string url)
    {
        using var response = await node.CreateReader().GetAsync(url);
        return new Answer(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Age is not null);
    }

    /// <summary>Requests each page on each node until that node serves it from its own cache.</summary>
    private async Task WarmAsync(params string[] urls)
    {
        foreach (var node in cluster.Nodes)
        {
            foreach (var url in urls)
            {
                // A node's background work (a portal refresh after reads, a fallback round) may evict between two
                // requests, and a render overlapping an eviction is not stored; the warm-up is not about that.
                var cached = false;
                for (var attempt = 0; attempt < 5 && !cached; attempt++)
                {
                    cached = (await GetAsync(node, url)).FromCache;
                }
                Assert.True(cached, $"{url} was not cached on a node");
            }
        }
    }

    private async Task<IReadOnlyList<HttpClient>> EditorSessionAsync(string role = NewsRoles.Editor)
    {
        var email = $"editor-{Guid.NewGuid():N}@example.com";
        await cluster.A.CreateUserAsync(email, role);
        var session = cluster.Session();
        using var response = await session[0].SubmitFormAsync("/admin/signin", "form",
            new() { ["Input.Email"] = email, ["Input.Password"] = Newsroom.Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return session;
    }

    [Fact]
    public async Task WithdrawOnA_AnswersGoneOnEveryNode_OnTheNextRequest()
    {
        var id = await cluster.A.ArticleIdAsync("joint-meeting-signing");
        await WarmAsync($"/articles/{id}", "/channels/xiezuo", "/");
        var editor = await EditorSessionAsync();

        await editor[0].StepOkAsync(id, "withdraw", "核实有误");

        foreach (var node in cluster.Nodes)
        {
            Assert.Equal(HttpStatusCode.Gone, (await GetAsync(node, $"/articles/{id}")).Status);
            Assert.DoesNotContain($"/articles/{id}/", (await GetAsync(node, "/channels/xiezuo")).Body);
            Assert.DoesNotContain($"/articles/{id}/", (await GetAsync(node, "/")).Body);
        }
    }

    [Fact]
    public async Task PublishedOnA_IsListedOnBAndC_OnTheNextRequest()
    {
        var now = cluster.A.Clock.GetUtcNow().UtcDateTime;
        var reporter = await cluster.A.CreateUserAsync($"reporter-{Guid.NewGuid():N}@example.com", NewsRoles.Reporter);
        var id = await cluster.A.WithDbAsync(async db =>
        {
            var channel = await db.Channels.SingleAsync(c => c.Slug == "xiezuo");
            var ownerId = await db.Users.Where(u => u.Email == reporter).Select(u => u.Id).SingleAsync();
            var article = new ArticleBuilder(channel.Id, "集群发布测试稿件").Draft().Owner(ownerId).Build();
            article.Submit(new Actor(ownerId, "记者", new HashSet<string> { NewsRoles.Reporter }), now.AddMinutes(-10));
            article.Pass(new Actor("seed-1", "初审人", new HashSet<string> { NewsRoles.Editor }), 3, now.AddMinutes(-9));
            article.Pass(new Actor("seed-2", "复审人", new HashSet<string> { NewsRoles.Editor }), 3, now.AddMinutes(-8));
            article.Pass(new Actor("seed-3", "终审人", new HashSet<string> { NewsRoles.EditorInChief }), 3, now.AddMinutes(-7));
            db.Articles.Add(article);
            await db.SaveChangesAsync();
            return article.Id;
        });
        await WarmAsync("/channels/xiezuo", "/");
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(cluster.B, $"/articles/{id}")).Status);
        var chief = await EditorSessionAsync(NewsRoles.EditorInChief);

        await chief[0].StepOkAsync(id, "publish");

        foreach (var node in new[] { cluster.B, cluster.C })
        {
            Assert.Contains($"/articles/{id}/", (await GetAsync(node, "/channels/xiezuo")).Body);
            Assert.Contains($"/articles/{id}/", (await GetAsync(node, "/")).Body);
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(node, $"/articles/{id}")).Status);
        }
    }

    [Fact]
    public async Task WithdrawOnA_LeavesTheRelatedReadingListsOfBAndC_ForPagesRenderedWithoutTheOutputCache()
    {
        var id = await cluster.A.ArticleIdAsync("joint-meeting-signing");
        var neighbour = await cluster.A.ArticleIdAsync("jinan-xiangxi-delegation");
        var editor = await EditorSessionAsync();
        // Signed-in staff are never served from the output cache: their pages take 延伸阅读 from each node's lists.
        foreach (var node in new[] { 1, 2 })
        {
            Assert.Contains($"/articles/{id}/", AngleSharpText.Attr(await editor[node].GetStringAsync($"/articles/{neighbour}"), ".related__list a", "href"));
        }

        await editor[0].StepOkAsync(id, "withdraw", "核实有误");

        foreach (var node in new[] { 1, 2 })
        {
            Assert.DoesNotContain($"/articles/{id}/", AngleSharpText.Attr(await editor[node].GetStringAsync($"/articles/{neighbour}"), ".related__list a", "href"));
        }
    }

    [Fact]
    public async Task CorrectionApprovedOnA_ShowsOnBAndC_WhileTheirFrontPagesStayCached()
    {
        var id = await cluster.A.ArticleIdAsync("joint-meeting-signing");
        await WarmAsync($"/articles/{id}", "/");
        var editor = await EditorSessionAsync();

        await editor[0].StepOkAsync(id, "correct", "签约项目数量应为 12 个。");
        await cluster.A.ApproveChangeAsync(editor[0], id);

        foreach (var node in new[] { cluster.B, cluster.C })
        {
            var page = await GetAsync(node, $"/articles/{id}");
            Assert.False(page.FromCache);
            Assert.Contains("【更正】签约项目数量应为 12 个。", page.Body);
            Assert.True((await GetAsync(node, "/")).FromCache, "a correction evicts only what shows it, on every node");
        }
    }

    [Fact]
    public async Task SubscriberThatNeverConfirms_HoldsASaveOnlyForTheConfirmTimeout_EvenWithTheSiteClockStill()
    {
        // A frozen node: it hears the announcements and never confirms. The nodes' clocks stand still in these tests,
        // as a site's clock may jump; the save must still answer once the (wall-clock) confirm timeout has passed.
        await using var frozen = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.Configuration);
        var heard = 0;
        (await frozen.GetSubscriber().SubscribeAsync(RedisChannel.Literal("povertynews:changes"))).OnMessage(_ => Interlocked.Increment(ref heard));
        var id = await cluster.A.ArticleIdAsync("joint-meeting-signing");
        await WarmAsync($"/articles/{id}");
        var editor = await EditorSessionAsync();

        await editor[0].StepOkAsync(id, "withdraw", "核实有误");

        await ClusterNodes.UntilAsync(() => Volatile.Read(ref heard) > 0, "the frozen subscriber heard the withdrawal");
        foreach (var node in new[] { cluster.B, cluster.C })
        {
            Assert.Equal(HttpStatusCode.Gone, (await GetAsync(node, $"/articles/{id}")).Status);
        }
    }

    [Fact]
    public async Task HeadlinePlacedOnA_LeadsTheFrontPageOnB()
    {
        var id = await cluster.A.ArticleIdAsync("aizhai-bridge");
        await WarmAsync("/");

        await cluster.A.WithDbAsync(async db =>
        {
            db.Placements.Add(new Placement { Block = CurationBlock.Headline, ArticleId = id, Position = 0 });
            await db.SaveChangesAsync();
        });

        var front = await GetAsync(cluster.B, "/");
        Assert.False(front.FromCache);
        Assert.Contains($"/articles/{id}/", AngleSharpText.Attr(front.Body, ".headline__title a", "href"));
    }

    [Fact]
    public async Task SensitiveWordAddedOnA_IsInTheListBChecksWith()
    {
        // B compiles its list once and keeps it until told.
        Assert.DoesNotContain(await WordsAsync(cluster.B), w => w == "集群测试禁词");

        await using (var scope = cluster.A.Services.CreateAsyncScope())
        {
            var admin = scope.ServiceProvider.GetRequiredService<SensitiveWordAdmin>();
            var added = await admin.AddAsync("集群测试禁词", SensitiveWordAction.Block, new Actor("test", "测试", new HashSet<string>()), CancellationToken.None);
            Assert.True(added.Succeeded, added.Message);
        }

        Assert.Contains(await WordsAsync(cluster.B), w => w == "集群测试禁词");
    }

    private static async Task<List<string>> WordsAsync(NewsFactory node)
    {
        await using var scope = node.Services.CreateAsyncScope();
        var list = await scope.ServiceProvider.GetRequiredService<SensitiveWordCache>()
            .GetAsync(scope.ServiceProvider.GetRequiredService<NewsDbContext>(), CancellationToken.None);
        return list.Entries.Select(e => e.Word).ToList();
    }

    [Fact]
    public async Task FormRenderedByA_PostsToB_AndTheSignInCookieWorksOnC()
    {
        var id = await cluster.A.ArticleIdAsync("joint-meeting-signing");
        var editor = await EditorSessionAsync();

        // Rendered by A (antiforgery token and cookie issued there), posted to B: the nodes share the key ring.
        var page = await editor[0].GetPageAsync($"/admin/articles/{id}");
        var fields = Newsroom.FieldsOf(page, "#workflow-withdraw", new() { ["Input.Note"] = "核实有误" });
        var action = page.QuerySelector("#workflow-withdraw")!.GetAttribute("action")!;
        using var response = await editor[1].PostAsync(action, new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(ArticleStatus.Withdrawn, (await cluster.A.StatusAsync(id)).Item1);
        Assert.Equal(HttpStatusCode.OK, (await editor[2].GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task RedisStopped_NodesServeAndCatchUpWithinTheFallbackInterval_ThenHearEachOtherAgainWhenItReturns()
    {
        var withdrawn = await cluster.A.ArticleIdAsync("joint-meeting-signing");
        var corrected = await cluster.A.ArticleIdAsync("jinan-xiangxi-delegation");
        await WarmAsync($"/articles/{withdrawn}", $"/articles/{corrected}");
        var editor = await EditorSessionAsync();

        cluster.Redis.Stop();
        await ClusterNodes.UntilAsync(() => ClusterNodes.Bus(cluster.B).CutOffSince is not null, "B notices Redis is gone");
        Assert.Equal("Degraded", await ClusterStatusAsync(cluster.B));

        // Saved on A while nobody hears it: the editor's save succeeds; B serves (what it has) meanwhile.
        await editor[0].StepOkAsync(withdrawn, "withdraw", "核实有误");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(cluster.B, "/")).Status);

        // Within one fallback interval B drops what it has cached and shows the change.
        cluster.B.Clock.Advance(TimeSpan.FromSeconds(5));
        await ClusterNodes.UntilAsync(() => GetAsync(cluster.B, $"/articles/{withdrawn}").GetAwaiter().GetResult().Status == HttpStatusCode.Gone,
            "B shows the withdrawal after its fallback interval");

        cluster.Redis.Start();
        await Task.WhenAll(cluster.Nodes.Select(n => ClusterNodes.UntilAsync(() => ClusterNodes.Bus(n).CutOffSince is null, "node back on Redis")));
        Assert.Equal("Healthy", await ClusterStatusAsync(cluster.B));

        await WarmAsync($"/articles/{corrected}");
        await editor[0].StepOkAsync(corrected, "correct", "代表团人数更正。");
        await cluster.A.ApproveChangeAsync(editor[0], corrected);
        Assert.Contains("【更正】代表团人数更正。", (await GetAsync(cluster.C, $"/articles/{corrected}")).Body);
    }

    [Fact]
    public async Task ImageUploadedOnA_IsServedByBAndC_AtOnce()
    {
        var reporter = await EditorSessionAsync(NewsRoles.Reporter);
        var page = await reporter[0].GetPageAsync("/admin/media/upload");
        var form = new MultipartFormDataContent
        {
            { new StringContent(page.QuerySelector("#upload-form input[name=__RequestVerificationToken]")!.GetAttribute("value")!), "__RequestVerificationToken" },
            { new StringContent("十八洞村的猕猴桃园"), "AltText" },
        };
        var file = new ByteArrayContent(TestImages.Jpeg(800, 600));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "File", "猕猴桃园.jpg");
        using var upload = await reporter[0].PostAsync("/admin/media/upload", form);
        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);

        var stored = await cluster.A.WithDbAsync(db => db.MediaItems.OrderByDescending(m => m.Id).Select(m => m.StoredName).FirstAsync());
        foreach (var node in new[] { cluster.B, cluster.C })
        {
            using var original = await node.CreateReader().GetAsync($"/media/{stored}");
            Assert.Equal(HttpStatusCode.OK, original.StatusCode);
            Assert.Equal("image/jpeg", original.Content.Headers.ContentType!.MediaType);
            using var rendition = await node.CreateReader().GetAsync($"/media/{stored[..^4]}-320.webp");
            Assert.Equal(HttpStatusCode.OK, rendition.StatusCode);
        }
        Assert.NotNull((await reporter[2].GetPageAsync("/admin/media")).QuerySelector("img[alt='十八洞村的猕猴桃园']"));
    }

    [Fact]
    public async Task StatusPage_NamesTheNodeThatAnswered_AndWhetherItHearsTheOthers()
    {
        var administrator = await EditorSessionAsync(NewsRoles.Administrator);

        var page = await administrator[1].GetPageAsync("/admin/status");

        var node = page.QuerySelector("#status-node").Text();
        Assert.StartsWith("b（", node);
        Assert.Contains("与其他节点相通", node);
        Assert.NotNull(page.QuerySelector("li[data-check='cluster'][data-status='Healthy']"));
    }

    private static async Task<string> ClusterStatusAsync(NewsFactory node)
    {
        // The health answer is cached for a few seconds of the node's clock.
        node.Clock.Advance(TimeSpan.FromMinutes(1));
        using var response = await node.CreateReader().GetAsync("/healthz/ready");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("checks").GetProperty("cluster").GetProperty("status").GetString()!;
    }
}
