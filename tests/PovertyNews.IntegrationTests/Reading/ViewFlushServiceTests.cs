using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Reading;

namespace PovertyNews.IntegrationTests.Reading;

/// <summary>
/// The last write of buffered reads when the host stops. The host stops its jobs one after another within one shutdown
/// timeout, so a job stopped before this one (a quick_check of a large file, before it could be interrupted) can
/// leave it an already-cancelled token.
/// </summary>
public sealed class ViewFlushServiceTests(NoSchedulePublisherApp shared) : IClassFixture<NoSchedulePublisherApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task StopWithTheShutdownTimeoutUsedUp_StillWritesTheBufferedReads_AndDoesNotFailTheStop()
    {
        var slug = await _factory.WithDbAsync(db => db.Articles.OrderBy(a => a.Id).Select(a => a.Slug).FirstAsync());
        var id = await _factory.ArticleIdAsync(slug);
        var before = await ViewCountAsync(id);
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/articles/{id}");
            request.Headers.UserAgent.ParseAdd($"Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0 Reader/{i}");
            (await _factory.CreateReader().SendAsync(request)).EnsureSuccessStatusCode();
        }
        var job = _factory.Services.GetServices<IHostedService>().OfType<ViewFlushService>().Single();

        await job.StopAsync(new CancellationToken(canceled: true));

        Assert.Equal(before + 3, await ViewCountAsync(id));
    }

    private Task<long> ViewCountAsync(int id) =>
        _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.ViewCount).SingleAsync());
}
