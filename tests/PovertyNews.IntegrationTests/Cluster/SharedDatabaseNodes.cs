using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Testing;
using StackExchange.Redis;

namespace PovertyNews.IntegrationTests.Cluster;

/// <summary>
/// Several app hosts on one new PostgreSQL database (and, if given, one Redis), started one after another as a
/// deployment would; for the tests of state the nodes share (view counts, sign-in limits, once-per-cluster jobs).
/// Each node has its own clock (<see cref="NewsFactory.Clock"/>), its own data folder and its own memory; the media
/// folder is shared, as a deployment's is (the sample import puts its pictures and clips into the library, and a node
/// that could not see them would rightly warn of rows without files).
/// </summary>
public sealed class SharedDatabaseNodes : IDisposable
{
    private readonly string _database;
    private readonly string _media;

    private SharedDatabaseNodes(string database, string media, IReadOnlyList<NewsFactory> nodes)
    {
        _database = database;
        _media = media;
        Nodes = nodes;
    }

    public IReadOnlyList<NewsFactory> Nodes { get; }

    /// <summary>
    /// A Redis key prefix of its own for one test's nodes (the same on each of them): the Redis server is shared by the
    /// run, and counts or announcements of another test must not reach these nodes.
    /// </summary>
    public static Action<IWebHostBuilder> OwnRedisKeys(string purpose)
    {
        var prefix = purpose + "-" + Guid.NewGuid().ToString("N")[..12];
        return b => b.UseSetting("PovertyNews:Cluster:KeyPrefix", prefix);
    }

    public NewsFactory this[int index] => Nodes[index];

    public static async Task<SharedDatabaseNodes> StartAsync(int count, string? redis = null, Action<IWebHostBuilder>? configureHost = null,
        bool untilOnRedis = true)
    {
        var database = "pn_nodes_" + Guid.NewGuid().ToString("N");
        var connectionString = await PostgresCluster.Instance.CreateDatabaseAsync(database);
        var media = Path.Combine(Path.GetTempPath(), "povertynews-tests", "nodes-media-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(media);
        var nodes = new List<NewsFactory>();
        for (var i = 1; i <= count; i++)
        {
            var node = new NewsFactory
            {
                SharedDatabase = connectionString,
                Redis = redis,
                NodeName = $"node{i}",
                ConfigureHost = configureHost,
                SharedMediaPath = media,
            };
            // Starting the host migrates the database (the first node) and imports content/ once.
            _ = node.Services;
            nodes.Add(node);
        }
        if (redis is not null && untilOnRedis)
        {
            // On a busy machine a node's first connection can outlast the connect timeout; until it is made, the node
            // rightly counts on its own (see the fallback tests). These tests are about nodes that share Redis.
            await Task.WhenAll(nodes.Select(OnRedisAsync));
        }
        return new SharedDatabaseNodes(database, media, nodes);
    }

    private static async Task OnRedisAsync(NewsFactory node)
    {
        var bus = ClusterNodes.Bus(node);
        var redis = node.Services.GetRequiredService<IConnectionMultiplexer>();
        await ClusterNodes.UntilAsync(() => bus.CutOffSince is null, $"{node.NodeName} listening on Redis");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await redis.GetDatabase().PingAsync();
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    public void Dispose()
    {
        foreach (var node in Nodes)
        {
            node.Dispose();
        }
        PostgresCluster.Instance.DropDatabase(_database);
        try
        {
            Directory.Delete(_media, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a node going away: the temporary folder is cleaned with the machine.
        }
    }
}
