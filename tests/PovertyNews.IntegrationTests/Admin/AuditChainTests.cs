using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Common;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Infrastructure;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>
/// The audit log's hash chain through the real app: entries written by real forms link up; changing, deleting or
/// reordering a row directly in the database is found by the <c>audit verify</c> command's code path and shown on
/// the audit page; the CSV export; pruning with an anchor.
/// </summary>
public sealed class AuditChainTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private const string Admin = "admin@example.com";
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task EntriesFromRealForms_AreChainedInOrder()
    {
        var admin = await WithSomeEntriesAsync();

        var entries = await _factory.WithDbAsync(db => db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync());

        Assert.True(entries.Count >= 4);
        Assert.Equal(Enumerable.Range(1, entries.Count).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.Equal(AuditHash.Genesis, entries[0].PreviousHash);
        for (var i = 0; i < entries.Count; i++)
        {
            Assert.Equal(AuditHash.Compute(entries[i]), entries[i].Hash);
            if (i > 0)
            {
                Assert.Equal(entries[i - 1].Hash, entries[i].PreviousHash);
            }
        }
        Assert.Contains(entries, e => e.Action == AuditActions.UserCreated);
        Assert.Contains(entries, e => e.Action == AuditActions.SignInFailed);

        var (code, output, _) = await VerifyCommandAsync();
        Assert.Equal(0, code);
        Assert.Contains($"intact, {entries.Count} entries checked; head sequence {entries.Count}, hash {entries[^1].Hash}", output);

        var page = await admin.GetPageAsync("/admin/audit?verify=1");
        var status = page.QuerySelector(".audit-chain")!;
        Assert.Equal("true", status.GetAttribute("data-intact"));
        Assert.Contains("哈希链完好", status.TextContent);
        Assert.Contains("已从头校验全部", status.TextContent);
        Assert.Equal(entries[^1].Hash, page.QuerySelector(".audit-head").Text());
    }

    [Fact]
    public async Task AuditPage_ChecksTheChainOnlyWhenAsked()
    {
        var admin = await WithSomeEntriesAsync();

        var page = await admin.GetPageAsync("/admin/audit");

        Assert.Null(page.QuerySelector(".audit-chain"));
        Assert.Equal("/admin/audit?verify=1", page.QuerySelector("a.audit-verify")!.GetAttribute("href"));
    }

    [Fact]
    public async Task ChangedDetail_IsFoundByVerifyAndShownOnThePage()
    {
        var admin = await WithSomeEntriesAsync();
        var victim = await EntryAsync(2);
        await SqlAsync($"UPDATE \"AuditEntries\" SET \"Details\" = 'nothing happened' WHERE \"Id\" = {victim.Id}");

        var (code, _, error) = await VerifyCommandAsync();
        var page = await admin.GetPageAsync("/admin/audit?verify=1");

        Assert.Equal(1, code);
        Assert.Contains($"BROKEN at entry id {victim.Id} (sequence 2): content does not match its hash", error);
        AssertBrokenOnPage(page, victim.Id, "内容与哈希不符");
    }

    [Fact]
    public async Task DeletedRow_IsFoundByVerifyAndShownOnThePage()
    {
        var admin = await WithSomeEntriesAsync();
        var deleted = await EntryAsync(2);
        var next = await EntryAsync(3);
        await SqlAsync($"DELETE FROM \"AuditEntries\" WHERE \"Id\" = {deleted.Id}");

        var (code, _, error) = await VerifyCommandAsync();
        var page = await admin.GetPageAsync("/admin/audit?verify=1");

        Assert.Equal(1, code);
        Assert.Contains($"BROKEN at entry id {next.Id} (sequence 3): sequence 2–2 missing (entries deleted)", error);
        Assert.Contains("previous hash does not match", error);
        AssertBrokenOnPage(page, next.Id, "缺少序号 2–2 的记录");
    }

    [Fact]
    public async Task DeletedRowWithTheLaterOnesRenumbered_IsFoundByTheLink()
    {
        var admin = await WithSomeEntriesAsync();
        var deleted = await EntryAsync(2);
        var next = await EntryAsync(3);
        await SqlAsync($"DELETE FROM \"AuditEntries\" WHERE \"Id\" = {deleted.Id}");
        await SqlAsync("UPDATE \"AuditEntries\" SET \"Sequence\" = -\"Sequence\" WHERE \"Sequence\" > 2");
        await SqlAsync("UPDATE \"AuditEntries\" SET \"Sequence\" = -\"Sequence\" - 1 WHERE \"Sequence\" < 0");

        var (code, _, error) = await VerifyCommandAsync();

        Assert.Equal(1, code);
        Assert.Contains($"BROKEN at entry id {next.Id} (sequence 2)", error);
        Assert.Contains("previous hash does not match the entry before it", error);
        AssertBrokenOnPage(await admin.GetPageAsync("/admin/audit?verify=1"), next.Id, "前一哈希与上一条记录不符");
    }

    [Fact]
    public async Task ReorderedRows_AreFoundByVerifyAndShownOnThePage()
    {
        var admin = await WithSomeEntriesAsync();
        var second = await EntryAsync(2);
        var third = await EntryAsync(3);
        // Swap their places in the chain (through a free number: the sequence is unique).
        await SqlAsync($"UPDATE \"AuditEntries\" SET \"Sequence\" = -1 WHERE \"Id\" = {second.Id}");
        await SqlAsync($"UPDATE \"AuditEntries\" SET \"Sequence\" = 2 WHERE \"Id\" = {third.Id}");
        await SqlAsync($"UPDATE \"AuditEntries\" SET \"Sequence\" = 3 WHERE \"Id\" = {second.Id}");

        var (code, _, error) = await VerifyCommandAsync();

        Assert.Equal(1, code);
        Assert.Contains($"BROKEN at entry id {third.Id} (sequence 2)", error);
        Assert.Contains("previous hash does not match the entry before it (entries removed, inserted or reordered)", error);
        AssertBrokenOnPage(await admin.GetPageAsync("/admin/audit?verify=1"), third.Id, "调换顺序");
    }

    [Fact]
    public async Task RemovedHash_IsNotSealedAgainAtTheNextCommand()
    {
        await WithSomeEntriesAsync();
        var victim = await EntryAsync(2);
        await SqlAsync($"UPDATE \"AuditEntries\" SET \"Details\" = 'rewritten', \"Hash\" = NULL WHERE \"Id\" = {victim.Id}");

        var (code, _, error) = await VerifyCommandAsync();

        Assert.Equal(1, code);
        Assert.Contains($"BROKEN at entry id {victim.Id} (sequence 2): no hash (never sealed)", error);
    }

    [Fact]
    public async Task CsvExport_HasTheByteOrderMarkTheHeaderAndTheFilteredRows()
    {
        var admin = await WithSomeEntriesAsync();

        using var response = await admin.GetAsync($"/admin/audit?handler=csv&action={AuditActions.SignInFailed}");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var failed = await _factory.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.SignInFailed)
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id).ToListAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.StartsWith("attachment", response.Content.Headers.ContentDisposition!.ToString());
        Assert.Equal("编号,序号,时间（北京时间）,时间（UTC）,用户,用户编号,操作,操作代码,对象,详情,来源地址,前一哈希,哈希", lines[0]);
        Assert.Equal(failed.Count + 1, lines.Length);
        Assert.NotEmpty(failed);
        Assert.All(lines.Skip(1), l => Assert.Contains(",登录失败,signin.failed,", l));
        Assert.StartsWith($"{failed[0].Id},{failed[0].Sequence},", lines[1]);
        Assert.EndsWith($",{failed[0].PreviousHash},{failed[0].Hash}", lines[1]);
        Assert.Contains("user:", lines[1]);
    }

    [Fact]
    public async Task CsvLink_CarriesThePagesFilters()
    {
        var admin = await WithSomeEntriesAsync();

        var page = await admin.GetPageAsync("/admin/audit?action=signin.failed&user=admin&from=2020-01-01");

        Assert.Equal("/admin/audit?action=signin.failed&user=admin&from=2020-01-01&handler=csv",
            page.QuerySelector("a.audit-csv")!.GetAttribute("href"));
    }

    [Fact]
    public async Task CsvExport_IsForAdministratorsOnly()
    {
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        var editor = await _factory.SignInAsync("editor@example.com");

        using var response = await editor.GetAsync("/admin/audit?handler=csv");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Pruning_RemovesOldEntriesAndKeepsTheChainVerifiable()
    {
        await WithSomeEntriesAsync();
        var before = await _factory.WithDbAsync(db => db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync());
        // AdjustTime, not Advance: the app's periodic timers would otherwise fire once for every interval of 200 days.
        _factory.Clock.AdjustTime(_factory.Clock.GetUtcNow().AddDays(200));
        (await _factory.CreateReader().SubmitFormAsync("/admin/signin", "form",
            new() { ["Input.Email"] = Admin, ["Input.Password"] = "not-the-password" })).Dispose();

        var retention = new AuditRetention(_factory.Services.GetRequiredService<IServiceScopeFactory>(),
            _factory.Services.GetRequiredService<PovertyNews.Web.Common.JobLock>(),
            Options.Create(new AuditOptions { RetentionDays = 180 }), _factory.Clock,
            _factory.Services.GetRequiredService<PovertyNews.Web.Common.StartupGate>(),
            _factory.Services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<AuditRetention>>());
        var pruned = await retention.PruneAsync(CancellationToken.None);

        Assert.Equal(before.Count, pruned);
        var anchor = await _factory.WithDbAsync(db => db.AuditAnchors.SingleAsync());
        Assert.Equal(before[^1].Sequence, anchor.Sequence);
        Assert.Equal(before[^1].Hash, anchor.Hash);
        var kept = await _factory.WithDbAsync(db => db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync());
        Assert.Equal(anchor.Hash, kept[0].PreviousHash);
        Assert.Contains(kept, e => e.Action == AuditRetention.PrunedAction);
        var (code, output, _) = await VerifyCommandAsync();
        Assert.Equal(0, code);
        Assert.Contains($"intact, {kept.Count} entries checked", output);

        // The anchor is part of what is verified: the first entry kept must link to it.
        await SqlAsync($"UPDATE \"AuditAnchors\" SET \"Hash\" = '{AuditHash.Genesis}'");
        Assert.Equal(1, (await VerifyCommandAsync()).Code);
        // The session of 200 days ago has expired.
        var again = await _factory.SignInAsync(Admin);
        AssertBrokenOnPage(await again.GetPageAsync("/admin/audit?verify=1"), kept[0].Id, "前一哈希");
    }

    [Fact]
    public async Task PruningEverything_LinksTheNextEntriesToTheAnchor()
    {
        await WithSomeEntriesAsync();
        var last = await _factory.WithDbAsync(db => db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Sequence).FirstAsync());
        _factory.Clock.AdjustTime(_factory.Clock.GetUtcNow().AddDays(181));

        var pruned = await new AuditRetention(_factory.Services.GetRequiredService<IServiceScopeFactory>(),
            _factory.Services.GetRequiredService<PovertyNews.Web.Common.JobLock>(),
            Options.Create(new AuditOptions { RetentionDays = 180 }), _factory.Clock,
            _factory.Services.GetRequiredService<PovertyNews.Web.Common.StartupGate>(),
            _factory.Services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<AuditRetention>>()).PruneAsync(CancellationToken.None);
        (await _factory.CreateReader().SubmitFormAsync("/admin/signin", "form",
            new() { ["Input.Email"] = Admin, ["Input.Password"] = "not-the-password" })).Dispose();

        Assert.Equal(last.Sequence, pruned);
        var kept = await _factory.WithDbAsync(db => db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync());
        Assert.Equal([AuditRetention.PrunedAction, AuditActions.SignInFailed], kept.Select(e => e.Action));
        Assert.Equal(last.Sequence + 1, kept[0].Sequence);
        Assert.Equal(last.Hash, kept[0].PreviousHash);
        Assert.Equal(0, (await VerifyCommandAsync()).Code);
    }

    [Fact]
    public async Task AuditVerify_WithoutTheSubcommand_IsAUsageError()
    {
        Assert.Equal("audit", Commands.Find(["audit", "verify"]));
        var error = new StringWriter();

        var code = await Commands.RunAsync(_factory.Services, "audit", ["audit"], TextReader.Null, TextWriter.Null, error);

        Assert.Equal(2, code);
        Assert.Contains("usage: audit verify", error.ToString());
    }

    [Fact]
    public void RetentionBelow180Days_IsRefusedAtStart()
    {
        using var app = new NewsFactory { ConfigureHost = b => b.UseSetting("PovertyNews:Audit:RetentionDays", "179") };

        var refusal = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains("PovertyNews:Audit:RetentionDays must be from 180", Flatten(refusal));
    }

    private static string Flatten(Exception e) => e is AggregateException a
        ? string.Join(" | ", a.InnerExceptions.Select(Flatten))
        : e.Message + (e.InnerException is { } inner ? " | " + Flatten(inner) : "");

    private static void AssertBrokenOnPage(AngleSharp.Html.Dom.IHtmlDocument page, long id, string what)
    {
        var status = page.QuerySelector(".audit-chain")!;
        Assert.Equal("false", status.GetAttribute("data-intact"));
        Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), status.GetAttribute("data-broken-id"));
        Assert.Contains("哈希链已损坏", status.TextContent);
        Assert.Contains($"编号 {id}", status.TextContent);
        Assert.Contains(what, status.TextContent);
    }

    /// <summary>An administrator signed in, a user created through the form, a failed sign-in: several entries.</summary>
    private async Task<HttpClient> WithSomeEntriesAsync()
    {
        await _factory.CreateUserAsync(Admin, NewsRoles.Administrator);
        var admin = await _factory.SignInAsync(Admin);
        (await admin.SubmitFormAsync("/admin/users/new", "form.users-form", new()
        {
            ["Input.Email"] = "new.reporter@example.com",
            ["Input.Roles"] = NewsRoles.Reporter,
            ["Input.Password"] = "quiet-harbour-lantern-7",
        })).Dispose();
        (await _factory.CreateReader().SubmitFormAsync("/admin/signin", "form",
            new() { ["Input.Email"] = Admin, ["Input.Password"] = "not-the-password" })).Dispose();
        return admin;
    }

    private Task<AuditEntry> EntryAsync(long sequence) =>
        _factory.WithDbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(e => e.Sequence == sequence));

    private Task SqlAsync(string sql) => _factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(sql));

    private async Task<(int Code, string Output, string Error)> VerifyCommandAsync()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Commands.RunAsync(_factory.Services, "audit", ["audit", "verify"], TextReader.Null, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
