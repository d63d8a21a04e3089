using System.ComponentModel.DataAnnotations;

namespace PovertyNews.Web.Cluster;

/// <summary>
/// The "PovertyNews:Cluster" section: several web nodes on one PostgreSQL database. Without <see cref="Redis"/> the
/// node is alone, as on SQLite, and every cache is its own business.
/// </summary>
public sealed class ClusterOptions
{
    public const string SectionName = "PovertyNews:Cluster";

    /// <summary>
    /// StackExchange.Redis configuration (<c>127.0.0.1:6379</c>, or <c>host:port,password=…</c>). Set on every node of
    /// a cluster: changes are announced through it, and sign-in limits are counted in it.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>This node's name in logs, health and the announcements; defaults to the machine name and process id.</summary>
    public string? NodeName { get; set; }

    /// <summary>Prefix of the Redis channels and keys, so several sites can share one Redis.</summary>
    [RegularExpression("^[A-Za-z0-9_.-]{1,64}$")]
    public string KeyPrefix { get; set; } = "povertynews";

    /// <summary>
    /// How stale a node may be while it cannot hear the others (Redis unreachable): it drops its own cached pages and
    /// portal snapshot this often, so a change made elsewhere shows within this time.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan FallbackInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a save waits for the other nodes to confirm they dropped what it changed. The editor's answer then
    /// means "every node shows it"; a node that does not confirm in time is logged and catches up by itself.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan ConfirmTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public bool Enabled => !string.IsNullOrWhiteSpace(Redis);

    public string Node => string.IsNullOrWhiteSpace(NodeName) ? $"{Environment.MachineName}:{Environment.ProcessId}" : NodeName;
}
