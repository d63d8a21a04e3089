using System.Linq.Expressions;

namespace PovertyNews.Web.Domain;

/// <summary>The front page and sidebar blocks whose articles editors choose and order by hand.</summary>
public enum CurationBlock
{
    /// <summary>头条 at the top of the front page.</summary>
    Headline = 0,

    /// <summary>Pins at the top of 热点新闻; the most read fill the rest.</summary>
    HotNews = 1,

    /// <summary>Picks at the top of 热点视频; the newest videos fill the rest.</summary>
    HotVideos = 2,
}

/// <summary>
/// One article placed in a curated block. Kept apart from <see cref="Article"/> so that curating never changes
/// the article's row: its <see cref="Article.Version"/> stays, and an editor correcting the text at the same
/// moment gets no false conflict.
/// </summary>
public class Placement
{
    public int Id { get; set; }
    public CurationBlock Block { get; set; }
    public int ArticleId { get; set; }
    public Article? Article { get; set; }

    /// <summary>1 is the top. <see cref="PlacementList"/> keeps the positions of a block 1, 2, 3, … after every change.</summary>
    public int Position { get; set; }

    /// <summary>UTC. From this instant the placement no longer shows (a 热点新闻 pin's expiry); null means until removed.</summary>
    public DateTime? Until { get; set; }

    public DateTime PlacedAt { get; set; }

    public bool IsLiveAt(DateTime now) => Until is null || Until > now;

    /// <summary>The rule of <see cref="IsLiveAt"/> as a query expression.</summary>
    public static Expression<Func<Placement, bool>> LiveAt(DateTime now)
    {
        return p => p.Until == null || p.Until > now;
    }
}
