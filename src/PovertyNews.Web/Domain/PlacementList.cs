namespace PovertyNews.Web.Domain;

/// <summary>
/// The rules of one curated block (头条, 热点新闻 pins, 热点视频 picks): which articles may go in, how many, in what
/// order and until when. The newsroom pages and the content importer both change placements through here, so
/// they cannot disagree. A refusal throws <see cref="WorkflowException"/> with a message for the editor.
/// </summary>
public sealed class PlacementList
{
    private readonly List<Placement> _placements;

    /// <param name="placements">The block's placements (others are ignored), tracked if they are to be saved.</param>
    public PlacementList(CurationBlock block, IEnumerable<Placement> placements)
    {
        Block = block;
        _placements = placements.Where(p => p.Block == block).OrderBy(p => p.Position).ThenBy(p => p.Id).ToList();
    }

    public CurationBlock Block { get; }

    /// <summary>Top first, expired ones included (they stay listed, marked, until an editor removes them).</summary>
    public IReadOnlyList<Placement> Placements => _placements;

    public int Capacity => CapacityOf(Block);

    public string Name => NameOf(Block);

    /// <summary>
    /// How many live placements a block holds. Five headlines fill the front page's top; ten pins and eight videos
    /// are more than the largest sidebar shows, so a longer list would only hide articles from the editors.
    /// </summary>
    public static int CapacityOf(CurationBlock block) => block switch
    {
        CurationBlock.Headline => 5,
        CurationBlock.HotNews => 10,
        CurationBlock.HotVideos => 8,
        _ => 0,
    };

    public static string NameOf(CurationBlock block) => block switch
    {
        CurationBlock.Headline => "头条",
        CurationBlock.HotNews => "热点新闻置顶",
        CurationBlock.HotVideos => "热点视频",
        _ => block.ToString(),
    };

    /// <summary>Why an article in this state may not go into the block, or null when it may.</summary>
    public static string? Refusal(CurationBlock block, ArticleStatus status, ArticleKind kind)
    {
        if (status is not (ArticleStatus.Published or ArticleStatus.Scheduled))
        {
            return $"只有已发布或定时发布的稿件可以{Verb(block)}；这篇稿件现在是{StatusName(status)}。";
        }
        return block == CurationBlock.HotVideos && kind != ArticleKind.Video ? "热点视频只能选择视频稿件。" : null;
    }

    /// <summary>
    /// Places <paramref name="article"/> at <paramref name="position"/> (1 = top; null or beyond the end = last).
    /// Placing an article that is already pinned in 热点新闻 renews the pin: the new expiry (and position) replace
    /// the old. <paramref name="until"/> (UTC) is only for 热点新闻 and must lie ahead of <paramref name="now"/>.
    /// </summary>
    public PlaceResult Place(Article article, DateTime now, int? position = null, DateTime? until = null)
    {
        if (Refusal(Block, article.Status, article.Kind) is { } reason)
        {
            throw new WorkflowException(reason);
        }
        if (until is { } expiry)
        {
            Require(Block == CurationBlock.HotNews, "只有热点新闻置顶可以设置到期时间。");
            Require(expiry > now, $"到期时间须晚于现在（北京时间 {ChinaTime.FormatDateTime(now)}）。");
        }
        var existing = _placements.FirstOrDefault(p => ReferenceEquals(p.Article, article) || (article.Id != 0 && p.ArticleId == article.Id));
        if (existing is not null)
        {
            Require(Block == CurationBlock.HotNews, Block == CurationBlock.Headline ? "这篇稿件已经是头条。" : "这篇稿件已在热点视频中。");
            existing.Until = until;
            if (position is { } p)
            {
                _placements.Remove(existing);
                _placements.Insert(IndexFor(p), existing);
                Renumber();
            }
            return new PlaceResult(existing, Renewed: true);
        }
        Require(_placements.Count(p => p.IsLiveAt(now)) < Capacity, $"{Name}最多 {Capacity} 条，请先移除一条。");
        var placement = new Placement { Block = Block, ArticleId = article.Id, Article = article, Until = until, PlacedAt = now };
        _placements.Insert(IndexFor(position), placement);
        Renumber();
        return new PlaceResult(placement, Renewed: false);
    }

    /// <summary>Takes the article out of the block; the caller deletes the returned placement.</summary>
    public Placement Remove(int articleId)
    {
        var placement = Find(articleId);
        _placements.Remove(placement);
        Renumber();
        return placement;
    }

    /// <summary>Moves the article up (negative) or down (positive); false when it is already at that end.</summary>
    public bool Move(int articleId, int offset)
    {
        var placement = Find(articleId);
        var from = _placements.IndexOf(placement);
        var to = Math.Clamp(from + offset, 0, _placements.Count - 1);
        if (to == from)
        {
            return false;
        }
        _placements.RemoveAt(from);
        _placements.Insert(to, placement);
        Renumber();
        return true;
    }

    private Placement Find(int articleId) =>
        _placements.FirstOrDefault(p => p.ArticleId == articleId) ?? throw new WorkflowException($"这篇稿件不在{Name}中。");

    private int IndexFor(int? position) => position is { } p ? Math.Clamp(p - 1, 0, _placements.Count) : _placements.Count;

    private void Renumber()
    {
        for (var i = 0; i < _placements.Count; i++)
        {
            _placements[i].Position = i + 1;
        }
    }

    private static string Verb(CurationBlock block) => block switch
    {
        CurationBlock.Headline => "设为头条",
        CurationBlock.HotNews => "置顶到热点新闻",
        _ => "加入热点视频",
    };

    private static string StatusName(ArticleStatus status) => status switch
    {
        ArticleStatus.Draft => "草稿",
        ArticleStatus.Submitted or ArticleStatus.InReview => "审核中",
        ArticleStatus.Approved => "待发布",
        ArticleStatus.Withdrawn => "已撤稿",
        ArticleStatus.Recycled => "已删除",
        _ => status.ToString(),
    };

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new WorkflowException(message);
        }
    }
}

public sealed record PlaceResult(Placement Placement, bool Renewed);
