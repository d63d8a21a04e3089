using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PovertyNews.IntegrationTests.Admin;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.IntegrationTests.Operations;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Publishing;
using Serilog.Core;
using Serilog.Events;

namespace PovertyNews.IntegrationTests.Cluster;

/// <summary>Three nodes on one PostgreSQL database publish a scheduled article once, without racing one another.</summary>
[Trait("Provider", "PostgreSql")]
public sealed class ScheduledPublishingNodesTests
{
    [Fact]
    public async Task ThreeNodesPassingAtOnce_PublishEachScheduledArticleExactlyOnce_WithoutConflicts()
    {
        var events = new[] { new CapturedEvents(), new CapturedEvents(), new CapturedEvents() };
        var started = 0;
        // Each node's passes are driven by the test (the job's own timer is taken out, as in SchedulingTests), so all
        // three run at the same moment.
        using var nodes = await SharedDatabaseNodes.StartAsync(3, configureHost: b => b.ConfigureTestServices(services =>
        {
            foreach (var hosted in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(SchedulePublisher)).ToList())
            {
                services.Remove(hosted);
            }
            services.AddSingleton<ILogEventSink>(events[Interlocked.Increment(ref started) - 1]);
        }));
        var (a, b) = (nodes[0], nodes[1]);
        await a.CreateUserInAsync("reporter@example.com", NewsRoles.Reporter);
        await a.CreateUserInAsync("editor@example.com", NewsRoles.Editor);
        await a.CreateUserInAsync("editor2@example.com", NewsRoles.Editor);
        await a.CreateUserInAsync("chief@example.com", NewsRoles.EditorInChief);
        var at = WorkflowSteps.FormatChinaLocal(a.Clock.GetUtcNow().UtcDateTime.AddHours(2));
        var ids = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var id = await a.CreateDraftAsync("reporter@example.com", $"三个节点定时发布的稿件{i}");
            await (await a.SignInToAsync("reporter@example.com")).StepOkAsync(id, "submit");
            await (await a.SignInToAsync("editor@example.com")).StepOkAsync(id, "pass", "初审同意");
            await (await b.SignInToAsync("editor2@example.com")).StepOkAsync(id, "pass", "复审同意");
            await (await b.SignInToAsync("chief@example.com")).StepOkAsync(id, "pass", "同意发布");
            await (await b.SignInToAsync("editor@example.com")).StepOkAsync(id, "schedule", at: at);
            ids.Add(id);
        }
        foreach (var node in nodes.Nodes)
        {
            node.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        }

        var publishers = nodes.Nodes.Select(n => ActivatorUtilities.CreateInstance<SchedulePublisher>(n.Services)).ToList();
        var completed = await Task.WhenAll(publishers.Select(p => Task.Run(() => p.PublishDueAsync(CancellationToken.None))));
        // Passes after the first find nothing left to do.
        var again = await Task.WhenAll(publishers.Select(p => p.PublishDueAsync(CancellationToken.None)));

        Assert.Equal(ids.Count, completed.Sum());
        Assert.All(again, n => Assert.Equal(0, n));
        var published = AuditActions.Workflow(ReviewAction.PublishedOnSchedule);
        foreach (var id in ids)
        {
            Assert.Equal(ArticleStatus.Published, await a.WithDbAsync(db => db.Articles.Where(x => x.Id == id).Select(x => x.Status).SingleAsync()));
            Assert.Equal(1, await a.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Target == $"article:{id}" && e.Action == published)));
            Assert.Equal(1, await a.WithDbAsync(db => db.ArticleReviews.CountAsync(r => r.ArticleId == id && r.Action == ReviewAction.PublishedOnSchedule)));
        }
        var warnings = events.SelectMany(e => e.All).Where(e => e.Level >= LogEventLevel.Warning).Select(e => e.RenderMessage()).ToList();
        Assert.Empty(warnings);
    }
}
