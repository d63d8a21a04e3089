using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Testing;
using PovertyNews.Web.Cluster;
using PovertyNews.Web.Reading;

namespace PovertyNews.IntegrationTests.Cluster;

/// <summary>
/// Three web nodes of one site, as behind a load balancer: one new PostgreSQL database, one Redis of their own (the
/// tests stop and start it), one media folder. Node A starts first and prepares the database (migrations, sample
/// content); B and C find it done. Each test starts from the database as it was after start, Redis running, and every
/// node's caches empty (<see cref="ResetAsync"/>).
/// </summary>
public sealed class ClusterNodes : IAsyncLifetime
{
    private readonly string _database = "pn_cluster_" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _media = Path.Combine(Path.GetTempPath(), "povertynews-tests", "cluster-media-" + Guid.NewGuid().ToString("N")[..12]);
    private PostgresSnapshot? _snapshot;

    public RedisServer Redis { get; } = RedisServer.StartNew();

    public IReadOnlyList<NewsFactory> Nodes { get; private set; } = [];

    public NewsFactory A => Nodes[0];
    public NewsFactory B => Nodes[1];
    public NewsFactory C => Nodes[2];

    public async Task InitializeAsync()
    {
        var connection = await PostgresCluster.Instance.CreateDatabaseAsync(_database);
        Directory.CreateDirectory(_media);
        Nodes = new[] { "a", "b", "c" }.Select(name => new NewsFactory
        {
            SharedDatabase = connection,
            Redis = Redis.Configuration,
            NodeName = name,
            SharedMediaPath = _media,
            ConfigureHost = b => b.UseSetting("PovertyNews:Cluster:FallbackInterval", "00:00:05"),
        }).ToList();
        _ = A.Services;
        await Task.WhenAll(Nodes.Skip(1).Select(n => Task.Run(() => n.Services)));
        await Task.WhenAll(Nodes.Select(n => UntilAsync(() => Bus(n).CutOffSince is null, "node listening")));
        _snapshot = await PostgresSnapshot.TakeAsync(connection);
    }

    public static RedisClusterBus Bus(NewsFactory node) => node.Services.GetRequiredService<RedisClusterBus>();

    public async Task ResetAsync()
    {
        if (!Redis.IsRunning)
        {
            Redis.Start();
        }
        await Task.WhenAll(Nodes.Select(n => UntilAsync(() => Bus(n).CutOffSince is null, "node back on Redis")));
        await _snapshot!.RestoreAsync();
        foreach (var node in Nodes)
        {
            node.Clock.AdjustTime(NewsFactory.Now());
            node.Services.GetRequiredService<ViewCounter>().Drain();
            await node.Services.GetRequiredService<LocalCaches>().DropAsync(ClusterChange.All, CancellationToken.None);
            node.UseNewClientAddress();
        }
    }

    /// <summary>
    /// A browser's session spread over the nodes: one cookie jar, and a client per node that uses it, as a load
    /// balancer without sticky sessions sends one person's requests to any node.
    /// </summary>
    public IReadOnlyList<HttpClient> Session()
    {
        var cookies = new CookieContainer();
        return Nodes.Select(n => n.CreateDefaultClient(new CookieContainerHandler(cookies))).ToList();
    }

    /// <summary>Waits (up to half a minute) for something another thread or process does; not a timing assertion.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"waited 30 s for: {what}");
            }
            await Task.Delay(20);
        }
    }

    public Task DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            node.Dispose();
        }
        PostgresCluster.Instance.DropDatabase(_database);
        Redis.Dispose();
        try
        {
            Directory.Delete(_media, recursive: true);
        }
        catch (IOException)
        {
        }
        return Task.CompletedTask;
    }
}
