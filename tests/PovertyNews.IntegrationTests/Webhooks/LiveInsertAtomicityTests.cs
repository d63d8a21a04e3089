using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Webhooks;

/// <summary>
/// Stands for a crash at the end of a save: it throws after every other interceptor's after-save work for a report
/// whose title asks for it.
/// </summary>
public sealed class CrashAtTheEndOfTheSave : SaveChangesInterceptor, ISaveInterceptor
{
    public const string Title = "保存末尾崩溃";

    public SaveStage Stage => SaveStage.InTransactionLast;

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context!.ChangeTracker.Entries<Article>().Any(e => e.Entity.Title == Title))
        {
            throw new IOException("simulated crash at the end of the save");
        }
        return ValueTask.FromResult(result);
    }
}

public sealed class CrashingSaveApp() : SharedNewsApp(b =>
{
    Webhook.Configure(b);
    b.ConfigureTestServices(services =>
    {
        Webhook.RemoveTimers(services);
        services.AddSingleton<IInterceptor, CrashAtTheEndOfTheSave>();
    });
});

/// <summary>
/// A report added already live (as the importer adds one) gets its id from the insert, and its webhook event, search
/// entry and audit link are written after that: all of it commits together or not at all.
/// </summary>
public sealed class LiveInsertAtomicityTests(CrashingSaveApp shared) : IClassFixture<CrashingSaveApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task SaveLiveAsync(string title)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var channel = await db.Channels.Select(c => c.Id).FirstAsync();
        db.Articles.Add(new ArticleBuilder(channel, title).Body("湘西州的协作项目").Build());
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task LiveReportAdded_CommitsWithItsPublishedEvent()
    {
        await SaveLiveAsync("新增即发布的稿件");

        var id = await _factory.WithDbAsync(db => db.Articles.Where(a => a.Title == "新增即发布的稿件").Select(a => a.Id).SingleAsync());
        Assert.Equal(1, await _factory.WithDbAsync(db => db.WebhookEvents.CountAsync(e => e.ArticleId == id && e.Type == "article.published")));
    }

    [Fact]
    public async Task CrashAfterTheInsert_LeavesNeitherTheReportNorItsEvent()
    {
        var eventsBefore = await _factory.WithDbAsync(db => db.WebhookEvents.CountAsync());

        await Assert.ThrowsAsync<IOException>(() => SaveLiveAsync(CrashAtTheEndOfTheSave.Title));

        // Before, the search index's own transaction committed the report ahead of the event's save.
        Assert.False(await _factory.WithDbAsync(db => db.Articles.AnyAsync(a => a.Title == CrashAtTheEndOfTheSave.Title)));
        Assert.Equal(eventsBefore, await _factory.WithDbAsync(db => db.WebhookEvents.CountAsync()));
    }
}
