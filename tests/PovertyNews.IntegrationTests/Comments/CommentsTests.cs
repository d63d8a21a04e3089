using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Admin;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Comments;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.SensitiveWords;
using PovertyNews.Web.Text;

namespace PovertyNews.IntegrationTests.Comments;

/// <summary>
/// 留言 through HTTP: a reader posts the real form under a report; it is held until a moderator approves it in the
/// queue (/admin/comments), then shows on the next request (the cached page is evicted); the sensitive-word list,
/// the honeypot, the time stamp and the per-client rate limit refuse what they should; payloads stay text.
/// </summary>
public sealed class CommentsTests(NoBackgroundJobsApp shared) : IClassFixture<NoBackgroundJobsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public async Task InitializeAsync()
    {
        await shared.ResetAsync();
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(int Id, string Url)> AddArticleAsync(Action<ArticleBuilder>? configure = null, bool withoutReview = false)
    {
        return await _factory.WithDbAsync(async db =>
        {
            var channel = await db.Channels.OrderBy(c => c.Id).FirstAsync();
            channel.CommentsWithoutReview = withoutReview;
            var builder = new ArticleBuilder(channel.Id, "留言测试报道");
            configure?.Invoke(builder);
            var article = builder.Build();
            db.Articles.Add(article);
            await db.SaveChangesAsync();
            return (article.Id, $"/articles/{article.Id}/{article.Slug}");
        });
    }

    /// <summary>
    /// Reads the page as a reader would, asks for the form's stamp as js/comments.js does when the reader starts
    /// writing, waits like a person, and posts the form found there.
    /// </summary>
    private async Task<HttpResponseMessage> PostAsync(HttpClient client, string articleUrl, Dictionary<string, string?> values, int waitSeconds = 5)
    {
        var page = await client.GetPageAsync(articleUrl);
        var fields = await FieldsWithStampAsync(client, page, values);
        var action = page.QuerySelector("#comment-form")!.GetAttribute("action")!;
        _factory.Clock.Advance(TimeSpan.FromSeconds(waitSeconds));
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    private static async Task<List<KeyValuePair<string, string>>> FieldsWithStampAsync(HttpClient client, IHtmlDocument page,
        Dictionary<string, string?> values)
    {
        var stampUrl = page.QuerySelector("#comment-form input[data-stamp-url]")!.GetAttribute("data-stamp-url")!;
        using var stamp = await client.GetAsync(stampUrl);
        Assert.Equal(HttpStatusCode.OK, stamp.StatusCode);
        Assert.True(stamp.Headers.CacheControl?.NoStore, "the stamp must never be cached");
        var withStamp = new Dictionary<string, string?>(values);
        withStamp.TryAdd("Input.Stamp", await stamp.Content.ReadAsStringAsync());
        return Newsroom.FieldsOf(page, "#comment-form", withStamp);
    }

    private Task<List<Comment>> CommentsAsync(int articleId) =>
        _factory.WithDbAsync(db => db.Comments.AsNoTracking().Where(c => c.ArticleId == articleId).OrderBy(c => c.Id).ToListAsync());

    /// <summary>schema.org's commentCount, what search engines read of the 留言.</summary>
    private static int CommentCountInJsonLd(IHtmlDocument page) =>
        System.Text.Json.JsonDocument.Parse(page.QuerySelector("script[type='application/ld+json']")!.TextContent).RootElement
            .GetProperty("commentCount").GetInt32();

    private static List<string> Shown(IHtmlDocument page) =>
        page.QuerySelectorAll("#comments .comment > .comment__body").Select(b => b.TextContent).ToList();

    private async Task AddWordAsync(string word, SensitiveWordAction action)
    {
        await _factory.WithDbAsync(async db =>
        {
            db.SensitiveWords.Add(new SensitiveWord { Word = word, NormalizedWord = SensitiveText.Normalize(word), Action = action, CreatedAt = DateTime.UtcNow, CreatedBy = "test" });
            await db.SaveChangesAsync();
        });
        _factory.Services.GetRequiredService<SensitiveWordCache>().Invalidate();
    }

    [Fact]
    public async Task ReaderComment_IsHeldUntilAModeratorApprovesIt_ThenShowsWithItsTime()
    {
        var (id, url) = await AddArticleAsync();
        var reader = _factory.CreateReader();
        // Cached before the comment exists: approving must evict it.
        var before = await reader.GetPageAsync(url);
        Assert.Equal("留言（0）", before.QuerySelector("#comments-title").Text());
        Assert.Equal(0, CommentCountInJsonLd(before));
        Assert.Contains("留言将在审核后显示", before.QuerySelector("#comment-form").Text());

        using var posted = await PostAsync(reader, url, new() { ["Input.Name"] = "湘西读者", ["Input.Body"] = "脱贫攻坚成果来之不易。\n第二行" });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal($"{url}?comment=pending#comments", posted.Headers.Location!.OriginalString);
        var stored = Assert.Single(await CommentsAsync(id));
        Assert.Equal(CommentStatus.Pending, stored.Status);
        Assert.Null(stored.UserId);
        Assert.Equal(64, stored.ClientHash!.Length);
        Assert.DoesNotContain(_factory.ClientAddress.ToString(), stored.ClientHash);

        var note = await reader.GetPageAsync($"{url}?comment=pending");
        Assert.Contains("将在审核后显示", note.QuerySelector(".comments__note").Text());
        Assert.Empty(Shown(await reader.GetPageAsync(url)));

        var editor = await _factory.SignInAsync("editor@example.com");
        var queue = await editor.GetPageAsync("/admin/comments");
        Assert.Contains("脱贫攻坚成果来之不易", queue.QuerySelector($"#comment-queue li[data-comment='{stored.Id}']").Text());
        using (var approve = await editor.SubmitFormAsync("/admin/comments", $"#comment-queue li[data-comment='{stored.Id}'] form.comment-approve", []))
        {
            Assert.Equal(HttpStatusCode.Redirect, approve.StatusCode);
        }

        var after = await reader.GetPageAsync(url);
        Assert.Equal("留言（1）", after.QuerySelector("#comments-title").Text());
        Assert.Equal(1, CommentCountInJsonLd(after));
        var item = after.QuerySelector($"#comment-{stored.Id}")!;
        Assert.Equal("湘西读者", item.QuerySelector(".comment__name").Text());
        Assert.Equal("脱贫攻坚成果来之不易。\n第二行", item.QuerySelector(".comment__body")!.TextContent);
        Assert.Equal(ChinaTime.FormatDateTime(stored.CreatedAt), item.QuerySelector("time").Text());
        Assert.Equal(CommentStatus.Approved, (await CommentsAsync(id)).Single().Status);
        Assert.True(await _factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.CommentApproved && e.Target == $"comment:{stored.Id}")));
    }

    [Fact]
    public async Task ChannelWithReviewOff_ShowsTheCommentAtOnce_NamelessAsNetizen()
    {
        var (id, url) = await AddArticleAsync(withoutReview: true);
        var reader = _factory.CreateReader();
        using var posted = await PostAsync(reader, url, new() { ["Input.Body"] = "好消息" });
        var comment = Assert.Single(await CommentsAsync(id));
        Assert.Equal(CommentStatus.Approved, comment.Status);
        Assert.Equal($"{url}?comment=ok#comment-{comment.Id}", posted.Headers.Location!.OriginalString);
        var page = await reader.GetPageAsync(url);
        Assert.Equal(["好消息"], Shown(page));
        Assert.Equal("网友", page.QuerySelector($"#comment-{comment.Id} .comment__name").Text());
    }

    [Fact]
    public async Task ChannelReviewToggle_OnTheModerationPage_TurnsReviewOff()
    {
        var (id, url) = await AddArticleAsync();
        var channelId = await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.ChannelId).SingleAsync());
        var editor = await _factory.SignInAsync("editor@example.com");
        using (var toggle = await editor.SubmitFormAsync("/admin/comments", $"#channel-review tr[data-channel='{channelId}'] form", []))
        {
            Assert.Equal(HttpStatusCode.Redirect, toggle.StatusCode);
        }
        Assert.True(await _factory.WithDbAsync(db => db.Channels.Where(c => c.Id == channelId).Select(c => c.CommentsWithoutReview).SingleAsync()));
        using var posted = await PostAsync(_factory.CreateReader(), url, new() { ["Input.Body"] = "立即显示" });
        Assert.Equal(CommentStatus.Approved, Assert.Single(await CommentsAsync(id)).Status);
    }

    [Fact]
    public async Task FlaggedWord_IsHeldEvenWithReviewOff_WithTheWordForTheModerator()
    {
        await AddWordAsync("扶贫款", SensitiveWordAction.Flag);
        var (id, url) = await AddArticleAsync(withoutReview: true);
        using var posted = await PostAsync(_factory.CreateReader(), url, new() { ["Input.Body"] = "扶贫款去哪了" });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var comment = Assert.Single(await CommentsAsync(id));
        Assert.Equal((CommentStatus.Pending, "扶贫款"), (comment.Status, comment.FlaggedWords));
        var editor = await _factory.SignInAsync("editor@example.com");
        var queue = await editor.GetPageAsync("/admin/comments");
        Assert.Equal("扶贫款", queue.QuerySelector($"li[data-comment='{comment.Id}'] .comments-admin__body mark").Text());
    }

    [Fact]
    public async Task BlockedWord_Refuses400WithTheWord_AndSavesNothing()
    {
        await AddWordAsync("违禁词", SensitiveWordAction.Block);
        var (id, url) = await AddArticleAsync();
        using var posted = await PostAsync(_factory.CreateReader(), url, new() { ["Input.Body"] = "这里有违禁词" });
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        var page = await posted.ReadPageAsync();
        Assert.Contains("“违禁词”", page.QuerySelector(".comments__errors").Text());
        // The reader's text comes back in the form to correct.
        Assert.Equal("这里有违禁词", page.QuerySelector("#comment-body")!.TextContent);
        Assert.Empty(await CommentsAsync(id));
    }

    [Fact]
    public async Task ReplaceWord_IsMasked()
    {
        await AddWordAsync("坏词", SensitiveWordAction.Replace);
        var (id, url) = await AddArticleAsync();
        using var posted = await PostAsync(_factory.CreateReader(), url, new() { ["Input.Name"] = "坏词君", ["Input.Body"] = "一个坏词在这" });
        var comment = Assert.Single(await CommentsAsync(id));
        Assert.Equal(("＊＊君", "一个＊＊在这"), (comment.AuthorName, comment.Body));
    }

    [Fact]
    public async Task Honeypot_IsRefusedQuietly_AndNothingSaved()
    {
        var (id, url) = await AddArticleAsync();
        using var posted = await PostAsync(_factory.CreateReader(), url, new() { ["Input.Body"] = "买药加微信", ["Input.Website"] = "http://spam.example" });
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Contains(CommentService.NeutralRefusal, (await posted.ReadPageAsync()).QuerySelector(".comments__errors").Text());
        Assert.Empty(await CommentsAsync(id));
    }

    [Fact]
    public async Task PostTooSoonAfterTheForm_OrWithoutAValidStamp_IsRefused()
    {
        var (id, url) = await AddArticleAsync();
        var reader = _factory.CreateReader();
        using (var fast = await PostAsync(reader, url, new() { ["Input.Body"] = "秒发" }, waitSeconds: 0))
        {
            Assert.Equal(HttpStatusCode.BadRequest, fast.StatusCode);
            Assert.Contains("提交太快", (await fast.ReadPageAsync()).QuerySelector(".comments__errors").Text());
        }
        using (var forged = await PostAsync(reader, url, new() { ["Input.Body"] = "伪造", ["Input.Stamp"] = "abc" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }
        Assert.Empty(await CommentsAsync(id));
    }

    [Fact]
    public async Task CachedPageForm_HasNoStamp_ItsClockStartsWithTheReadersOwnRequest_AndWithoutScriptASecondClickSends()
    {
        var (id, url) = await AddArticleAsync();
        var reader = _factory.CreateReader();
        var page = await reader.GetPageAsync(url);
        Assert.Equal("", page.QuerySelector("#comment-form input[name='Input.Stamp']")!.GetAttribute("value"));
        // The page was rendered long ago (it is cached); a bot posting its form at once gains nothing from that.
        _factory.Clock.Advance(TimeSpan.FromHours(1));
        var stamped = await FieldsWithStampAsync(reader, page, new() { ["Input.Body"] = "缓存页上的留言" });
        using (var atOnce = await reader.PostAsync($"/comments/{id}", new FormUrlEncodedContent(stamped)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, atOnce.StatusCode);
            Assert.Contains("提交太快", (await atOnce.ReadPageAsync()).QuerySelector(".comments__errors").Text());
        }

        // Without the script: no stamp. The form page shows the comment again with a stamp of its own.
        using var first = await reader.PostAsync($"/comments/{id}", new FormUrlEncodedContent(Newsroom.FieldsOf(page, "#comment-form",
            new() { ["Input.Body"] = "不用脚本的读者" })));
        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        var again = await first.ReadPageAsync();
        Assert.Contains(CommentService.ConfirmPrompt, again.QuerySelector(".comments__errors").Text());
        Assert.Equal("不用脚本的读者", again.QuerySelector("#comment-body")!.TextContent);
        Assert.NotEqual("", again.QuerySelector("#comment-form input[name='Input.Stamp']")!.GetAttribute("value"));
        _factory.Clock.Advance(TimeSpan.FromSeconds(5));
        using var second = await reader.PostAsync($"/comments/{id}", new FormUrlEncodedContent(Newsroom.FieldsOf(again, "#comment-form", [])));
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(["不用脚本的读者"], (await CommentsAsync(id)).Select(c => c.Body));
    }

    [Fact]
    public async Task RateLimit_Answers429AfterTheLimit_PerClient()
    {
        var (id, url) = await AddArticleAsync();
        var reader = _factory.CreateReader();
        var page = await reader.GetPageAsync(url);
        var action = page.QuerySelector("#comment-form")!.GetAttribute("action")!;
        var stamped = await FieldsWithStampAsync(reader, page, []);
        var stamp = stamped.Single(f => f.Key == "Input.Stamp").Value;
        _factory.Clock.Advance(TimeSpan.FromSeconds(5));
        for (var i = 0; i < 5; i++)
        {
            using var ok = await reader.PostAsync(action, new FormUrlEncodedContent(Newsroom.FieldsOf(page, "#comment-form",
                new() { ["Input.Body"] = $"第{i}条", ["Input.Stamp"] = stamp })));
            Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        }
        using (var limited = await reader.PostAsync(action, new FormUrlEncodedContent(Newsroom.FieldsOf(page, "#comment-form",
                   new() { ["Input.Body"] = "第六条", ["Input.Stamp"] = stamp }))))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Contains("留言太频繁", (await limited.ReadPageAsync()).QuerySelector(".comments__errors").Text());
        }
        Assert.Equal(5, (await CommentsAsync(id)).Count);

        // Another client is not limited; the first one is again once the window has passed.
        _factory.UseNewClientAddress();
        using (var other = await PostAsync(reader, url, new() { ["Input.Body"] = "别的读者" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
        }
    }

    [Fact]
    public async Task XssPayloads_InBodyAndName_AreShownAsText()
    {
        var (id, url) = await AddArticleAsync(withoutReview: true);
        var reader = _factory.CreateReader();
        string[] payloads = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "<a href=\"javascript:alert(3)\">点我</a>"];
        foreach (var payload in payloads)
        {
            _factory.UseNewClientAddress();
            using var posted = await PostAsync(reader, url, new() { ["Input.Name"] = "<b onmouseover=alert(4)>名</b>", ["Input.Body"] = payload });
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        }
        var page = await reader.GetPageAsync(url);
        var section = page.QuerySelector("#comments")!;
        Assert.Equal(payloads.Reverse(), Shown(page));
        Assert.Empty(section.QuerySelectorAll("script, img, b, a[href^='javascript']"));
        Assert.All(section.QuerySelectorAll(".comment__name"), n => Assert.Equal("<b onmouseover=alert(4)>名</b>", n.TextContent));
        // The moderators' queue encodes it too.
        var editor = await _factory.SignInAsync("editor@example.com");
        var queue = await editor.GetPageAsync("/admin/comments?status=all");
        Assert.Empty(queue.QuerySelectorAll("#comment-queue script, #comment-queue img, #comment-queue b, #comment-queue a[href^='javascript']"));
    }

    [Fact]
    public async Task Reply_ShowsAsEditorsReply_AndDeleteRemovesTheComment()
    {
        var (id, url) = await AddArticleAsync(withoutReview: true);
        var reader = _factory.CreateReader();
        using (await PostAsync(reader, url, new() { ["Input.Body"] = "什么时候通公交？" }))
        {
        }
        var comment = Assert.Single(await CommentsAsync(id));
        Assert.Single(Shown(await reader.GetPageAsync(url)));

        var editor = await _factory.SignInAsync("editor@example.com");
        using (var reply = await editor.SubmitFormAsync("/admin/comments?status=approved", $"li[data-comment='{comment.Id}'] form.comment-reply",
                   new() { ["reply"] = "预计年底开通。<script>x</script>" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, reply.StatusCode);
            Assert.Equal("/admin/comments?status=approved", reply.Headers.Location!.OriginalString);
        }
        var page = await reader.GetPageAsync(url);
        var replyBlock = page.QuerySelector($"#comment-{comment.Id} .comment__reply")!;
        Assert.StartsWith("编辑回复", replyBlock.QuerySelector(".comment__reply-label").Text());
        Assert.Equal("预计年底开通。<script>x</script>", replyBlock.QuerySelector(".comment__body")!.TextContent);

        using (var delete = await editor.SubmitFormAsync("/admin/comments?status=all", $"li[data-comment='{comment.Id}'] form.comment-delete", []))
        {
            Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        }
        Assert.Empty(await CommentsAsync(id));
        var gone = await reader.GetPageAsync(url);
        Assert.Empty(Shown(gone));
        Assert.Equal("留言（0）", gone.QuerySelector("#comments-title").Text());
    }

    [Fact]
    public async Task Reject_KeepsTheCommentOffThePage()
    {
        var (id, url) = await AddArticleAsync();
        using (await PostAsync(_factory.CreateReader(), url, new() { ["Input.Body"] = "无关广告" }))
        {
        }
        var comment = Assert.Single(await CommentsAsync(id));
        var editor = await _factory.SignInAsync("editor@example.com");
        using (var reject = await editor.SubmitFormAsync("/admin/comments", $"li[data-comment='{comment.Id}'] form.comment-reject", []))
        {
            Assert.Equal(HttpStatusCode.Redirect, reject.StatusCode);
        }
        Assert.Equal(CommentStatus.Rejected, (await CommentsAsync(id)).Single().Status);
        Assert.Empty(Shown(await _factory.CreateReader().GetPageAsync(url)));
        Assert.Null((await editor.GetPageAsync("/admin/comments")).QuerySelector($"li[data-comment='{comment.Id}']"));
    }

    [Fact]
    public async Task ClosedArticle_ShowsTheNotice_AndRefusesNewComments()
    {
        var (id, url) = await AddArticleAsync();
        var reader = _factory.CreateReader();
        var open = await reader.GetPageAsync(url);
        Assert.NotNull(open.QuerySelector("#comment-form"));
        var stampFields = Newsroom.FieldsOf(open, "#comment-form", new() { ["Input.Body"] = "关了还能发吗" });

        var editor = await _factory.SignInAsync("editor@example.com");
        using (var close = await editor.SubmitFormAsync($"/admin/comments?article={id}", "#article-comments-toggle", []))
        {
            Assert.Equal(HttpStatusCode.Redirect, close.StatusCode);
        }
        Assert.True(await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.CommentsClosed).SingleAsync()));

        var closed = await reader.GetPageAsync(url);
        Assert.Null(closed.QuerySelector("#comment-form"));
        Assert.Equal("本文已关闭留言。", closed.QuerySelector(".comments__closed").Text());
        _factory.Clock.Advance(TimeSpan.FromSeconds(5));
        using var refused = await reader.PostAsync($"/comments/{id}", new FormUrlEncodedContent(stampFields));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Empty(await CommentsAsync(id));
    }

    [Fact]
    public async Task DraftOrScheduledArticle_RefusesComments_404()
    {
        var (visibleId, visibleUrl) = await AddArticleAsync();
        var reader = _factory.CreateReader();
        var fields = Newsroom.FieldsOf(await reader.GetPageAsync(visibleUrl), "#comment-form", new() { ["Input.Body"] = "抢先留言" });
        var (draft, _) = await AddArticleAsync(b => b.Draft());
        var (scheduled, _) = await AddArticleAsync(b => b.PublishedAt(DateTime.UtcNow.AddDays(2)));
        _factory.Clock.Advance(TimeSpan.FromSeconds(5));
        foreach (var id in new[] { draft, scheduled, 999999 })
        {
            using var posted = await reader.PostAsync($"/comments/{id}", new FormUrlEncodedContent(fields));
            Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
            Assert.Empty(await CommentsAsync(id));
        }
    }

    [Fact]
    public async Task SignedInStaff_IsNamedOnlyWithAValidAntiforgeryToken()
    {
        var (id, url) = await AddArticleAsync(withoutReview: true);
        var editor = await _factory.SignInAsync("editor@example.com");
        using (var own = await PostAsync(editor, url, new() { ["Input.Body"] = "编辑部留言" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, own.StatusCode);
        }
        // The same post without the token (a forged cross-site form) is taken as an anonymous reader's.
        using (var forged = await PostAsync(editor, url, new() { ["Input.Body"] = "伪造的留言", ["__RequestVerificationToken"] = null }))
        {
            Assert.Equal(HttpStatusCode.Redirect, forged.StatusCode);
        }
        var comments = await CommentsAsync(id);
        Assert.NotNull(comments[0].UserId);
        Assert.Null(comments[1].UserId);
    }

    [Fact]
    public async Task BulkApprove_ApprovesTheSelectedPendingComments_Only()
    {
        var (id, url) = await AddArticleAsync();
        var reader = _factory.CreateReader();
        foreach (var body in new[] { "第一条", "第二条", "第三条" })
        {
            using (await PostAsync(reader, url, new() { ["Input.Body"] = body }))
            {
            }
        }
        var comments = await CommentsAsync(id);
        Assert.Equal(3, comments.Count);
        var editor = await _factory.SignInAsync("editor@example.com");
        var queue = await editor.GetPageAsync("/admin/comments");
        Assert.Equal(3, queue.QuerySelectorAll("input[name=ids][form=bulk-approve]").Length);
        var fields = Newsroom.FieldsOf(queue, "#bulk-approve");
        fields.Add(new("ids", $"{comments[0].Id}"));
        fields.Add(new("ids", $"{comments[2].Id}"));
        var action = queue.QuerySelector("#bulk-approve")!.GetAttribute("action")!;
        using (var approve = await editor.PostAsync(action, new FormUrlEncodedContent(fields)))
        {
            Assert.Equal(HttpStatusCode.Redirect, approve.StatusCode);
        }
        Assert.Equal([CommentStatus.Approved, CommentStatus.Pending, CommentStatus.Approved], (await CommentsAsync(id)).Select(c => c.Status).ToList());
        Assert.Equal(["第三条", "第一条"], Shown(await reader.GetPageAsync(url)));
    }

    [Fact]
    public async Task Reporter_CannotModerate_403()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        var reporter = await _factory.SignInAsync("reporter@example.com");
        using var page = await reporter.GetAsync("/admin/comments");
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        using var post = await reporter.PostAsync("/admin/comments?handler=Approve", new FormUrlEncodedContent([new("commentId", "1")]));
        Assert.True(post.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest, $"answered {(int)post.StatusCode}");
    }

    [Fact]
    public async Task RetentionPass_DeletesOldRejected_AndDropsOldClientHashes()
    {
        var (id, _) = await AddArticleAsync();
        var old = _factory.Clock.GetUtcNow().UtcDateTime.AddDays(-200);
        var recent = _factory.Clock.GetUtcNow().UtcDateTime.AddDays(-1);
        await _factory.WithDbAsync(async db =>
        {
            db.Comments.AddRange(
                new Comment { ArticleId = id, Body = "旧的被拒", Status = CommentStatus.Rejected, CreatedAt = old, ClientHash = "a" },
                new Comment { ArticleId = id, Body = "旧的已通过", Status = CommentStatus.Approved, CreatedAt = old, ClientHash = "b" },
                new Comment { ArticleId = id, Body = "新的被拒", Status = CommentStatus.Rejected, CreatedAt = recent, ClientHash = "c" });
            await db.SaveChangesAsync();
        });
        var (deleted, anonymised) = await _factory.Services.GetRequiredService<CommentRetention>().RunAsync(CancellationToken.None);
        Assert.Equal((1, 1), (deleted, anonymised));
        var left = await CommentsAsync(id);
        Assert.Equal([("旧的已通过", (string?)null), ("新的被拒", "c")], left.Select(c => (c.Body, c.ClientHash)).ToList());
    }
}
