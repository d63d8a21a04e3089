using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Infrastructure;

/// <summary>Makes test articles with sensible defaults; each call gets a unique slug.</summary>
public sealed class ArticleBuilder
{
    private static int _sequence;
    private readonly Article _article;
    private DateTime? _publishAt;
    private bool _publish = true;

    public ArticleBuilder(int channelId, string? title = null)
    {
        var n = Interlocked.Increment(ref _sequence);
        _article = new Article
        {
            Slug = $"test-article-{n}-{Guid.NewGuid():N}"[..40],
            Title = title ?? $"测试报道{n}",
            Summary = "测试摘要",
            ChannelId = channelId,
            CreatedAt = DateTime.UtcNow,
            UpdatedAt = DateTime.UtcNow,
        };
        _article.SetBody("正文", "<p>正文</p>");
    }

    public ArticleBuilder PublishedAt(DateTime utc) { _publishAt = utc; _publish = true; return this; }
    public ArticleBuilder Draft() { _publish = false; return this; }
    /// <summary>A 图集 with this Markdown body, rendered as the editor would render it.</summary>
    public ArticleBuilder Gallery(string markdown)
    {
        _article.Kind = ArticleKind.Gallery;
        _article.SetBody(markdown, new PovertyNews.Web.Markdown.MarkdownRenderer().Render(markdown));
        return this;
    }
    public ArticleBuilder Video(string? poster = null, string? url = null) { _article.Kind = ArticleKind.Video; _article.VideoPosterUrl = poster; _article.VideoUrl = url; return this; }
    /// <summary>Pinned to 热点新闻 at <paramref name="order"/>, as if placed on the curation page.</summary>
    public ArticleBuilder Pinned(int order, DateTime? until = null) => Placed(CurationBlock.HotNews, order, until);

    public ArticleBuilder Placed(CurationBlock block, int order, DateTime? until = null)
    {
        _article.Placements.Add(new Placement { Block = block, Position = order, Until = until, PlacedAt = DateTime.UtcNow });
        return this;
    }
    public ArticleBuilder Withdrawn() { _withdraw = true; return this; }
    public ArticleBuilder Summary(string summary) { _article.Summary = summary; return this; }
    public ArticleBuilder Source(string? source) { _article.Source = source; return this; }
    public ArticleBuilder Author(string? author) { _article.Author = author; return this; }
    public ArticleBuilder Owner(string? userId) { _article.OwnerId = userId; return this; }
    public ArticleBuilder Tags(params Tag[] tags) { _article.Tags.AddRange(tags); return this; }

    /// <summary>Paragraphs of plain text, stored as Markdown with the HTML a renderer would make of them.</summary>
    public ArticleBuilder Body(params string[] paragraphs)
    {
        _article.SetBody(string.Join("\n\n", paragraphs),
            string.Concat(paragraphs.Select(p => $"<p>{System.Net.WebUtility.HtmlEncode(p)}</p>")));
        return this;
    }

    private bool _withdraw;

    public Article Build()
    {
        if (_publish)
        {
            _article.Publish(DateTime.UtcNow, _publishAt ?? DateTime.UtcNow.AddDays(-1));
        }
        if (_withdraw)
        {
            _article.Withdraw();
        }
        return _article;
    }
}
