using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using PovertyNews.Web.Newsroom.Publishing;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Operations.Backup;

namespace PovertyNews.IntegrationTests.Operations;

/// <summary>
/// The daily backup on the app's clock (a fake one the test moves): one archive a day at the configured time,
/// retention after each, a failed attempt recorded without deleting anything, and the catalog telling it all.
/// </summary>
// Provider-specific: the SQLite archive layout.
[Trait("Provider", "Sqlite")]
public sealed class BackupScheduleTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "povertynews-tests", "backups-" + Guid.NewGuid().ToString("N"));
    private readonly NewsFactory _factory;

    public BackupScheduleTests()
    {
        _factory = new NewsFactory
        {
            ConfigureHost = b => b
                .UseSetting("PovertyNews:Backup:Enabled", "true")
                .UseSetting("PovertyNews:Backup:Folder", _folder)
                .UseSetting("PovertyNews:Backup:TimeOfDay", "03:30")
                .UseSetting("PovertyNews:Backup:KeepDaily", "3")
                .UseSetting("PovertyNews:Backup:KeepWeekly", "2")
                // Days of fake time would be thousands of scheduled-publishing passes (every 20 s), none of use here.
                .ConfigureTestServices(services =>
                {
                    foreach (var hosted in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(SchedulePublisher)).ToList())
                    {
                        services.Remove(hosted);
                    }
                }),
        };
        // Monday 2 November 2026, midnight in China, before the host starts and plans its first backup.
        _factory.Clock.AdjustTime(ChinaTime(11, 2, 0, 0));
    }

    public void Dispose()
    {
        _factory.Dispose();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static DateTimeOffset ChinaTime(int month, int day, int hour = 3, int minute = 30) =>
        new DateTimeOffset(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8)).ToUniversalTime();

    /// <summary>Moves the clock to <paramref name="due"/> and waits until the scheduler has planned the next day.</summary>
    private async Task RunDayAsync(BackupScheduleState state, DateTimeOffset due)
    {
        _factory.Clock.Advance(due - _factory.Clock.GetUtcNow());
        var deadline = DateTime.UtcNow.AddMinutes(2); // a guard against a hang, not a timing assertion
        while (state.NextRun != due.AddDays(1))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the backup due at {due:u} did not finish");
            await Task.Delay(20);
        }
    }

    private IEnumerable<string> Archives() => Directory.EnumerateFiles(_folder, "*.zip").Select(Path.GetFileName).Order()!;

    [Fact]
    public async Task TenDays_OneArchiveADay_RetentionKeepsThreeDaysAndTwoWeeks_AFailureDeletesNothing()
    {
        var services = _factory.Services;
        var state = services.GetRequiredService<BackupScheduleState>();
        var catalog = services.GetRequiredService<BackupCatalog>();
        // The scheduler plans its first run once the host has started it, which may be a moment after Services returns.
        var deadline = DateTime.UtcNow.AddMinutes(1); // a guard against a hang, not a timing assertion
        while (state.NextRun is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.Equal(ChinaTime(11, 2), state.NextRun);
        Assert.Null(catalog.GetOverview().LastAttempt);

        for (var day = 2; day <= 11; day++)
        {
            await RunDayAsync(state, ChinaTime(11, day));
            Assert.True(catalog.LastAttempt() is { Succeeded: true }, catalog.LastAttempt()?.Error);
        }

        // Newest three days (9–11 Nov) and the newest of two weeks: 9–15 Nov (the 11th) and 2–8 Nov (Sunday the 8th).
        Assert.Equal(["povertynews-20261107T193000Z.zip", "povertynews-20261108T193000Z.zip",
            "povertynews-20261109T193000Z.zip", "povertynews-20261110T193000Z.zip"], Archives());
        var overview = catalog.GetOverview();
        Assert.True(overview.ScheduleEnabled);
        Assert.Equal(ChinaTime(11, 12), overview.NextRun);
        Assert.Equal("povertynews-20261110T193000Z.zip", overview.LastGood!.Name);
        Assert.Equal(ChinaTime(11, 11), overview.LastGood.CreatedAt);
        Assert.Equal(ChinaTime(11, 11), overview.LastAttempt!.StartedAt);
        Assert.Equal(overview.LastGood.Size, overview.LastAttempt.Size);
        Assert.Equal(4, overview.ArchiveCount);
        Assert.All(catalog.List(), a => Assert.True(a.Readable && a.Scheduled && a.Manifest!.Counts.Articles == SampleContent.ArticleCount));

        // The next archive cannot be written (a folder holds its name): recorded as failed, and retention deletes nothing.
        Directory.CreateDirectory(Path.Combine(_folder, "povertynews-20261111T193000Z.zip"));
        await RunDayAsync(state, ChinaTime(11, 12));

        var failed = catalog.GetOverview();
        Assert.False(failed.LastAttempt!.Succeeded);
        Assert.Equal(ChinaTime(11, 12), failed.LastAttempt.StartedAt);
        Assert.False(string.IsNullOrEmpty(failed.LastAttempt.Error));
        Assert.Equal("povertynews-20261110T193000Z.zip", failed.LastGood!.Name);
        Assert.Equal(["povertynews-20261107T193000Z.zip", "povertynews-20261108T193000Z.zip",
            "povertynews-20261109T193000Z.zip", "povertynews-20261110T193000Z.zip"], Archives().Where(n => File.Exists(Path.Combine(_folder, n))));
        Assert.Empty(Directory.EnumerateFiles(_folder, ".*")); // no partial file left behind
    }
}
