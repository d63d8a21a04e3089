using Microsoft.AspNetCore.Hosting;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Testing;

namespace PovertyNews.IntegrationTests.Cluster;

/// <summary>
/// Several app hosts on one new PostgreSQL database (and, if given, one Redis), started one after another as a
/// deployment would; for the tests of state the nodes share (view counts, sign-in limits, once-per-cluster jobs).
/// Each node has its own clock (<see cref="NewsFactory.Clock"/>), its own data folder and its own memory.
/// </summary>
public sealed class SharedDatabaseNodes : IDisposable
{
    private readonly string _database;

    private SharedDatabaseNodes(string database, IReadOnlyList<NewsFactory> nodes)
    {
        _database = database;
        Nodes = nodes;
    }

    public IReadOnlyList<NewsFactory> Nodes { get; }

    public NewsFactory this[int index] => Nodes[index];

    public static async Task<SharedDatabaseNodes> StartAsync(int count, string? redis = null, Action<IWebHostBuilder>? configureHost = null)
    {
        var database = "pn_nodes_" + Guid.NewGuid().ToString("N");
        var connectionString = await PostgresCluster.Instance.CreateDatabaseAsync(database);
        var nodes = new List<NewsFactory>();
        for (var i = 1; i <= count; i++)
        {
            var node = new NewsFactory
            {
                SharedDatabase = connectionString,
                Redis = redis,
                NodeName = $"node{i}",
                ConfigureHost = configureHost,
            };
            // Starting the host migrates the database (the first node) and imports content/ once.
            _ = node.Services;
            nodes.Add(node);
        }
        return new SharedDatabaseNodes(database, nodes);
    }

    public void Dispose()
    {
        foreach (var node in Nodes)
        {
            node.Dispose();
        }
        PostgresCluster.Instance.DropDatabase(_database);
    }
}
