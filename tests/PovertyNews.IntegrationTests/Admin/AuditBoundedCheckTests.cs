using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Common;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>An app whose audit page checks at most the newest 100 entries.</summary>
public sealed class SmallAuditCheckApp() : SharedNewsApp(b => b.UseSetting("PovertyNews:Audit:PageVerifyLimit", "100"));

/// <summary>On a log longer than <see cref="AuditOptions.PageVerifyLimit"/> the page checks the newest entries and says so.</summary>
public sealed class AuditBoundedCheckTests(SmallAuditCheckApp shared) : IClassFixture<SmallAuditCheckApp>, IAsyncLifetime
{
    private const string Admin = "admin@example.com";
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task LongLog_PageChecksTheNewestAndSaysSo_TheCommandChecksAll()
    {
        await _factory.CreateUserAsync(Admin, NewsRoles.Administrator);
        var admin = await _factory.SignInAsync(Admin);
        await _factory.WithDbAsync(async db =>
        {
            db.AuditEntries.AddRange(Enumerable.Range(0, 150).Select(i =>
                new AuditEntry { At = DateTime.UtcNow, UserName = "bulk", Action = "test.bulk", Target = $"item:{i}" }));
            await db.SaveChangesAsync();
        });
        var total = await _factory.WithDbAsync(db => db.AuditEntries.CountAsync());
        var oldest = await _factory.WithDbAsync(db => db.AuditEntries.OrderBy(e => e.Sequence).FirstAsync());
        await _factory.WithDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE \"AuditEntries\" SET \"Details\" = 'changed' WHERE \"Id\" = {oldest.Id}"));

        var page = await admin.GetPageAsync("/admin/audit?verify=1");
        var full = await _factory.WithDbAsync(db => AuditChain.VerifyAsync(db));

        var status = page.QuerySelector(".audit-chain")!;
        Assert.Equal("true", status.GetAttribute("data-intact"));
        Assert.Contains($"只校验了最新的 100 条（共 {total:N0} 条，本页最多校验 100 条）", status.TextContent);
        Assert.Contains("audit verify", status.TextContent);
        Assert.False(full.Intact);
        Assert.Equal(oldest.Id, full.Break!.Id);
    }
}
