namespace PovertyNews.Web.Domain;

/// <summary>
/// 专题: a special-topic page (e.g. 东西部扶贫协作) that gathers a story running over months: a banner, an
/// introduction, ordered sections each fed by a tag, a channel or hand-picked articles, and an optional timeline.
/// </summary>
public class Topic
{
    public const int MaxSlugLength = 100;
    public const int MaxTitleLength = 200;
    public const int MaxIntroductionLength = 4000;

    public int Id { get; set; }

    /// <summary>The address part of /topics/{slug}: lower-case letters, digits and hyphens.</summary>
    public required string Slug { get; set; }

    public required string Title { get; set; }

    /// <summary>导语 in Markdown, as the editor wrote it.</summary>
    public string IntroductionMarkdown { get; set; } = "";

    /// <summary>The introduction rendered and sanitised, as readers get it.</summary>
    public string IntroductionHtml { get; set; } = "";

    /// <summary>A media-library image shown across the top of the topic page and as its card's picture.</summary>
    public string? BannerImageUrl { get; set; }
    public string? BannerImageAlt { get; set; }

    /// <summary>Readers see the topic only once an editor has published it; until then it is a draft.</summary>
    public bool IsPublished { get; set; }
    public DateTime? PublishedAt { get; set; }

    /// <summary>Listed in the front page's 专题 block.</summary>
    public bool ShowOnFrontPage { get; set; }

    /// <summary>Order on /topics and the front page (smaller first; ties newest first).</summary>
    public int Position { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public List<TopicSection> Sections { get; set; } = [];
    public List<TopicTimelineEntry> Timeline { get; set; } = [];

    /// <summary>Slugs this topic was published under before; /topics/{old} and its feed redirect here.</summary>
    public List<TopicRedirect> OldSlugs { get; set; } = [];

    /// <summary>
    /// Gives the topic a new slug and keeps the current one as a redirect, so shared links and feed subscriptions keep
    /// working. Going back to one of its own old slugs takes that one out of the redirects. Needs <see cref="OldSlugs"/>
    /// loaded; whether another topic owns <paramref name="newSlug"/> is the caller's check.
    /// </summary>
    public void ChangeSlug(string newSlug, DateTime now)
    {
        if (newSlug == Slug)
        {
            return;
        }
        OldSlugs.RemoveAll(r => r.OldSlug == newSlug);
        if (OldSlugs.All(r => r.OldSlug != Slug))
        {
            OldSlugs.Add(new TopicRedirect { OldSlug = Slug, TopicId = Id, RetiredAt = now });
        }
        Slug = newSlug;
    }
}

/// <summary>An earlier slug of a topic: <c>/topics/{OldSlug}</c> and its feed answer a permanent redirect to the current one.</summary>
public class TopicRedirect
{
    public int Id { get; set; }
    public required string OldSlug { get; set; }
    public int TopicId { get; set; }
    public DateTime RetiredAt { get; set; }
}

/// <summary>Where a topic section takes its articles from.</summary>
public enum TopicSectionSource
{
    Tag = 0,
    Channel = 1,
    Articles = 2,
}

/// <summary>One section of a topic page: a heading and the newest visible articles of its source.</summary>
public class TopicSection
{
    public const int MaxTitleLength = 100;
    public const int DefaultMaxItems = 8;

    public int Id { get; set; }
    public int TopicId { get; set; }
    public int Position { get; set; }
    public required string Title { get; set; }
    public TopicSectionSource Source { get; set; }
    public int? TagId { get; set; }
    public int? ChannelId { get; set; }

    /// <summary>How many articles the section shows (tag and channel sections; hand-picked ones show all picked).</summary>
    public int MaxItems { get; set; } = DefaultMaxItems;

    /// <summary>The hand-picked articles of an <see cref="TopicSectionSource.Articles"/> section, in order.</summary>
    public List<TopicSectionArticle> Articles { get; set; } = [];
}

public class TopicSectionArticle
{
    public int SectionId { get; set; }
    public int ArticleId { get; set; }
    public int Position { get; set; }
}

/// <summary>One dated step of a topic's timeline (大事记), optionally linking the article that reported it.</summary>
public class TopicTimelineEntry
{
    public const int MaxTextLength = 300;

    public int Id { get; set; }
    public int TopicId { get; set; }
    public DateOnly Date { get; set; }
    public required string Text { get; set; }
    public int? ArticleId { get; set; }
}
