using System.Net;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Articles;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>The article editor through its real forms: creating, saving, who may edit, preview, autosave, validation.</summary>
public sealed class EditorTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task UsersAsync()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        await _factory.CreateUserAsync("reporter2@example.com", NewsRoles.Reporter);
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        await _factory.CreateUserAsync("admin2@example.com", NewsRoles.Administrator);
    }

    [Fact]
    public async Task Create_AsReporter_MakesAnOwnedDraftWithTheFirstRevision()
    {
        await UsersAsync();
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var channelId = await _factory.EditorChannelIdAsync("chanye");

        var page = await reporter.GetPageAsync("/admin/articles/new");
        Assert.Equal("page", page.QuerySelector("a[href='/admin/articles/new']")!.GetAttribute("aria-current"));
        Assert.Contains("脱贫攻坚 › 产业扶贫", page.QuerySelectorAll("#Input_ChannelId option").Select(o => o.TextContent));
        var id = await reporter.CreateInEditorAsync(channelId, "十八洞村猕猴桃丰收", "第一段。", new() { ["Input.Tags"] = "湘西、猕猴桃, 新标签甲 " });

        var (userId, article) = await _factory.WithDbAsync(async db => (
            await db.Users.Where(u => u.Email == "reporter@example.com").Select(u => u.Id).SingleAsync(),
            await db.Articles.Include(a => a.Tags).SingleAsync(a => a.Id == id)));
        Assert.Equal(userId, article.OwnerId);
        Assert.Equal(ArticleStatus.Draft, article.Status);
        Assert.Equal(channelId, article.ChannelId);
        Assert.Matches("^a-[0-9]{8}-[0-9a-f]{6}$", article.Slug);
        Assert.Equal("第一段。", article.Summary);
        Assert.Equal(["新标签甲", "湘西", "猕猴桃"], article.Tags.Select(t => t.Name).Order(StringComparer.Ordinal));
        var revisions = await _factory.WithDbAsync(db => db.ArticleRevisions.Where(r => r.ArticleId == id).ToListAsync());
        var revision = Assert.Single(revisions);
        Assert.Equal((1, "十八洞村猕猴桃丰收", userId), (revision.Number, revision.Title, revision.UserId));
        var audit = await _factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Target == $"article:{id}").Select(e => e.Action).ToListAsync());
        Assert.Equal([AuditActions.ArticleCreated], audit);
        var reviews = await _factory.WithDbAsync(db => db.ArticleReviews.Where(r => r.ArticleId == id).Select(r => r.Action).ToListAsync());
        Assert.Equal([ReviewAction.Create], reviews);
    }

    [Fact]
    public async Task EditOwnDraft_SavesRenderedBodyAsRevisionTwo()
    {
        await UsersAsync();
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var id = await reporter.CreateInEditorAsync(await _factory.EditorChannelIdAsync(), "草稿标题", "旧正文");

        using var response = await reporter.SaveInEditorAsync(id, new() { ["Input.Title"] = "新标题", ["Input.Body"] = "这是**加粗**的字。" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/admin/articles/{id}/edit", response.Headers.Location!.OriginalString);
        var page = await reporter.GetPageAsync($"/admin/articles/{id}/edit");
        Assert.Equal("已保存", page.QuerySelector(".flash").Text());
        Assert.Equal("新标题", page.QuerySelector<IHtmlInputElement>("#Input_Title")!.Value);
        Assert.NotNull(page.QuerySelector($"a[href='/admin/articles/{id}']"));
        Assert.NotNull(page.QuerySelector($"a[href='/admin/articles/{id}/revisions']"));
        var article = await _factory.WithDbAsync(db => db.Articles.SingleAsync(a => a.Id == id));
        Assert.Equal("<p>这是<strong>加粗</strong>的字。</p>", article.BodyHtml.Trim());
        Assert.Equal("这是加粗的字。", article.Summary); // the automatic summary follows the body
        Assert.Equal("", page.QuerySelector<IHtmlTextAreaElement>("#Input_Summary")!.Value);
        Assert.Equal("自动摘要：这是加粗的字。", page.QuerySelector("#Input_Summary")!.GetAttribute("placeholder"));
        var numbers = await _factory.WithDbAsync(db => db.ArticleRevisions.Where(r => r.ArticleId == id).OrderBy(r => r.Number).Select(r => r.Number).ToListAsync());
        Assert.Equal([1, 2], numbers);
        var audit = await _factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Target == $"article:{id}").OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
        Assert.Equal([AuditActions.ArticleCreated, AuditActions.ArticleSaved], audit);
    }

    [Fact]
    public async Task OtherReportersDraft_Answers404ForOpeningAndSaving()
    {
        await UsersAsync();
        var owner = await _factory.SignInAsync("reporter@example.com");
        var id = await owner.CreateInEditorAsync(await _factory.EditorChannelIdAsync(), "记者甲的草稿", "正文");
        var editPage = await owner.GetPageAsync($"/admin/articles/{id}/edit");
        var other = await _factory.SignInAsync("reporter2@example.com");

        await other.GetPageAsync($"/admin/articles/{id}/edit", 404);
        await other.GetPageAsync($"/admin/articles/{id}/revisions", 404);
        var token = (await other.GetPageAsync("/admin/articles/new")).QuerySelector<IHtmlInputElement>("#article-form input[name=__RequestVerificationToken]")!.Value;
        var fields = EditorKit.FieldsOf(editPage, "#article-form");
        fields.RemoveAll(f => f.Key == "__RequestVerificationToken");
        fields.Add(new("__RequestVerificationToken", token));
        fields.RemoveAll(f => f.Key == "Input.Title");
        fields.Add(new("Input.Title", "被改了"));
        using var post = await other.PostAsync($"/admin/articles/{id}/edit", new FormUrlEncodedContent(fields));
        using var autosave = await other.PostAsync($"/admin/articles/{id}/edit?handler=Autosave", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, autosave.StatusCode);
        Assert.Equal("记者甲的草稿", await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.Title).SingleAsync()));
    }

    [Fact]
    public async Task Editor_CanEditAReportersDraft()
    {
        await UsersAsync();
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var id = await reporter.CreateInEditorAsync(await _factory.EditorChannelIdAsync(), "记者的草稿", "正文");
        var editor = await _factory.SignInAsync("editor@example.com");

        using var response = await editor.SaveInEditorAsync(id, new() { ["Input.Title"] = "编辑改过的标题" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = await _factory.WithDbAsync(db => db.ArticleRevisions.Where(r => r.ArticleId == id && r.Number == 2).Select(r => r.UserName).SingleAsync());
        Assert.Equal("editor", saved);
        Assert.Equal("编辑改过的标题", await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.Title).SingleAsync()));
    }

    [Fact]
    public async Task AdministratorWithoutEditorialRole_Gets403()
    {
        await UsersAsync();
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var id = await reporter.CreateInEditorAsync(await _factory.EditorChannelIdAsync(), "草稿", "正文");
        var admin = await _factory.SignInAsync("admin2@example.com");

        var page = await admin.GetPageAsync("/admin/articles/new", 403);
        await admin.GetPageAsync($"/admin/articles/{id}/edit", 403);

        Assert.Contains("没有权限", page.Body!.TextContent);
    }

    [Fact]
    public async Task OwnSubmittedArticle_IsNoLongerEditableByItsReporter()
    {
        await UsersAsync();
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var id = await reporter.CreateInEditorAsync(await _factory.EditorChannelIdAsync(), "已送审的稿件", "正文");
        await _factory.WithDbAsync(async db =>
        {
            var article = await db.Articles.SingleAsync(a => a.Id == id);
            article.Submit(new Actor(article.OwnerId!, "reporter", new HashSet<string> { NewsRoles.Reporter }), DateTime.UtcNow);
            await db.SaveChangesAsync();
        });

        await reporter.GetPageAsync($"/admin/articles/{id}/edit", 403);
        var editor = await _factory.SignInAsync("editor@example.com");
        var page = await editor.GetPageAsync($"/admin/articles/{id}/edit");
        Assert.True(string.IsNullOrEmpty(page.QuerySelector("#article-form")!.GetAttribute("data-autosave-url")), "only drafts autosave");
    }

    [Fact]
    public async Task Preview_ReturnsTheSanitisedFragment()
    {
        await UsersAsync();
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var token = await reporter.EditorTokenAsync();

        using var response = await reporter.PreviewAsync(token, "[x](javascript:alert(1)) **粗** <script>alert(1)</script>");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var fragment = new HtmlParser().ParseDocument("<body>" + html);
        Assert.Equal("粗", fragment.QuerySelector("strong").Text());
        Assert.Null(fragment.QuerySelector("script"));
        Assert.DoesNotContain("javascript:", string.Concat(fragment.QuerySelectorAll("a").Select(a => a.GetAttribute("href"))));
    }

    [Fact]
    public async Task Preview_RefusedBody_Gets400WithAChineseMessage()
    {
        await UsersAsync();
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var token = await reporter.EditorTokenAsync();

        using var deep = await reporter.PreviewAsync(token, new string('>', 10_000) + " 引用");
        using var tooLong = await reporter.PreviewAsync(token, new string('字', 1_000_001));

        Assert.Equal(HttpStatusCode.BadRequest, deep.StatusCode);
        Assert.Contains("嵌套", await deep.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("正文过长", await tooLong.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Preview_WithoutToken_Gets400()
    {
        await UsersAsync();
        var reporter = await _factory.SignInAsync("reporter@example.com");

        using var response = await reporter.PostAsync("/admin/articles/preview",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Markdown"] = "**x**" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("<strong>x</strong>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Autosave_SavesTheDraftAndAnswersJson()
    {
        await UsersAsync();
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var id = await reporter.CreateInEditorAsync(await _factory.EditorChannelIdAsync(), "草稿", "第一版正文");
        var page = await reporter.GetPageAsync($"/admin/articles/{id}/edit");
        Assert.Equal($"/admin/articles/{id}/edit?handler=Autosave", page.QuerySelector("#article-form")!.GetAttribute("data-autosave-url"));
        var fields = EditorKit.FieldsOf(page, "#article-form", new() { ["Input.Body"] = "自动保存的正文" });

        using var response = await reporter.PostAsync($"/admin/articles/{id}/edit?handler=Autosave", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var version = json.RootElement.GetProperty("version").GetGuid();
        Assert.Matches("^[0-9]{2}:[0-9]{2}$", json.RootElement.GetProperty("savedAtText").GetString());
        Assert.EndsWith("+08:00", json.RootElement.GetProperty("savedAt").GetString());
        var (body, current) = await _factory.WithDbAsync(async db =>
            await db.Articles.Where(a => a.Id == id).Select(a => new Tuple<string, Guid>(a.BodyMarkdown, a.Version)).SingleAsync());
        Assert.Equal(("自动保存的正文", version), (body, current));
        var revision = await _factory.WithDbAsync(db => db.ArticleRevisions.Where(r => r.ArticleId == id).OrderByDescending(r => r.Number).FirstAsync());
        Assert.Equal((2, ArticleEditor.AutosaveNote), (revision.Number, revision.Note));

        // The same content again (with the new version, as editor.js sends it) writes no further revision.
        fields.RemoveAll(f => f.Key == "Input.Version");
        fields.Add(new("Input.Version", version.ToString()));
        using var again = await reporter.PostAsync($"/admin/articles/{id}/edit?handler=Autosave", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(2, await _factory.WithDbAsync(db => db.ArticleRevisions.CountAsync(r => r.ArticleId == id)));
        var audit = await _factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.ArticleSaved));
        Assert.Equal(0, audit);
    }

    [Fact]
    public async Task TenAutosavesWithinTheWindow_KeepOneAutosaveRevisionWithTheNewestText_TheNextWindowStartsAnother()
    {
        await UsersAsync();
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var id = await reporter.CreateInEditorAsync(await _factory.EditorChannelIdAsync(), "草稿", "第一版正文");
        var fields = EditorKit.FieldsOf(await reporter.GetPageAsync($"/admin/articles/{id}/edit"), "#article-form");

        async Task AutosaveAsync(string body)
        {
            var version = await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.Version).SingleAsync());
            fields.RemoveAll(f => f.Key is "Input.Version" or "Input.Body");
            fields.Add(new("Input.Version", version.ToString()));
            fields.Add(new("Input.Body", body));
            using var response = await reporter.PostAsync($"/admin/articles/{id}/edit?handler=Autosave", new FormUrlEncodedContent(fields));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        for (var i = 1; i <= 10; i++)
        {
            await AutosaveAsync($"第 {i} 次自动保存的正文");
            _factory.Clock.Advance(TimeSpan.FromSeconds(30));
        }

        var revisions = await _factory.WithDbAsync(db => db.ArticleRevisions.Where(r => r.ArticleId == id).OrderBy(r => r.Number)
            .Select(r => new { r.Number, r.Note, r.BodyMarkdown }).ToListAsync());
        Assert.Equal(2, revisions.Count);
        Assert.Equal((ArticleEditor.AutosaveNote, "第 10 次自动保存的正文"), (revisions[1].Note, revisions[1].BodyMarkdown));

        _factory.Clock.Advance(ArticleEditor.AutosaveWindow);
        await AutosaveAsync("下一个时段的正文");
        Assert.Equal(3, await _factory.WithDbAsync(db => db.ArticleRevisions.CountAsync(r => r.ArticleId == id)));
    }

    public static TheoryData<string, string, string, string> InvalidInputs => new()
    {
        { "Input.Title", "", "请填写标题", "Input.Title" },
        { "Input.CoverImageUrl", "javascript:alert(1)", "封面图须是", "Input.CoverImageUrl" },
        { "Input.CoverImageUrl", "/images/cover.jpg", "须填写封面说明", "Input.CoverImageAlt" },
        { "Input.Tags", "好/坏", "不能含有“/”", "Input.Tags" },
        { "Input.Body", new string('>', 10_000), "嵌套", "Input.Body" },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public async Task InvalidInput_ShowsTheFormAgainWithTheMessageAndSavesNothing(string field, string value, string message, string errorFor)
    {
        await UsersAsync();
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var id = await reporter.CreateInEditorAsync(await _factory.EditorChannelIdAsync(), "原标题", "原正文");

        using var response = await reporter.SaveInEditorAsync(id, new() { [field] = value, ["Input.Subtitle"] = "新副标题不能丢" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        Assert.Contains(message, page.QuerySelector(".form-errors").Text());
        Assert.Contains(message, page.QuerySelector($"[data-valmsg-for='{errorFor}']").Text());
        Assert.Equal("新副标题不能丢", page.QuerySelector<IHtmlInputElement>("#Input_Subtitle")!.Value);
        Assert.Equal(1, await _factory.WithDbAsync(db => db.ArticleRevisions.CountAsync(r => r.ArticleId == id)));
        Assert.Equal("原标题", await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.Title).SingleAsync()));
    }

    [Fact]
    public async Task InvalidNewArticle_IsNotCreated()
    {
        await UsersAsync();
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var before = await _factory.WithDbAsync(db => db.Articles.CountAsync());

        using var response = await reporter.SubmitFormAsync("/admin/articles/new", "#article-form", new()
        {
            ["Input.Title"] = "",
            ["Input.ChannelId"] = (await _factory.EditorChannelIdAsync()).ToString(),
            ["Input.CoverImageUrl"] = "javascript:alert(1)",
            ["Input.Body"] = "写了很多的正文",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        var errors = page.QuerySelector(".form-errors").Text();
        Assert.Contains("请填写标题", errors);
        Assert.Contains("封面图须是", errors);
        Assert.Contains("须填写封面说明", errors);
        Assert.Equal("写了很多的正文", page.QuerySelector<IHtmlTextAreaElement>("#Input_Body")!.Value);
        Assert.Equal(before, await _factory.WithDbAsync(db => db.Articles.CountAsync()));
    }

    [Fact]
    public async Task ReporterOpeningAnImportedArticle_Gets403()
    {
        await UsersAsync();
        var id = await _factory.ArticleIdAsync("jinan-xiangxi-delegation");
        var reporter = await _factory.SignInAsync("reporter@example.com");

        // Published, so the reporter may read it (review page), not edit it.
        await reporter.GetPageAsync($"/admin/articles/{id}/edit", 403);
        var editor = await _factory.SignInAsync("editor@example.com");
        var page = await editor.GetPageAsync($"/admin/articles/{id}/edit");
        Assert.Contains("济南", page.QuerySelector<IHtmlInputElement>("#Input_Title")!.Value);
        Assert.Equal("/images/samples/delegation.jpg", page.QuerySelector<IHtmlInputElement>("#Input_CoverImageUrl")!.Value);
    }
}

/// <summary>Helpers for the editor's tests: its forms, filled from the page as a browser would.</summary>
internal static class EditorKit
{
    public static Task<int> EditorChannelIdAsync(this NewsFactory factory, string slug = "chanye") =>
        factory.WithDbAsync(db => db.Channels.Where(c => c.Slug == slug).Select(c => c.Id).SingleAsync());

    /// <summary>Creates an article through the 写稿 form and returns its id.</summary>
    public static async Task<int> CreateInEditorAsync(this HttpClient client, int channelId, string title, string body,
        Dictionary<string, string?>? more = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Input.Title"] = title,
            ["Input.ChannelId"] = channelId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Body"] = body,
        };
        foreach (var (key, value) in more ?? [])
        {
            values[key] = value;
        }
        using var response = await client.SubmitFormAsync("/admin/articles/new", "#article-form", values);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect,
            $"creating '{title}' answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var location = response.Headers.Location!.OriginalString;
        Assert.Matches("^/admin/articles/[0-9]+/edit$", location);
        return int.Parse(location.Split('/')[3], System.Globalization.CultureInfo.InvariantCulture);
    }

    public static Task<HttpResponseMessage> SaveInEditorAsync(this HttpClient client, int id, Dictionary<string, string?> values) =>
        client.SubmitFormAsync($"/admin/articles/{id}/edit", "#article-form", values);

    public static async Task<string> EditorTokenAsync(this HttpClient client) =>
        (await client.GetPageAsync("/admin/articles/new")).QuerySelector<IHtmlInputElement>("#article-form input[name=__RequestVerificationToken]")!.Value;

    /// <summary>As editor.js does: the Markdown as a form field, the token in the RequestVerificationToken header.</summary>
    public static Task<HttpResponseMessage> PreviewAsync(this HttpClient client, string token, string markdown)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/admin/articles/preview")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Markdown"] = markdown }),
        };
        request.Headers.Add("RequestVerificationToken", token);
        return client.SendAsync(request);
    }

    public static List<KeyValuePair<string, string>> FieldsOf(IHtmlDocument page, string formSelector, Dictionary<string, string?>? values = null) =>
        Newsroom.FieldsOf(page, formSelector, values);

    /// <summary>Posts a form of a page already loaded (e.g. one that came back from a POST), to its action.</summary>
    public static Task<HttpResponseMessage> PostLoadedFormAsync(this HttpClient client, IHtmlDocument page, string pageUrl, string formSelector,
        Dictionary<string, string?>? values = null)
    {
        var action = page.QuerySelector(formSelector)!.GetAttribute("action") is { Length: > 0 } a ? a : pageUrl;
        return client.PostAsync(action, new FormUrlEncodedContent(FieldsOf(page, formSelector, values)));
    }
}
