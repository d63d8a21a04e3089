using System.Linq.Expressions;

namespace PovertyNews.Web.Domain;

public class Article
{
    public int Id { get; set; }

    /// <summary>Stable key used by the content importer and in friendly URLs; never changes once published.</summary>
    public required string Slug { get; set; }

    public required string Title { get; set; }
    public string? Subtitle { get; set; }
    public string Summary { get; set; } = "";

    public string BodyMarkdown { get; private set; } = "";

    /// <summary>Sanitised HTML rendered from <see cref="BodyMarkdown"/> at save time; pages never render Markdown.</summary>
    public string BodyHtml { get; private set; } = "";

    public int ChannelId { get; set; }
    public Channel? Channel { get; set; }
    public List<Tag> Tags { get; set; } = [];

    /// <summary>来源. Empty means the site itself.</summary>
    public string? Source { get; set; }

    /// <summary>转自: the outlet this report was first published by.</summary>
    public string? ReprintedFrom { get; set; }

    public string? Author { get; set; }

    /// <summary>责任编辑.</summary>
    public string? ResponsibleEditor { get; set; }

    /// <summary>新闻热线 shown in the contact block.</summary>
    public string? ContactHotline { get; set; }

    /// <summary>官方微信公众号 shown in the contact block.</summary>
    public string? ContactWeChat { get; set; }

    public string? CoverImageUrl { get; set; }
    public string? CoverImageAlt { get; set; }

    public ArticleKind Kind { get; set; }
    public string? VideoUrl { get; set; }
    public string? VideoPosterUrl { get; set; }

    public ArticleStatus Status { get; private set; }

    /// <summary>UTC. For a scheduled article this is the scheduled time, which may still lie ahead.</summary>
    public DateTime? PublishedAt { get; private set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>头条: shown at the top of the front page, ordered by <see cref="HeadlineOrder"/>.</summary>
    public bool IsHeadline { get; set; }
    public int HeadlineOrder { get; set; }

    /// <summary>Pinned to the top of 热点新闻 until <see cref="PinnedUntil"/> (UTC), ordered by <see cref="PinOrder"/>.</summary>
    public bool IsPinned { get; set; }
    public int PinOrder { get; set; }
    public DateTime? PinnedUntil { get; set; }

    public long ViewCount { get; set; }

    /// <summary>Hash of the imported file this article was last written from; lets the importer skip unchanged files.</summary>
    public string? ImportHash { get; set; }

    /// <summary>Changes on every save, so two editors saving the same article cannot silently overwrite each other.</summary>
    public Guid Version { get; set; } = Guid.NewGuid();

    /// <summary>Sets the body together with its rendered HTML so the two can never drift apart.</summary>
    public void SetBody(string markdown, string renderedHtml)
    {
        BodyMarkdown = markdown;
        BodyHtml = renderedHtml;
    }

    /// <summary>Publishes now, or at <paramref name="at"/> when given (scheduling).</summary>
    public void Publish(DateTime now, DateTime? at = null)
    {
        if (Status == ArticleStatus.Withdrawn)
        {
            throw new InvalidOperationException("A withdrawn article cannot be published again.");
        }
        Status = ArticleStatus.Published;
        PublishedAt = EnsureUtc(at ?? now);
    }

    public void Withdraw()
    {
        Status = ArticleStatus.Withdrawn;
        IsHeadline = false;
        IsPinned = false;
    }

    public void ReturnToDraft()
    {
        Status = ArticleStatus.Draft;
        PublishedAt = null;
    }

    public bool IsVisibleAt(DateTime now) =>
        Status == ArticleStatus.Published && PublishedAt is { } at && at <= EnsureUtc(now);

    public bool IsWithdrawn => Status == ArticleStatus.Withdrawn;

    /// <summary>
    /// The rule of <see cref="IsVisibleAt"/> as a query expression: published and due.
    /// A scheduled article becomes visible at its minute even if the publishing job runs late.
    /// </summary>
    public static Expression<Func<Article, bool>> VisibleAt(DateTime now)
    {
        var utc = EnsureUtc(now);
        return a => a.Status == ArticleStatus.Published && a.PublishedAt != null && a.PublishedAt <= utc;
    }

    public bool IsPinnedAt(DateTime now) => IsPinned && (PinnedUntil is null || PinnedUntil > now);

    private static DateTime EnsureUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };
}
