using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Channels;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>
/// 责任栏目: editors act and reporters write only in their channels (a channel includes its sub-channels); the
/// administrators' page shows who covers what and sets it. Desk A is 脱贫攻坚 (tuopin) with 产业扶贫 (chanye) below
/// it; channel B is 东西部协作 (xiezuo).
/// </summary>
public sealed class DeskTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static readonly Actor Seeder1 = new("seed-1", "初审人", new HashSet<string> { NewsRoles.Editor });
    private static readonly Actor Seeder2 = new("seed-2", "复审人", new HashSet<string> { NewsRoles.Editor });
    private static readonly Actor SeedChief = new("seed-3", "终审人", new HashSet<string> { NewsRoles.EditorInChief });

    private Task<int> ChannelAsync(string slug) => _factory.WithDbAsync(db => db.Channels.Where(c => c.Slug == slug).Select(c => c.Id).SingleAsync());

    private Task<string> UserIdAsync(string email) => _factory.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    private async Task DeskAsync(string email, params string[] slugs)
    {
        var userId = await UserIdAsync(email);
        var ids = new List<int>();
        foreach (var slug in slugs)
        {
            ids.Add(await ChannelAsync(slug));
        }
        await _factory.WithDbAsync(async db =>
        {
            db.DeskAssignments.AddRange(ids.Select(id => new DeskAssignment { UserId = userId, ChannelId = id }));
            await db.SaveChangesAsync();
        });
    }

    /// <summary>An article in <paramref name="slug"/>: submitted (level 0) or approved (all three levels passed).</summary>
    private Task<int> SeedAsync(string slug, bool approved) => _factory.WithDbAsync(async db =>
    {
        var channel = await db.Channels.SingleAsync(c => c.Slug == slug);
        var now = _factory.Clock.GetUtcNow().UtcDateTime;
        var article = new ArticleBuilder(channel.Id, $"责任栏目测试{slug}{(approved ? "待发布" : "待审")}").Draft().Build();
        article.Submit(SeedChief, now.AddMinutes(-10));
        if (approved)
        {
            article.Pass(Seeder1, 3, now.AddMinutes(-9));
            article.Pass(Seeder2, 3, now.AddMinutes(-8));
            article.Pass(SeedChief, 3, now.AddMinutes(-7));
        }
        db.Articles.Add(article);
        await db.SaveChangesAsync();
        return article.Id;
    });

    [Fact]
    public async Task EditorOfA_CannotPassOrPublishInB_CanInAAndInItsSubChannel()
    {
        await _factory.CreateUserAsync("editor-a@example.com", NewsRoles.Editor);
        await DeskAsync("editor-a@example.com", "tuopin");
        var editor = await _factory.SignInAsync("editor-a@example.com");
        var inB = await SeedAsync("xiezuo", approved: false);
        var approvedInB = await SeedAsync("xiezuo", approved: true);

        // Readable, but no step offered, and a forced post is refused with the reason and saves nothing.
        var review = await editor.GetPageAsync($"/admin/articles/{inB}");
        Assert.Null(review.QuerySelector("form[id^=workflow-]"));
        Assert.Contains("不在您的责任栏目内", review.QuerySelector("#no-steps").Text());
        using var pass = await editor.ForcedStepAsync(_factory, inB, "Pass");
        using var publish = await editor.ForcedStepAsync(_factory, approvedInB, "Publish");

        Assert.Equal(HttpStatusCode.Forbidden, pass.StatusCode);
        Assert.Contains("不在您的责任栏目内", await pass.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, publish.StatusCode);
        Assert.Equal((ArticleStatus.Submitted, 0), await _factory.StatusAsync(inB));
        Assert.Equal((ArticleStatus.Approved, 3), await _factory.StatusAsync(approvedInB));
        Assert.Equal(0, await _factory.WithDbAsync(db => db.ArticleReviews.CountAsync(r => r.UserId != null && r.ArticleId == inB && r.Action == ReviewAction.Pass)));
        using var edit = await editor.GetAsync($"/admin/articles/{inB}/edit");
        Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
        Assert.Contains("不在您的责任栏目内", await edit.Content.ReadAsStringAsync());

        foreach (var slug in new[] { "tuopin", "chanye" })
        {
            var id = await SeedAsync(slug, approved: false);
            Assert.NotNull((await editor.GetPageAsync($"/admin/articles/{id}")).QuerySelector("#workflow-pass"));
            await editor.StepOkAsync(id, "pass");
            Assert.Equal((ArticleStatus.InReview, 1), await _factory.StatusAsync(id));
        }
        var approvedInSub = await SeedAsync("chanye", approved: true);
        await editor.StepOkAsync(approvedInSub, "publish");
        Assert.Equal(ArticleStatus.Published, (await _factory.StatusAsync(approvedInSub)).Item1);
    }

    [Fact]
    public async Task Dashboard_ListsForReviewOnlyTheDesksArticles()
    {
        await _factory.CreateUserAsync("editor-a@example.com", NewsRoles.Editor);
        await DeskAsync("editor-a@example.com", "tuopin");
        var inA = await SeedAsync("chanye", approved: false);
        var inB = await SeedAsync("xiezuo", approved: false);

        var dashboard = await (await _factory.SignInAsync("editor-a@example.com")).GetPageAsync("/admin");

        var links = dashboard.QuerySelectorAll("#to-review a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains($"/admin/articles/{inA}", links);
        Assert.DoesNotContain($"/admin/articles/{inB}", links);
    }

    [Fact]
    public async Task ReporterOfA_IsOfferedOnlyAsChannels_AndCannotCreateInB()
    {
        await _factory.CreateUserAsync("reporter-a@example.com", NewsRoles.Reporter);
        await DeskAsync("reporter-a@example.com", "tuopin");
        var reporter = await _factory.SignInAsync("reporter-a@example.com");
        var (chanye, xiezuo) = (await ChannelAsync("chanye"), await ChannelAsync("xiezuo"));

        var form = await reporter.GetPageAsync("/admin/articles/new");
        var offered = form.QuerySelectorAll("#Input_ChannelId option").Select(o => o.GetAttribute("value")).Where(v => v != "").ToList();
        Assert.Contains(chanye.ToString(), offered);
        Assert.DoesNotContain(xiezuo.ToString(), offered);

        var before = await _factory.WithDbAsync(db => db.Articles.CountAsync());
        using var refused = await reporter.SubmitFormAsync("/admin/articles/new", "#article-form", new()
        {
            ["Input.Title"] = "越界的稿件", ["Input.ChannelId"] = xiezuo.ToString(), ["Input.Body"] = "正文。",
        });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("所选栏目不在您的责任栏目内", await refused.Content.ReadAsStringAsync());
        Assert.Equal(before, await _factory.WithDbAsync(db => db.Articles.CountAsync()));

        var id = await reporter.CreateInEditorAsync(chanye, "本栏目的稿件", "正文。");
        Assert.Equal(chanye, await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.ChannelId).SingleAsync()));
    }

    [Fact]
    public async Task MovingAnArticleOutOfTheDesk_IsRefused()
    {
        await _factory.CreateUserAsync("reporter-a@example.com", NewsRoles.Reporter);
        await DeskAsync("reporter-a@example.com", "tuopin");
        var reporter = await _factory.SignInAsync("reporter-a@example.com");
        var id = await reporter.CreateInEditorAsync(await ChannelAsync("chanye"), "想搬走的稿件", "正文。");
        var xiezuo = await ChannelAsync("xiezuo");

        using var response = await reporter.SubmitFormAsync($"/admin/articles/{id}/edit", "#article-form",
            new() { ["Input.ChannelId"] = xiezuo.ToString() });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.NotEqual(xiezuo, await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.ChannelId).SingleAsync()));
    }

    [Fact]
    public async Task DesksPage_SetsAPersonsChannels_ShowsTheTable_AndAudits()
    {
        await _factory.CreateUserAsync("admin@example.com", NewsRoles.Administrator);
        await _factory.CreateUserAsync("zhang@example.com", NewsRoles.Editor);
        await _factory.CreateUserAsync("wang@example.com", NewsRoles.Reporter);
        var admin = await _factory.SignInAsync("admin@example.com");
        var zhang = await UserIdAsync("zhang@example.com");
        var tuopin = await ChannelAsync("tuopin");

        using var saved = await admin.SubmitFormAsync("/admin/desks", $"#person-{zhang} form", new() { ["channels"] = tuopin.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var page = await admin.GetPageAsync("/admin/desks");
        Assert.Contains("已保存zhang的责任栏目：脱贫攻坚", page.QuerySelector(".flash")!.TextContent);
        var sitewide = page.QuerySelector(".desks-sitewide")!;
        Assert.Contains("wang", sitewide.TextContent);
        Assert.DoesNotContain("zhang", sitewide.TextContent);
        var tuopinRow = page.QuerySelector($"tr[data-channel='{tuopin}']")!;
        Assert.Equal("zhang", tuopinRow.QuerySelector("strong")!.TextContent);
        var chanyeRow = page.QuerySelector($"tr[data-channel='{await ChannelAsync("chanye")}']")!;
        Assert.Contains("zhang 随上级", chanyeRow.TextContent.Replace("\n", " ").Replace("  ", " "));
        Assert.DoesNotContain("zhang", page.QuerySelector($"tr[data-channel='{await ChannelAsync("xiezuo")}']")!.TextContent);
        Assert.True(page.QuerySelector<IHtmlInputElement>($"#person-{zhang} input[value='{tuopin}']")!.IsChecked);
        Assert.Equal("page", page.QuerySelector("a[href='/admin/desks']")!.GetAttribute("aria-current"));

        var audit = await _factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Action == AuditActions.DeskChanged).ToListAsync());
        var entry = Assert.Single(audit);
        Assert.Equal($"user:{zhang}", entry.Target);
        Assert.Equal("zhang：全站 → 脱贫攻坚", entry.Details);

        // Nothing checked: back to the whole site.
        using var cleared = await admin.SubmitFormAsync("/admin/desks", $"#person-{zhang} form", new() { ["channels"] = null });
        Assert.Equal(HttpStatusCode.Redirect, cleared.StatusCode);
        Assert.Equal(0, await _factory.WithDbAsync(db => db.DeskAssignments.CountAsync()));
    }

    [Fact]
    public async Task DeskForm_RefusesUnknownChannelsAndPeopleWithoutADesk_AndIsForAdministratorsOnly()
    {
        await _factory.CreateUserAsync("admin@example.com", NewsRoles.Administrator);
        await _factory.CreateUserAsync("zhang@example.com", NewsRoles.Editor);
        var admin = await _factory.SignInAsync("admin@example.com");
        var zhang = await UserIdAsync("zhang@example.com");
        var adminId = await UserIdAsync("admin@example.com");

        using var unknown = await admin.SubmitFormAsync("/admin/desks", $"#person-{zhang} form", new() { ["channels"] = "999999" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("所选栏目不存在", await unknown.Content.ReadAsStringAsync());

        using var administrator = await admin.SubmitFormAsync("/admin/desks", $"#person-{zhang} form",
            new() { ["userId"] = adminId, ["channels"] = (await ChannelAsync("tuopin")).ToString() });
        Assert.Equal(HttpStatusCode.BadRequest, administrator.StatusCode);
        Assert.Contains("只有总编辑、编辑和记者有责任栏目", await administrator.Content.ReadAsStringAsync());

        Assert.Equal(0, await _factory.WithDbAsync(db => db.DeskAssignments.CountAsync()));
        Assert.Equal(0, await _factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.DeskChanged)));
        using var asEditor = await (await _factory.SignInAsync("zhang@example.com")).GetAsync("/admin/desks");
        Assert.Equal(HttpStatusCode.Forbidden, asEditor.StatusCode);
    }

    [Fact]
    public async Task DeletingADeskChannel_HandsTheDeskToTheReceivingChannel()
    {
        await _factory.CreateUserAsync("zhang@example.com", NewsRoles.Editor);
        await DeskAsync("zhang@example.com", "jiuye");
        var (jiuye, chanye) = (await ChannelAsync("jiuye"), await ChannelAsync("chanye"));

        await using var scope = _factory.Services.CreateAsyncScope();
        var channels = scope.ServiceProvider.GetRequiredService<ChannelService>();
        var empty = await _factory.WithDbAsync(db => db.Articles.CountAsync(a => a.ChannelId == jiuye)) == 0
            && await _factory.WithDbAsync(db => db.Channels.CountAsync(c => c.ParentId == jiuye)) == 0;
        if (empty)
        {
            // Without a receiving channel the person would be left with no desk, which reads as the whole site.
            var refused = await channels.DeleteAsync(jiuye, null, CancellationToken.None);
            Assert.False(refused.Succeeded);
            Assert.Contains(refused.Errors, e => e.Message.Contains("责任栏目"));
        }
        var deleted = await channels.DeleteAsync(jiuye, chanye, CancellationToken.None);

        Assert.True(deleted.Succeeded, string.Join(" ", deleted.Errors.Select(e => e.Message)));
        var desk = await _factory.WithDbAsync(db => db.DeskAssignments.Select(d => d.ChannelId).ToListAsync());
        Assert.Equal([chanye], desk);
    }
}
