using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Webhooks;

namespace PovertyNews.IntegrationTests.Webhooks;

/// <summary>
/// What goes into the webhook log and how long it stays: a live report whose tags alone change is article.updated;
/// ended events leave the log after the retention period, waiting ones never.
/// </summary>
public sealed class WebhookLogTests(WebhooksApp shared) : IClassFixture<WebhooksApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public async Task InitializeAsync()
    {
        await shared.ResetAsync();
        await _factory.PassAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<int> AddLiveAsync(string title)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var channel = await db.Channels.Select(c => c.Id).FirstAsync();
        var article = new ArticleBuilder(channel, title).Body("正文").Build();
        db.Articles.Add(article);
        await db.SaveChangesAsync();
        return article.Id;
    }

    [Fact]
    public async Task TagsAloneChanged_OnALiveReport_IsArticleUpdated_OnADraftNothing()
    {
        var live = await AddLiveAsync("只改标签的稿件");
        var draft = await _factory.WithDbAsync(async db =>
        {
            var article = new ArticleBuilder(await db.Channels.Select(c => c.Id).FirstAsync(), "只改标签的草稿").Draft().Build();
            db.Articles.Add(article);
            await db.SaveChangesAsync();
            return article.Id;
        });
        Task<int> UpdatedAsync(int id) => _factory.WithDbAsync(db => db.WebhookEvents.CountAsync(e => e.ArticleId == id && e.Type == WebhookEventTypes.Updated));

        foreach (var id in new[] { live, draft })
        {
            await _factory.WithDbAsync(async db =>
            {
                var article = await db.Articles.Include(a => a.Tags).SingleAsync(a => a.Id == id);
                article.Tags.Add(await db.Tags.FirstOrDefaultAsync(t => t.Name == "新标签甲") ?? new Tag { Name = "新标签甲" });
                await db.SaveChangesAsync();
            });
        }
        Assert.Equal(1, await UpdatedAsync(live));
        Assert.Equal(0, await UpdatedAsync(draft));

        // Taking it away again is another change, another event.
        await _factory.WithDbAsync(async db =>
        {
            var article = await db.Articles.Include(a => a.Tags).SingleAsync(a => a.Id == live);
            article.Tags.Clear();
            await db.SaveChangesAsync();
        });
        Assert.Equal(2, await UpdatedAsync(live));
    }

    [Fact]
    public async Task EndedEvents_LeaveTheLogAfterTheRetention_WaitingOnesStay()
    {
        var receiver = await TestReceiver.StartAsync();
        await using var _ = receiver;
        var (endpointId, _) = await _factory.RegisterAsync(receiver.BaseUrl + "/hooks");
        var delivered = await AddLiveAsync("早已送达的事件");
        Assert.Equal(1, await _factory.PassAsync());
        var waiting = await AddLiveAsync("仍在等待的事件");
        await _factory.Dispatcher().FanOutAsync(CancellationToken.None);
        // Its first attempt is due later (as after a failure): it is still waiting when the retention has passed.
        await _factory.WithDbAsync(db => db.WebhookDeliveries.Where(d => d.EndpointId == endpointId && d.Status == WebhookDeliveryStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, DateTime.UtcNow.AddYears(1))));
        var before = await _factory.WithDbAsync(db => db.WebhookEvents.CountAsync());

        Assert.Equal(0, await _factory.Dispatcher().PruneAsync(CancellationToken.None));
        _factory.Clock.Advance(TimeSpan.FromDays(91));
        var pruned = await _factory.Dispatcher().PruneAsync(CancellationToken.None);

        Assert.True(pruned >= 1);
        Assert.False(await _factory.WithDbAsync(db => db.WebhookEvents.AnyAsync(e => e.ArticleId == delivered)));
        Assert.True(await _factory.WithDbAsync(db => db.WebhookEvents.AnyAsync(e => e.ArticleId == waiting)));
        Assert.Equal(1, await _factory.WithDbAsync(db => db.WebhookDeliveries.CountAsync(d => d.EndpointId == endpointId)));
        Assert.Equal(before - pruned, await _factory.WithDbAsync(db => db.WebhookEvents.CountAsync()));
    }
}
