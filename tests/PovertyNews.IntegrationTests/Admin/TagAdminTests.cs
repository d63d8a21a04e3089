using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>
/// 标签管理 (/admin/tags): rename, merge, delete unused; an old name answers 301 to the live tag in one hop, and the
/// cached reader pages of both tags show the change at once.
/// </summary>
public sealed class TagAdminTests(NoBackgroundJobsApp shared) : IClassFixture<NoBackgroundJobsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public async Task InitializeAsync()
    {
        await shared.ResetAsync();
        await _factory.CreateUserAsync("chief@example.com", NewsRoles.EditorInChief);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient Reader() => _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private static string TagUrl(string name) => "/tags/" + Uri.EscapeDataString(name);

    private Task<int> TagIdAsync(string name) => _factory.WithDbAsync(db => db.Tags.Where(t => t.Name == name).Select(t => t.Id).SingleAsync());

    /// <summary>Published reports with the given tags (created when missing).</summary>
    private Task<int> PublishedAsync(string title, params string[] tags) => _factory.WithDbAsync(async db =>
    {
        var channel = await db.Channels.Where(c => c.Slug == "xiezuo").Select(c => c.Id).SingleAsync();
        var existing = await db.Tags.Where(t => tags.Contains(t.Name)).ToListAsync();
        var all = tags.Select(n => existing.FirstOrDefault(t => t.Name == n) ?? new Tag { Name = n }).ToArray();
        var article = new ArticleBuilder(channel, title).Body($"{title}的正文").Tags(all).Build();
        db.Articles.Add(article);
        await db.SaveChangesAsync();
        return article.Id;
    });

    private static async Task<string> RedirectOfAsync(HttpClient reader, string url)
    {
        using var response = await reader.GetAsync(url);
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    [Fact]
    public async Task Rename_Twice_BothOldNamesRedirect301ToTheLiveName_InOneHop()
    {
        await PublishedAsync("消费帮扶专柜开张", "消费扶贫");
        var id = await TagIdAsync("消费扶贫");
        var chief = await _factory.SignInAsync("chief@example.com");
        var reader = Reader();
        Assert.Contains("消费帮扶专柜开张", (await reader.GetPageAsync(TagUrl("消费扶贫"))).QuerySelector(".article-list").Text());

        using (var first = await chief.SubmitFormAsync($"/admin/tags/{id}", "#tag-rename", new() { ["Input.Name"] = "消费帮扶" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }
        using (var second = await chief.SubmitFormAsync($"/admin/tags/{id}", "#tag-rename", new() { ["Input.Name"] = "消费协作" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        }

        Assert.Equal(TagUrl("消费协作"), await RedirectOfAsync(reader, TagUrl("消费扶贫")));
        Assert.Equal(TagUrl("消费协作") + "?page=1", await RedirectOfAsync(reader, TagUrl("消费帮扶") + "?page=1"));
        Assert.Contains("消费帮扶专柜开张", (await reader.GetPageAsync(TagUrl("消费协作"))).QuerySelector(".article-list").Text());
        var page = await chief.GetPageAsync($"/admin/tags/{id}");
        Assert.Contains("消费帮扶、消费扶贫", page.QuerySelector("#tag-old-names").Text());
        Assert.Equal(2, await _factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.TagRenamed)));
        // Renaming back: the old name is a live tag again, and no longer a redirect.
        using var back = await chief.SubmitFormAsync($"/admin/tags/{id}", "#tag-rename", new() { ["Input.Name"] = "消费扶贫" });
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Contains("消费帮扶专柜开张", (await reader.GetPageAsync(TagUrl("消费扶贫"))).QuerySelector(".article-list").Text());
        Assert.Equal(TagUrl("消费扶贫"), await RedirectOfAsync(reader, TagUrl("消费协作")));
    }

    [Fact]
    public async Task Merge_ReportsGetTheTarget_SourceGoes_ItsNamesRedirect_AndBothCachedPagesChange()
    {
        var a = await PublishedAsync("产业协作第一篇", "产业协作");
        var both = await PublishedAsync("产业协作第二篇", "产业协作", "产业帮扶");
        var b = await PublishedAsync("产业帮扶第三篇", "产业帮扶");
        var source = await TagIdAsync("产业协作");
        var chief = await _factory.SignInAsync("chief@example.com");
        // An older name of the source, which must follow it into the target.
        using (var renamed = await chief.SubmitFormAsync($"/admin/tags/{source}", "#tag-rename", new() { ["Input.Name"] = "产业合作" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
        }
        var reader = Reader();
        // Cached for readers before the merge.
        var before = (await reader.GetPageAsync(TagUrl("产业帮扶"))).QuerySelector(".article-list").Text();
        Assert.DoesNotContain("产业协作第一篇", before);
        Assert.Contains("产业合作", (await reader.GetPageAsync($"/articles/{a}")).QuerySelector(".article__tags").Text());

        using var merged = await chief.SubmitFormAsync($"/admin/tags/{source}", "#tag-merge", new() { ["Input.Target"] = "产业帮扶" });

        Assert.Equal(HttpStatusCode.Redirect, merged.StatusCode);
        Assert.Contains("已将标签“产业合作”合并到“产业帮扶”", (await chief.GetPageAsync("/admin/tags")).QuerySelector(".flash").Text());
        Assert.False(await _factory.WithDbAsync(db => db.Tags.AnyAsync(t => t.Id == source)));
        var target = await TagIdAsync("产业帮扶");
        foreach (var id in new[] { a, both, b })
        {
            Assert.Equal(["产业帮扶"], await _factory.WithDbAsync(db => db.Articles.Where(x => x.Id == id).SelectMany(x => x.Tags.Select(t => t.Name)).ToListAsync()));
        }
        var after = (await reader.GetPageAsync(TagUrl("产业帮扶"))).QuerySelector(".article-list").Text();
        Assert.Contains("产业协作第一篇", after);
        Assert.Contains("产业协作第二篇", after);
        Assert.Equal(["产业帮扶"], (await reader.GetPageAsync($"/articles/{a}")).QuerySelectorAll(".article__tags a").Select(l => l.TextContent));
        Assert.Equal(TagUrl("产业帮扶"), await RedirectOfAsync(reader, TagUrl("产业合作")));
        Assert.Equal(TagUrl("产业帮扶"), await RedirectOfAsync(reader, TagUrl("产业协作")));
        Assert.Equal(2, await _factory.WithDbAsync(db => db.TagRedirects.CountAsync(r => r.TagId == target)));
        Assert.Equal(1, await _factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.TagMerged)));
    }

    [Fact]
    public async Task Rename_ToAnExistingOrInvalidName_IsRefusedWith400_NothingChanges()
    {
        await PublishedAsync("两个标签的报道", "易地搬迁", "乡村振兴");
        var id = await TagIdAsync("易地搬迁");
        var chief = await _factory.SignInAsync("chief@example.com");

        using var taken = await chief.SubmitFormAsync($"/admin/tags/{id}", "#tag-rename", new() { ["Input.Name"] = "乡村振兴" });
        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
        Assert.Contains("已有标签“乡村振兴”", (await taken.ReadPageAsync()).Body!.TextContent);
        using var slash = await chief.SubmitFormAsync($"/admin/tags/{id}", "#tag-rename", new() { ["Input.Name"] = "搬迁/安置" });
        Assert.Equal(HttpStatusCode.BadRequest, slash.StatusCode);
        Assert.Contains("不能含有“/”", (await slash.ReadPageAsync()).Body!.TextContent);
        using var comma = await chief.SubmitFormAsync($"/admin/tags/{id}", "#tag-rename", new() { ["Input.Name"] = "搬迁，安置" });
        Assert.Equal(HttpStatusCode.BadRequest, comma.StatusCode);
        using var self = await chief.SubmitFormAsync($"/admin/tags/{id}", "#tag-merge", new() { ["Input.Target"] = "易地搬迁" });
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);

        Assert.Equal("易地搬迁", await _factory.WithDbAsync(db => db.Tags.Where(t => t.Id == id).Select(t => t.Name).SingleAsync()));
        Assert.False(await _factory.WithDbAsync(db => db.TagRedirects.AnyAsync()));
    }

    [Fact]
    public async Task Delete_OnlyAnUnusedTag()
    {
        await PublishedAsync("有标签的报道", "在用标签");
        var unused = await _factory.WithDbAsync(async db =>
        {
            var tag = db.Tags.Add(new Tag { Name = "无人使用" }).Entity;
            await db.SaveChangesAsync();
            return tag.Id;
        });
        var used = await TagIdAsync("在用标签");
        var chief = await _factory.SignInAsync("chief@example.com");
        var list = await chief.GetPageAsync("/admin/tags?unused=true");
        Assert.NotNull(list.QuerySelector($"#tag-{unused}"));
        Assert.Null(list.QuerySelector($"#tag-{used}"));
        Assert.Null((await chief.GetPageAsync($"/admin/tags/{used}")).QuerySelector("#tag-delete"));

        using var refused = await chief.ForcedTagPostAsync(used, "Delete");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("还用在 1 篇稿件上", (await refused.ReadPageAsync()).Body!.TextContent);
        using var deleted = await chief.SubmitFormAsync($"/admin/tags/{unused}", "#tag-delete", []);

        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.False(await _factory.WithDbAsync(db => db.Tags.AnyAsync(t => t.Id == unused)));
        Assert.True(await _factory.WithDbAsync(db => db.Tags.AnyAsync(t => t.Id == used)));
    }

    [Theory]
    [InlineData(NewsRoles.Editor)]
    [InlineData(NewsRoles.Reporter)]
    public async Task TagAdministration_IsForEditorsInChiefAndAdministrators(string role)
    {
        await PublishedAsync("报道", "扶贫车间");
        var id = await TagIdAsync("扶贫车间");
        await _factory.CreateUserAsync("someone@example.com", role);
        await _factory.CreateUserAsync("admin@example.com", NewsRoles.Administrator);
        var someone = await _factory.SignInAsync("someone@example.com");

        using var list = await someone.GetAsync("/admin/tags");
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Null((await someone.GetPageAsync("/admin")).QuerySelector("a[href='/admin/tags']"));
        Assert.NotNull((await (await _factory.SignInAsync("admin@example.com")).GetPageAsync($"/admin/tags/{id}")).QuerySelector("#tag-merge"));
        Assert.NotNull((await (await _factory.SignInAsync("chief@example.com")).GetPageAsync("/admin")).QuerySelector("a[href='/admin/tags']"));
    }
}

internal static class TagAdminPosts
{
    /// <summary>Posts a tag page's handler that the page does not offer, with a valid antiforgery token.</summary>
    public static async Task<HttpResponseMessage> ForcedTagPostAsync(this HttpClient client, int id, string handler)
    {
        var page = await client.GetPageAsync($"/admin/tags/{id}");
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        return await client.PostAsync($"/admin/tags/{id}?handler={handler}",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
    }
}
