using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Reading;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>三审 through the review page's real forms: who may take which step, and what a refusal looks like.</summary>
public sealed class WorkflowTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<int> SubmittedAsync(string title = "十八洞村合作社分红")
    {
        var id = await _factory.CreateDraftAsync("reporter@example.com", title);
        var reporter = await _factory.SignInAsync("reporter@example.com");
        await reporter.StepOkAsync(id, "submit");
        return id;
    }

    private async Task UsersAsync()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        await _factory.CreateUserAsync("reporter2@example.com", NewsRoles.Reporter);
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        await _factory.CreateUserAsync("editor2@example.com", NewsRoles.Editor);
        await _factory.CreateUserAsync("editor3@example.com", NewsRoles.Editor);
        await _factory.CreateUserAsync("chief@example.com", NewsRoles.EditorInChief);
    }

    [Fact]
    public async Task Reporter_SubmitsOwnDraft_ItWaitsForFirstReviewWithARecordAndAnAuditEntry()
    {
        await UsersAsync();
        var id = await _factory.CreateDraftAsync("reporter@example.com", "十八洞村合作社分红");
        var reporter = await _factory.SignInAsync("reporter@example.com");

        var before = await reporter.GetPageAsync($"/admin/articles/{id}");
        Assert.Equal("十八洞村合作社分红", before.QuerySelector("h1").Text());
        Assert.Equal("/admin/articles/" + id + "/edit", before.QuerySelector("a[href$='/edit']")!.GetAttribute("href"));
        using var response = await reporter.StepAsync(id, "submit");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/admin/articles/{id}", response.Headers.Location!.OriginalString);
        var page = await reporter.GetPageAsync($"/admin/articles/{id}");
        Assert.Equal("已送审。", page.QuerySelector(".flash").Text());
        Assert.Equal("待初审", page.QuerySelector("#article-status").Text());
        Assert.Null(page.QuerySelector("form[id^=workflow-]"));
        Assert.Null(page.QuerySelector("a[href$='/edit']"));
        var record = page.QuerySelectorAll(".review-history tbody tr").Last();
        Assert.Contains("送审", record.Text());
        Assert.Contains("reporter", record.Text());
        var audit = await _factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Target == $"article:{id}").Select(e => e.Action).ToListAsync());
        Assert.Equal([AuditActions.Workflow(ReviewAction.Submit)], audit);
    }

    [Fact]
    public async Task SamePerson_CannotPassTwoLevels()
    {
        await UsersAsync();
        var id = await SubmittedAsync();
        var editor = await _factory.SignInAsync("editor@example.com");
        await editor.StepOkAsync(id, "pass", "事实已核对");

        var page = await editor.GetPageAsync($"/admin/articles/{id}");
        Assert.Equal("已初审 · 待复审", page.QuerySelector("#article-status").Text());
        Assert.Null(page.QuerySelector("#workflow-pass"));
        using var again = await editor.ForcedStepAsync(_factory, id, "Pass");

        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        Assert.Contains("同一人不能在两个审核级别通过同一篇稿件。", await again.Content.ReadAsStringAsync());
        Assert.Equal((ArticleStatus.InReview, 1), await _factory.StatusAsync(id));
        Assert.Contains("初审通过", page.QuerySelector(".review-history").Text());
        Assert.Contains("事实已核对", page.QuerySelector(".review-history").Text());
    }

    [Fact]
    public async Task SendBack_WithoutAReasonIsRefused_WithOneReturnsTheDraftToItsReporter()
    {
        await UsersAsync();
        var id = await SubmittedAsync();
        var editor = await _factory.SignInAsync("editor@example.com");

        using var refused = await editor.StepAsync(id, "sendback", note: "  ");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("退回稿件须填写理由。", await refused.Content.ReadAsStringAsync());
        Assert.Equal((ArticleStatus.Submitted, 0), await _factory.StatusAsync(id));

        await editor.StepOkAsync(id, "sendback", "导语缺少时间和地点");

        Assert.Equal((ArticleStatus.Draft, 0), await _factory.StatusAsync(id));
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var page = await reporter.GetPageAsync($"/admin/articles/{id}");
        Assert.Equal("草稿", page.QuerySelector("#article-status").Text());
        Assert.NotNull(page.QuerySelector("#workflow-submit"));
        Assert.Contains("导语缺少时间和地点", page.QuerySelector(".review-history").Text());
    }

    [Fact]
    public async Task Editor_CannotPassTheFinalLevel()
    {
        await UsersAsync();
        var id = await SubmittedAsync();
        await (await _factory.SignInAsync("editor@example.com")).StepOkAsync(id, "pass");
        await (await _factory.SignInAsync("editor2@example.com")).StepOkAsync(id, "pass");
        var editor3 = await _factory.SignInAsync("editor3@example.com");

        var page = await editor3.GetPageAsync($"/admin/articles/{id}");
        Assert.Null(page.QuerySelector("#workflow-pass"));
        using var response = await editor3.ForcedStepAsync(_factory, id, "Pass");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("您没有终审的权限。", await response.Content.ReadAsStringAsync());
        Assert.Equal((ArticleStatus.InReview, 2), await _factory.StatusAsync(id));
        var chief = await _factory.SignInAsync("chief@example.com");
        Assert.Equal("通过（终审）", (await chief.GetPageAsync($"/admin/articles/{id}")).QuerySelector("#workflow-pass button").Text());
    }

    [Fact]
    public async Task Reporter_CannotPass()
    {
        await UsersAsync();
        var id = await SubmittedAsync();
        var reporter = await _factory.SignInAsync("reporter@example.com");

        using var response = await reporter.ForcedStepAsync(_factory, id, "Pass");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("您没有初审的权限。", await response.Content.ReadAsStringAsync());
        Assert.Equal((ArticleStatus.Submitted, 0), await _factory.StatusAsync(id));
    }

    [Fact]
    public async Task Reporter_CannotSeeOrActOnAnotherReportersArticle()
    {
        await UsersAsync();
        var id = await _factory.CreateDraftAsync("reporter@example.com", "别人的草稿");
        var other = await _factory.SignInAsync("reporter2@example.com");

        await other.GetPageAsync($"/admin/articles/{id}", 404);
        using var forced = await other.ForcedStepAsync(_factory, id, "Submit", tokenPage: "/admin");
        var list = await other.GetPageAsync("/admin/articles");

        Assert.Equal(HttpStatusCode.NotFound, forced.StatusCode);
        Assert.Equal((ArticleStatus.Draft, 0), await _factory.StatusAsync(id));
        Assert.DoesNotContain("别人的草稿", list.QuerySelector("main").Text());
    }

    [Fact]
    public async Task AdministratorWithoutEditorialRole_SeesEveryArticleReadOnly()
    {
        await UsersAsync();
        await _factory.CreateUserAsync("admin@example.com", NewsRoles.Administrator);
        var id = await SubmittedAsync();
        var admin = await _factory.SignInAsync("admin@example.com");

        // One rule everywhere: listed, the review page opens with no step offered, the editor answers 403 saying why.
        var review = await admin.GetPageAsync($"/admin/articles/{id}");
        Assert.Null(review.QuerySelector("form[id^=workflow-]"));
        Assert.Contains((await admin.GetPageAsync("/admin/articles")).QuerySelectorAll(".article-table tbody tr a"),
            a => a.GetAttribute("href") == $"/admin/articles/{id}");
        using var edit = await admin.GetAsync($"/admin/articles/{id}/edit");
        Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
        Assert.Contains("管理员可以查看所有稿件，但不能修改", await edit.Content.ReadAsStringAsync());
        using var forced = await admin.ForcedStepAsync(_factory, id, "Pass");
        Assert.Equal(HttpStatusCode.Forbidden, forced.StatusCode);
        Assert.Equal((ArticleStatus.Submitted, 0), await _factory.StatusAsync(id));
    }

    [Fact]
    public async Task StaleForm_AfterSomeoneElsePassed_IsRefusedWithConflict()
    {
        await UsersAsync();
        var id = await SubmittedAsync();
        var editor = await _factory.SignInAsync("editor@example.com");
        var stale = await editor.GetPageAsync($"/admin/articles/{id}");
        await (await _factory.SignInAsync("editor2@example.com")).StepOkAsync(id, "pass");

        using var response = await editor.PostFormAsync(stale, "#workflow-pass", new() { ["Input.Note"] = "同意" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("请查看最新状态后再操作", await response.Content.ReadAsStringAsync());
        Assert.Equal((ArticleStatus.InReview, 1), await _factory.StatusAsync(id));
    }

    [Fact]
    public async Task Approved_PublishNow_ShowsOnTheFrontPageAtOnce()
    {
        await UsersAsync();
        var id = await SubmittedAsync("凤凰古城非遗工坊开业");
        await (await _factory.SignInAsync("editor@example.com")).StepOkAsync(id, "pass");
        await (await _factory.SignInAsync("editor2@example.com")).StepOkAsync(id, "pass");
        await (await _factory.SignInAsync("chief@example.com")).StepOkAsync(id, "pass");
        var editor = await _factory.SignInAsync("editor@example.com");
        Assert.Equal("已终审 · 待发布", (await editor.GetPageAsync($"/admin/articles/{id}")).QuerySelector("#article-status").Text());

        await editor.StepOkAsync(id, "publish");

        Assert.Equal((ArticleStatus.Published, 3), await _factory.StatusAsync(id));
        Assert.Contains("凤凰古城非遗工坊开业", (await _factory.CreateReader().GetPageAsync("/")).QuerySelector(".latest").Text());
        var page = await editor.GetPageAsync($"/admin/articles/{id}");
        Assert.StartsWith($"/articles/{id}/", page.QuerySelector("#public-link")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Correction_IsVisibleOnThePublicPageAtTheNextRequestAfterItsReview()
    {
        await UsersAsync();
        var id = await _factory.ArticleIdAsync("jinan-xiangxi-delegation");
        var editor = await _factory.SignInAsync("editor@example.com");

        using var refused = await editor.StepAsync(id, "correct", note: "");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        await editor.StepOkAsync(id, "correct", "原文“4482 人”指培训人次，特此更正。");

        // The note is reader-visible text: it waits, in review, until the change passes.
        Assert.Null((await _factory.CreateReader().GetPageAsync($"/articles/{id}")).QuerySelector(".article__correction"));
        Assert.Contains("原文“4482 人”指培训人次", (await editor.GetPageAsync($"/admin/articles/{id}")).QuerySelector("#pending-correction").Text());
        await _factory.ApproveChangeAsync(editor, id);

        var page = await _factory.CreateReader().GetPageAsync($"/articles/{id}");
        var box = page.QuerySelector(".article__correction").Text();
        var now = ChinaTime.FormatDateTime(_factory.Clock.GetUtcNow().UtcDateTime);
        Assert.Equal($"【更正】原文“4482 人”指培训人次，特此更正。（更正于 {now}）", box);
        Assert.True(page.QuerySelector(".article__correction")!.CompareDocumentPosition(page.QuerySelector(".article__body")!)
            .HasFlag(AngleSharp.Dom.DocumentPositions.Following), "the correction comes before the body");
    }

    [Fact]
    public async Task Withdraw_RemovesTheArticleFromEveryPublicPageAndItsUrlAnswersGone()
    {
        await UsersAsync();
        const string title = "湘西特色村寨撤稿测试报道";
        var id = await _factory.WithDbAsync(async db =>
        {
            var channelId = await db.Channels.Where(c => c.Slug == "xiaozhen").Select(c => c.Id).SingleAsync();
            var article = new ArticleBuilder(channelId, title).Pinned(0).Build();
            db.Articles.Add(article);
            await db.SaveChangesAsync();
            return article.Id;
        });
        var reader = _factory.CreateReader();
        var places = new[] { "/", "/channels/xiaozhen", $"/search?q={Uri.EscapeDataString(title)}" };
        var link = $"a[href^='/articles/{id}/']";
        foreach (var place in places)
        {
            Assert.NotEmpty((await reader.GetPageAsync(place)).QuerySelectorAll($"main {link}"));
        }
        Assert.NotEmpty((await reader.GetPageAsync("/videos")).QuerySelectorAll($".sidebars {link}"));
        Assert.Contains(title, await reader.GetStringAsync("/feed.xml"));
        var editor = await _factory.SignInAsync("editor@example.com");

        using var refused = await editor.StepAsync(id, "withdraw", note: "");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("撤稿须填写理由。", await refused.Content.ReadAsStringAsync());
        await editor.StepOkAsync(id, "withdraw", "当事方提出异议，内部核查中");

        foreach (var place in places)
        {
            Assert.Empty((await reader.GetPageAsync(place)).QuerySelectorAll(link));
        }
        Assert.Empty((await reader.GetPageAsync("/videos")).QuerySelectorAll(link));
        Assert.DoesNotContain(title, await reader.GetStringAsync("/feed.xml"));
        Assert.DoesNotContain(title, await reader.GetStringAsync("/channels/xiaozhen/feed.xml"));
        var gone = await reader.GetPageAsync($"/articles/{id}", 410);
        Assert.Contains("撤回", gone.QuerySelector(".notice__text").Text());
        Assert.Contains(ChinaTime.FormatDate(_factory.Clock.GetUtcNow().UtcDateTime), gone.QuerySelector(".notice__text").Text());
        Assert.DoesNotContain("内部核查", gone.Body!.TextContent);
        Assert.Equal((ArticleStatus.Withdrawn, 0), await _factory.StatusAsync(id));
    }

    [Fact]
    public async Task SingleReviewLevel_TheEditorInChiefsPassApproves()
    {
        await UsersAsync();
        // Disposed at the end: on the shared database, it must not outlive the test (its jobs run on the shared clock).
        using var app = _factory.WithWebHostBuilder(b => b.UseSetting("PovertyNews:Newsroom:ReviewLevels", "1"));
        var id = await _factory.CreateDraftAsync("reporter@example.com", "单级审核稿件");
        await (await app.SignInToAsync("reporter@example.com")).StepOkAsync(id, "submit");
        var editor = await app.SignInToAsync("editor@example.com");

        Assert.Null((await editor.GetPageAsync($"/admin/articles/{id}")).QuerySelector("#workflow-pass"));
        using var refused = await editor.ForcedStepAsync(_factory, id, "Pass");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        await (await app.SignInToAsync("chief@example.com")).StepOkAsync(id, "pass");

        Assert.Equal((ArticleStatus.Approved, 1), await _factory.StatusAsync(id));
        Assert.NotNull((await editor.GetPageAsync($"/admin/articles/{id}")).QuerySelector("#workflow-publish"));
    }
}

/// <summary>Drafts in the database and steps through the review page's forms, for the newsroom's workflow tests.</summary>
internal static class Workflow
{
    /// <summary>A draft owned by the user with this address, created directly in the database.</summary>
    public static Task<int> CreateDraftAsync(this WebApplicationFactory<Program> app, string ownerEmail, string title, string channelSlug = "xiezuo") =>
        app.WithDbAsync(async db =>
        {
            var ownerId = await db.Users.Where(u => u.Email == ownerEmail).Select(u => u.Id).SingleAsync();
            var channelId = await db.Channels.Where(c => c.Slug == channelSlug).Select(c => c.Id).SingleAsync();
            var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var article = new Article
            {
                Slug = "wf-" + Guid.NewGuid().ToString("N")[..12],
                Title = title,
                Summary = $"{title}的摘要",
                ChannelId = channelId,
                OwnerId = ownerId,
                CreatedAt = now,
                UpdatedAt = now,
            };
            article.SetBody($"{title}的正文。", $"<p>{title}的正文。</p>");
            db.Articles.Add(article);
            await db.SaveChangesAsync();
            return article.Id;
        });

    public static Task<(ArticleStatus, int)> StatusAsync(this WebApplicationFactory<Program> app, int id) =>
        app.WithDbAsync(async db =>
        {
            // Projected to an anonymous type: Npgsql reads a tuple projected in SQL as a record, which it does not map.
            var row = await db.Articles.Where(a => a.Id == id).Select(a => new { a.Status, a.ReviewLevel }).SingleAsync();
            return (row.Status, row.ReviewLevel);
        });

    /// <summary>Fills and posts the step's form (#workflow-submit, #workflow-pass …) on the article's review page.</summary>
    public static Task<HttpResponseMessage> StepAsync(this HttpClient client, int id, string step, string? note = null, string? at = null)
    {
        var values = new Dictionary<string, string?>();
        if (note is not null)
        {
            values["Input.Note"] = note;
        }
        if (at is not null)
        {
            values["Input.At"] = at;
        }
        return client.SubmitFormAsync($"/admin/articles/{id}", $"#workflow-{step}", values);
    }

    /// <summary>
    /// The article's pending version through its whole review, by reviewers who did not write it (two editors and an
    /// editor-in-chief, created when missing): 修改送审 unless it is already in review, then each level offered to them
    /// through the review page's form; the change must be applied at the end.
    /// </summary>
    public static async Task ApproveChangeAsync(this WebApplicationFactory<Program> app, HttpClient submitter, int id)
    {
        var state = await app.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.PendingState).SingleAsync());
        if (state == ChangeState.Draft)
        {
            await submitter.StepOkAsync(id, "submitchange");
        }
        foreach (var (email, role) in new[]
        {
            ("change-first@example.com", NewsRoles.Editor),
            ("change-second@example.com", NewsRoles.Editor),
            ("change-chief@example.com", NewsRoles.EditorInChief),
        })
        {
            if (!await app.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == email)))
            {
                await app.CreateUserInAsync(email, role);
            }
            var reviewer = await app.SignInToAsync(email);
            // With fewer levels configured, the editors are not offered the last one, which is the editor-in-chief's.
            if ((await reviewer.GetPageAsync($"/admin/articles/{id}")).QuerySelector("#workflow-passchange") is not null)
            {
                await reviewer.StepOkAsync(id, "passchange");
            }
        }
        Assert.Equal(ChangeState.None, await app.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.PendingState).SingleAsync()));
    }

    /// <summary>A step that must succeed: it answers with a redirect back to the review page.</summary>
    public static async Task StepOkAsync(this HttpClient client, int id, string step, string? note = null, string? at = null)
    {
        using var response = await client.StepAsync(id, step, note, at);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect,
            $"{step} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal($"/admin/articles/{id}", response.Headers.Location!.OriginalString);
    }

    /// <summary>
    /// Posts a step whose form the page does not offer, as a crafted request would: a valid antiforgery token
    /// (from <paramref name="tokenPage"/>) and the article's current version.
    /// </summary>
    public static async Task<HttpResponseMessage> ForcedStepAsync(this HttpClient client, WebApplicationFactory<Program> app, int id, string handler,
        string? note = null, string? tokenPage = null)
    {
        var page = await client.GetPageAsync(tokenPage ?? $"/admin/articles/{id}");
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var version = await app.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.Version).SingleAsync());
        return await client.PostAsync($"/admin/articles/{id}?handler={handler}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Input.Version"] = version.ToString(),
            ["Input.Note"] = note ?? "",
        }));
    }

    /// <summary>Posts a form of a page fetched earlier (a stale form), with its own fields overridden by <paramref name="values"/>.</summary>
    public static Task<HttpResponseMessage> PostFormAsync(this HttpClient client, AngleSharp.Html.Dom.IHtmlDocument page, string formSelector,
        Dictionary<string, string> values)
    {
        var form = (AngleSharp.Html.Dom.IHtmlFormElement)page.QuerySelector(formSelector)!;
        var fields = form.Elements.OfType<AngleSharp.Html.Dom.IHtmlInputElement>()
            .Where(i => !string.IsNullOrEmpty(i.Name) && !values.ContainsKey(i.Name!))
            .ToDictionary(i => i.Name!, i => i.Value);
        foreach (var (name, value) in values)
        {
            fields[name] = value;
        }
        return client.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(fields));
    }

    // ---- For a factory derived with WithWebHostBuilder (other settings, other services), as NewsFactory and Newsroom do. ----

    public static async Task CreateUserInAsync(this WebApplicationFactory<Program> app, string email, params string[] roles)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<AccountService>()
            .CreateAsync(email, email.Split('@')[0], Newsroom.Password, roles, "测试");
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    public static async Task<HttpClient> SignInToAsync(this WebApplicationFactory<Program> app, string email)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var response = await client.SubmitFormAsync("/admin/signin", "form",
            new() { ["Input.Email"] = email, ["Input.Password"] = Newsroom.Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    public static async Task<T> WithDbAsync<T>(this WebApplicationFactory<Program> app, Func<NewsDbContext, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var result = await work(scope.ServiceProvider.GetRequiredService<NewsDbContext>());
        app.Services.GetRequiredService<PortalCache>().Invalidate();
        return result;
    }
}
