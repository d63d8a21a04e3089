using System.ComponentModel.DataAnnotations;

namespace PovertyNews.Web.Caching;

/// <summary>The "PovertyNews:OutputCache" section: the cache of rendered reader pages and feeds.</summary>
public sealed class ReaderCacheOptions
{
    public const string SectionName = "PovertyNews:OutputCache";

    /// <summary>Off renders every request (a second server for measuring, or to rule the cache out when debugging).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// A safety net only: changes evict the pages that show them, so this bounds how long a page changed behind the
    /// application's back (a hand-edited database) can be served.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Total size of the cached responses (compressed, as sent).</summary>
    [Range(1, 4096)]
    public int SizeLimitMegabytes { get; set; } = 64;

    /// <summary>Responses larger than this (large sitemaps) are sent but not kept.</summary>
    [Range(16, 65536)]
    public int MaximumBodyKilobytes { get; set; } = 2048;

    /// <summary>
    /// How many megabytes of pages <see cref="ReaderCacheDoor"/> answers repeated plain requests from (4 MB is about
    /// 160 article pages). They are the cache entries' own bytes, not copies, so this mostly bounds how long pages
    /// whose entries were evicted can be held before the door lets go of them. 0 turns the door off, so every
    /// request takes the whole pipeline.
    /// </summary>
    [Range(0, 1024)]
    public int DoorMegabytes { get; set; } = 4;
}
