using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>
/// Search that knows Chinese names: traditional and simplified characters find each other (and are highlighted on
/// the text's own characters), and the administrators' synonym groups widen reader and staff searches, with the page
/// saying what it added; the group page's rules, audit and access; cached searches after a change.
/// </summary>
public sealed class SynonymTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<HttpClient> AdminAsync()
    {
        await _factory.CreateUserAsync("admin@example.com", NewsRoles.Administrator);
        return await _factory.SignInAsync("admin@example.com");
    }

    private async Task<int> AddAsync(string title, bool draft = false, params string[] body) => await _factory.WithDbAsync(async db =>
    {
        var channel = await db.Channels.Where(c => c.Slug == "xiezuo").Select(c => c.Id).SingleAsync();
        var builder = new ArticleBuilder(channel, title).Body(body.Length == 0 ? ["正文"] : body);
        var article = (draft ? builder.Draft() : builder).Build();
        db.Articles.Add(article);
        await db.SaveChangesAsync();
        return article.Id;
    });

    private Task<IHtmlDocument> ReaderSearchAsync(string q) =>
        _factory.CreateReader().GetPageAsync("/search?q=" + Uri.EscapeDataString(q));

    /// <summary>Whether the results (not the sidebars, which list new articles too) link to the article.</summary>
    private static bool Finds(IHtmlDocument page, int id) =>
        page.QuerySelectorAll(".search-result__title a, .search-table a").Any(a => a.GetAttribute("href") is { } href
            && (href.StartsWith($"/articles/{id}/", StringComparison.Ordinal) || href == $"/articles/{id}"
                || href.StartsWith($"/admin/articles/{id}/", StringComparison.Ordinal) || href == $"/admin/articles/{id}"));

    private static async Task AddGroupAsync(HttpClient admin, string words)
    {
        using var response = await admin.SubmitFormAsync("/admin/search/synonyms", "#synonym-add", new() { ["Input.Words"] = words });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private Task<List<string>> AuditAsync(string action) =>
        _factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Action == action).OrderBy(e => e.Id)
            .Select(e => e.Target + " " + e.Details).ToListAsync());

    // ---------------------------------------------------------------- Traditional and simplified

    [Fact]
    public async Task TraditionalQuery_FindsTheSimplifiedArticle()
    {
        var id = await AddAsync("蓝莓合作社带动农户增收");

        var page = await ReaderSearchAsync("藍莓合作社");

        Assert.True(Finds(page, id));
        Assert.Equal("<mark>蓝莓合作社</mark>带动农户增收", page.QuerySelector(".search-result__title a")!.InnerHtml);
    }

    [Fact]
    public async Task TraditionalArticle_IsFoundBySimplifiedQuery_AndHighlightedOnItsOwnCharacters()
    {
        var id = await AddAsync("藍莓合作社帶動農戶增收", body: "東西部扶貧協作讓藍莓走出大山。");

        var page = await ReaderSearchAsync("蓝莓 扶贫协作");

        Assert.True(Finds(page, id));
        Assert.Equal("<mark>藍莓</mark>合作社帶動農戶增收", page.QuerySelector(".search-result__title a")!.InnerHtml);
        Assert.Contains("<mark>扶貧協作</mark>", page.QuerySelector(".search-result__snippet")!.InnerHtml);
    }

    [Fact]
    public async Task StaffSearch_FoldsTraditionalCharactersToo()
    {
        var admin = await AdminAsync();
        var id = await AddAsync("蓝莓合作社草稿", draft: true);

        var page = await admin.GetPageAsync("/admin/search?q=" + Uri.EscapeDataString("藍莓合作社"));

        Assert.True(Finds(page, id));
    }

    // ---------------------------------------------------------------- Synonyms in searches

    [Fact]
    public async Task SynonymGroup_WidensReaderSearch_AndSaysWhatItAdded()
    {
        var onlyXiangxi = await AddAsync("湘西椪柑基地扩建");
        var admin = await AdminAsync();
        Assert.False(Finds(await ReaderSearchAsync("湘西州 椪柑基地"), onlyXiangxi));

        await AddGroupAsync(admin, "湘西 湘西州 湘西土家族苗族自治州");

        var page = await ReaderSearchAsync("湘西州 椪柑基地");
        Assert.True(Finds(page, onlyXiangxi));
        Assert.Equal("已包含：湘西、湘西土家族苗族自治州", page.QuerySelector("#search-synonyms")!.Text().Trim());
        // 湘西 is marked as the group's word; touching marks are one.
        Assert.Equal("<mark>湘西椪柑基地</mark>扩建", page.QuerySelector(".search-result__title a")!.InnerHtml);
    }

    [Fact]
    public async Task SynonymGroup_WorksBothWays_AndInTraditionalCharacters()
    {
        var kiwi = await AddAsync("猕猴桃种植户喜获丰收");
        var otherName = await AddAsync("奇异果种植户喜获丰收");
        var admin = await AdminAsync();
        await AddGroupAsync(admin, "猕猴桃 奇异果");

        var byKiwi = await ReaderSearchAsync("猕猴桃");
        var byOther = await ReaderSearchAsync("奇異果");

        Assert.True(Finds(byKiwi, kiwi) && Finds(byKiwi, otherName));
        Assert.True(Finds(byOther, kiwi) && Finds(byOther, otherName));
        Assert.Equal("已包含：奇异果", byKiwi.QuerySelector("#search-synonyms")!.Text().Trim());
        Assert.Equal("已包含：猕猴桃", byOther.QuerySelector("#search-synonyms")!.Text().Trim());
        Assert.Null((await ReaderSearchAsync("种植户")).QuerySelector("#search-synonyms"));
    }

    [Fact]
    public async Task ExcludedWord_ExcludesTheWholeGroup()
    {
        var kiwi = await AddAsync("猕猴桃种植户喜获丰收");
        var otherName = await AddAsync("奇异果种植户喜获丰收");
        var tea = await AddAsync("茶叶种植户喜获丰收");
        var admin = await AdminAsync();
        await AddGroupAsync(admin, "猕猴桃 奇异果");

        var page = await ReaderSearchAsync("种植户 -猕猴桃");

        Assert.True(Finds(page, tea));
        Assert.False(Finds(page, kiwi));
        Assert.False(Finds(page, otherName));
        Assert.Equal("已一并排除：奇异果", page.QuerySelector("#search-synonyms")!.Text().Trim());
    }

    [Fact]
    public async Task StaffSearch_UsesTheGroups_AndSaysSo()
    {
        var admin = await AdminAsync();
        var draft = await AddAsync("奇异果分拣中心草稿", draft: true);
        await AddGroupAsync(admin, "猕猴桃 奇异果");

        var page = await admin.GetPageAsync("/admin/search?q=" + Uri.EscapeDataString("猕猴桃"));

        Assert.True(Finds(page, draft));
        Assert.Equal("已包含：奇异果", page.QuerySelector("#search-synonyms")!.Text().Trim());
    }

    [Fact]
    public async Task CachedReaderSearch_IsEvictedWhenTheGroupsChange()
    {
        var otherName = await AddAsync("奇异果种植户喜获丰收");
        var admin = await AdminAsync();
        var reader = _factory.CreateReader();
        const string url = "/search?q=%E7%8C%95%E7%8C%B4%E6%A1%83"; // 猕猴桃
        Assert.False(Finds(await reader.GetPageAsync(url), otherName));
        Assert.False(Finds(await reader.GetPageAsync(url), otherName)); // now from the output cache

        await AddGroupAsync(admin, "猕猴桃 奇异果");
        Assert.True(Finds(await reader.GetPageAsync(url), otherName));

        var id = await _factory.WithDbAsync(db => db.SearchSynonyms.Select(s => s.Id).SingleAsync());
        using (var edit = await admin.SubmitFormAsync("/admin/search/synonyms", $"#synonym-edit-{id}", new() { ["Input.Words"] = "猕猴桃 羊桃" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, edit.StatusCode);
        }
        Assert.False(Finds(await reader.GetPageAsync(url), otherName));

        using (var edit = await admin.SubmitFormAsync("/admin/search/synonyms", $"#synonym-edit-{id}", new() { ["Input.Words"] = "猕猴桃 奇异果" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, edit.StatusCode);
        }
        Assert.True(Finds(await reader.GetPageAsync(url), otherName));
        using (var delete = await admin.SubmitFormAsync("/admin/search/synonyms", $"#synonym-delete-{id}", []))
        {
            Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        }
        Assert.False(Finds(await reader.GetPageAsync(url), otherName));
    }

    // ---------------------------------------------------------------- The groups page

    [Fact]
    public async Task AddEditDelete_AsAdministrator_ListsFlashesAndAudits()
    {
        var admin = await AdminAsync();
        var empty = await admin.GetPageAsync("/admin/search/synonyms");
        Assert.Equal("还没有同义词组。", empty.QuerySelector(".words-empty")!.Text());
        Assert.Equal("page", empty.QuerySelector("a[href='/admin/search/synonyms']")!.GetAttribute("aria-current"));

        await AddGroupAsync(admin, " 湘西，湘西州  湘西土家族苗族自治州 ");
        var list = await admin.GetPageAsync("/admin/search/synonyms");
        Assert.Equal("已添加同义词组“湘西 湘西州 湘西土家族苗族自治州”。", list.QuerySelector(".flash")!.Text().Trim());
        var group = await _factory.WithDbAsync(db => db.SearchSynonyms.SingleAsync());
        Assert.Equal("湘西 湘西州 湘西土家族苗族自治州", group.Words);
        Assert.NotNull(list.QuerySelector($"tr[data-words='湘西 湘西州 湘西土家族苗族自治州']"));

        using (var edit = await admin.SubmitFormAsync("/admin/search/synonyms", $"#synonym-edit-{group.Id}", new() { ["Input.Words"] = "湘西 湘西州" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, edit.StatusCode);
        }
        using (var same = await admin.SubmitFormAsync("/admin/search/synonyms", $"#synonym-edit-{group.Id}", new() { ["Input.Words"] = "湘西 湘西州" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, same.StatusCode);
        }
        Assert.Equal("同义词组“湘西 湘西州”没有变化。", (await admin.GetPageAsync("/admin/search/synonyms")).QuerySelector(".flash")!.Text().Trim());
        using (var delete = await admin.SubmitFormAsync("/admin/search/synonyms", $"#synonym-delete-{group.Id}", []))
        {
            Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        }
        Assert.Equal(0, await _factory.WithDbAsync(db => db.SearchSynonyms.CountAsync()));

        var target = $"search-synonym:{group.Id}";
        Assert.Equal([$"{target} 湘西 湘西州 湘西土家族苗族自治州"], await AuditAsync(AuditActions.SearchSynonymAdded));
        Assert.Equal([$"{target} 湘西 湘西州 湘西土家族苗族自治州 → 湘西 湘西州"], await AuditAsync(AuditActions.SearchSynonymChanged));
        Assert.Equal([$"{target} 湘西 湘西州"], await AuditAsync(AuditActions.SearchSynonymDeleted));
    }

    [Theory]
    [InlineData("", "一组同义词至少要有 2 个词，词与词之间用空格分隔。")]
    [InlineData("湘西", "一组同义词至少要有 2 个词，词与词之间用空格分隔。")]
    [InlineData("甲 乙 丙 丁 戊 己 庚 辛 壬 癸 子 丑 寅 卯 辰 巳 午 未 申 酉 戌", "一组同义词最多 20 个词，现在有 21 个。")]
    [InlineData("湘西 湘西土家族苗族自治州湘西土家族苗族自治州湘", "“湘西土家族苗族自治州湘西土家族苗族自治州湘”有 21 个字，每个词最多 20 个字。")]
    [InlineData("湘西 湘西", "“湘西”在这组里出现了两次。")]
    [InlineData("扶贫 扶貧", "“扶貧”与“扶贫”检索时是同一个词（不区分简繁、大小写和全角半角），只保留一个即可。")]
    [InlineData("湘西·州 湘西", "“湘西·州”含有标点或同时含有汉字和字母，检索时会被拆成几个词；请只用汉字和数字，或一个外文单词。")]
    [InlineData("猕猴桃 奇异果", "“猕猴桃”已在同义词组“猕猴桃 羊桃”中；一个词只能属于一组，请修改那一组。")]
    [InlineData("獼猴桃 奇异果", "“獼猴桃”与同义词组“猕猴桃 羊桃”中的“猕猴桃”检索时是同一个词；一个词只能属于一组，请修改那一组。")]
    public async Task InvalidGroup_IsRefusedWithAChineseMessage(string words, string message)
    {
        var admin = await AdminAsync();
        await AddGroupAsync(admin, "猕猴桃 羊桃");

        using var response = await admin.SubmitFormAsync("/admin/search/synonyms", "#synonym-add", new() { ["Input.Words"] = words });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.ReadPageAsync();
        Assert.Equal(message, page.QuerySelector("#synonym-errors li")!.Text());
        Assert.Equal(1, await _factory.WithDbAsync(db => db.SearchSynonyms.CountAsync()));
    }

    [Fact]
    public async Task EditIntoAnotherGroupsWord_IsRefused_AndTheRowKeepsWhatWasTyped()
    {
        var admin = await AdminAsync();
        await AddGroupAsync(admin, "猕猴桃 羊桃");
        await AddGroupAsync(admin, "湘西 湘西州");
        var id = await _factory.WithDbAsync(db => db.SearchSynonyms.Where(s => s.Words == "湘西 湘西州").Select(s => s.Id).SingleAsync());

        using var response = await admin.SubmitFormAsync("/admin/search/synonyms", $"#synonym-edit-{id}", new() { ["Input.Words"] = "湘西 羊桃" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.ReadPageAsync();
        Assert.Equal("“羊桃”已在同义词组“猕猴桃 羊桃”中；一个词只能属于一组，请修改那一组。", page.QuerySelector("#synonym-errors li")!.Text());
        Assert.Equal("湘西 羊桃", page.QuerySelector($"#synonym-{id}")!.GetAttribute("value"));
        Assert.Equal("湘西 湘西州", await _factory.WithDbAsync(db => db.SearchSynonyms.Where(s => s.Id == id).Select(s => s.Words).SingleAsync()));
    }

    [Fact]
    public async Task UnknownGroup_IsNotFound()
    {
        var admin = await AdminAsync();
        await AddGroupAsync(admin, "猕猴桃 羊桃");
        var id = await _factory.WithDbAsync(db => db.SearchSynonyms.Select(s => s.Id).SingleAsync());
        var page = await admin.GetPageAsync("/admin/search/synonyms");
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        using var response = await admin.PostAsync($"/admin/search/synonyms?handler=Delete&id={id + 100}",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task NonAdministrators_AreRefused()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        await _factory.CreateUserAsync("chief@example.com", NewsRoles.EditorInChief);
        foreach (var email in new[] { "reporter@example.com", "editor@example.com", "chief@example.com" })
        {
            var client = await _factory.SignInAsync(email);
            await client.GetPageAsync("/admin/search/synonyms", 403);
            var token = (await client.GetPageAsync("/admin/articles")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
            using var add = await client.PostAsync("/admin/search/synonyms?handler=Add", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["Input.Words"] = "猕猴桃 奇异果",
            }));
            Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
            Assert.Null((await client.GetPageAsync("/admin")).QuerySelector("a[href='/admin/search/synonyms']"));
        }
        using var anonymous = await _factory.CreateReader().GetAsync("/admin/search/synonyms");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("/admin/signin", anonymous.Headers.Location!.OriginalString);
        Assert.Equal(0, await _factory.WithDbAsync(db => db.SearchSynonyms.CountAsync()));
    }
}
