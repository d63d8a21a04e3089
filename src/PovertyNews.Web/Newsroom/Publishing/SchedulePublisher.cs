namespace PovertyNews.Web.Newsroom.Publishing;

// PLACEHOLDER: the hosted service that completes scheduled publications is being written.
public sealed class SchedulePublisher : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;
}
