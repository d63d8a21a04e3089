using System.Net;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Admin;

public sealed class AuditTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private const string Admin = "admin@example.com";
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AuditPage_ListsSignInsAndUserChangesNewestFirst()
    {
        var admin = await SignedInAdminAsync();
        (await admin.SubmitFormAsync("/admin/users/new", "form.users-form", new()
        {
            ["Input.Email"] = "new.reporter@example.com",
            ["Input.Roles"] = NewsRoles.Reporter,
            ["Input.Password"] = "quiet-harbour-lantern-7",
        })).Dispose();

        var page = await admin.GetPageAsync("/admin/audit");

        var rows = page.QuerySelectorAll("table.audit-table tbody tr");
        Assert.Equal(AuditActions.UserCreated, rows[0].GetAttribute("data-action"));
        Assert.Equal("创建用户", rows[0].QuerySelector(".audit-action").Text());
        Assert.Equal("user:new.reporter@example.com", rows[0].QuerySelector(".audit-target").Text());
        Assert.Contains(rows, r => r.GetAttribute("data-action") == AuditActions.SignInSucceeded && r.QuerySelector(".audit-user").Text() == Admin);
        Assert.Contains(page.QuerySelectorAll("#audit-action option"), o => o.GetAttribute("value") == AuditActions.UserDisabled && o.TextContent == "停用用户");
    }

    [Fact]
    public async Task FilterByAction_ShowsOnlyThatAction()
    {
        var admin = await SignedInAdminAsync();
        (await _factory.CreateReader().SubmitFormAsync("/admin/signin", "form",
            new() { ["Input.Email"] = Admin, ["Input.Password"] = "not-the-password" })).Dispose();

        var page = await admin.GetPageAsync($"/admin/audit?action={AuditActions.SignInFailed}");

        var actions = page.QuerySelectorAll("table.audit-table tbody tr").Select(r => r.GetAttribute("data-action")).ToList();
        Assert.NotEmpty(actions);
        Assert.All(actions, a => Assert.Equal(AuditActions.SignInFailed, a));
        Assert.NotNull(page.QuerySelector($"#audit-action option[value='{AuditActions.SignInFailed}'][selected]"));
    }

    [Fact]
    public async Task FilterByDate_UsesChinaStandardTimeDays()
    {
        var admin = await SignedInAdminAsync();
        await _factory.WithDbAsync(async db =>
        {
            // 2020-06-22 23:59 and 2020-06-23 00:00 in Beijing.
            db.AuditEntries.Add(new AuditEntry { At = new DateTime(2020, 6, 22, 15, 59, 0, DateTimeKind.Utc), UserName = "x", Action = "test.before", Target = "before" });
            db.AuditEntries.Add(new AuditEntry { At = new DateTime(2020, 6, 22, 16, 0, 0, DateTimeKind.Utc), UserName = "x", Action = "test.inside", Target = "inside" });
            db.AuditEntries.Add(new AuditEntry { At = new DateTime(2020, 6, 23, 16, 0, 0, DateTimeKind.Utc), UserName = "x", Action = "test.after", Target = "after" });
            await db.SaveChangesAsync();
        });

        var page = await admin.GetPageAsync("/admin/audit?from=2020-06-23&to=2020-06-23");

        var targets = page.QuerySelectorAll("table.audit-table tbody tr .audit-target").Select(t => t.Text()).ToList();
        Assert.Equal(new[] { "inside" }, targets);
        Assert.Equal("2020-06-23 00:00:00", page.QuerySelector("tbody .audit-time").Text());
    }

    [Fact]
    public async Task FilterByUserAndTarget_MatchesParts()
    {
        var admin = await SignedInAdminAsync();
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        await _factory.SignInAsync("reporter@example.com");

        var byUser = await admin.GetPageAsync("/admin/audit?user=REPORTER@");
        var byTarget = await admin.GetPageAsync("/admin/audit?target=user:admin");

        Assert.All(byUser.QuerySelectorAll("tbody .audit-user"), u => Assert.Contains("reporter@", u.Text()));
        Assert.NotEmpty(byUser.QuerySelectorAll("tbody .audit-user"));
        Assert.All(byTarget.QuerySelectorAll("tbody .audit-target"), t => Assert.StartsWith("user:admin", t.Text()));
        Assert.NotEmpty(byTarget.QuerySelectorAll("tbody .audit-target"));
    }

    [Theory]
    [InlineData("/admin/audit?from=2020-13-45&to=abc")]
    [InlineData("/admin/audit?from=0001-01-01&to=9999-12-31")]
    [InlineData("/admin/audit?page=-3&from=%00")]
    [InlineData("/admin/audit?page=99999999999999&action=%3Cscript%3E")]
    public async Task OddFilterValues_AreIgnoredNever500(string url)
    {
        var admin = await SignedInAdminAsync();

        var page = await admin.GetPageAsync(url);

        Assert.NotEmpty(page.QuerySelectorAll("table.audit-table tbody tr, .audit-empty"));
        if (url.Contains("from=20", StringComparison.Ordinal) || url.Contains("0001", StringComparison.Ordinal))
        {
            Assert.Contains("不是有效的日期", page.QuerySelector(".audit-message").Text());
        }
    }

    [Fact]
    public async Task Paging_Shows50PerPageAndKeepsTheFilters()
    {
        var admin = await SignedInAdminAsync();
        await _factory.WithDbAsync(async db =>
        {
            var start = new DateTime(2021, 3, 1, 0, 0, 0, DateTimeKind.Utc);
            db.AuditEntries.AddRange(Enumerable.Range(0, 120).Select(i =>
                new AuditEntry { At = start.AddMinutes(i), UserName = "bulk", Action = "test.bulk", Target = $"item:{i}" }));
            await db.SaveChangesAsync();
        });

        var first = await admin.GetPageAsync("/admin/audit?action=test.bulk");
        var next = first.QuerySelector("a[rel=next]")!.GetAttribute("href")!;
        var third = await admin.GetPageAsync("/admin/audit?action=test.bulk&page=3");
        var beyond = await admin.GetPageAsync("/admin/audit?action=test.bulk&page=999");

        Assert.Equal(50, first.QuerySelectorAll("tbody tr").Length);
        Assert.Equal("item:119", first.QuerySelector("tbody .audit-target").Text());
        Assert.Equal("/admin/audit?action=test.bulk&page=2", next);
        Assert.Equal(20, third.QuerySelectorAll("tbody tr").Length);
        Assert.Equal("item:0", third.QuerySelectorAll("tbody .audit-target").Last().Text());
        Assert.Equal(20, beyond.QuerySelectorAll("tbody tr").Length);
    }

    [Fact]
    public async Task ForgedSignInEmail_IsStoredWithoutLineBreaksAndShownAsText()
    {
        var admin = await SignedInAdminAsync();
        var reader = _factory.CreateReader();
        foreach (var email in new[] { "x\r\nFAKE ENTRY", "x@example.com\u2028FAKE ENTRY\tsignin.succeeded\u0085", "<b>bold</b>@example.com" })
        {
            (await reader.SubmitFormAsync("/admin/signin", "form", new() { ["Input.Email"] = email, ["Input.Password"] = "whatever-password" })).Dispose();
        }

        var stored = await _factory.WithDbAsync(db => db.AuditEntries.Select(e => e.UserName + "|" + e.Target + "|" + e.Details).ToListAsync());
        var page = await admin.GetPageAsync($"/admin/audit?action={AuditActions.SignInFailed}");

        Assert.Contains(stored, s => s.Contains("FAKE ENTRY", StringComparison.Ordinal));
        Assert.DoesNotContain(stored, s => s.Any(c => c is '\r' or '\n' or '\u2028' or '\u0085' or '\t'));
        Assert.Contains(page.QuerySelectorAll("tbody .audit-target"), t => t.TextContent == "user:<b>bold</b>@example.com");
        Assert.Null(page.QuerySelector("tbody b"));
    }

    private async Task<HttpClient> SignedInAdminAsync()
    {
        await _factory.CreateUserAsync(Admin, NewsRoles.Administrator);
        return await _factory.SignInAsync(Admin);
    }
}
